"""Rarer people for the card generator (cards.random_person), drawn by a second generator so the
people of other seeds stay as they were."""
from __future__ import annotations

import random
from datetime import date, timedelta

# Drawn for some people by a second generator (the people of other seeds stay as they were):
# old and new tone-mark placement (the list writes "Thuỷ", "Hoà"; cards often "Thủy", "Hòa"),
# long streets, rarer surnames, and holders aged 58+ at issue, whose card has no expiry.
_PLACES_MORE = [
    ("Xã Hòa Tiến", "Huyện Hòa Vang", "Đà Nẵng", "048"),
    ("Phường Trung Hòa", "Quận Cầu Giấy", "Hà Nội", "001"),
    ("Xã Thủy Sơn", "Huyện Thủy Nguyên", "Hải Phòng", "031"),
    ("Phường Thủy Xuân", "Thành phố Huế", "Thừa Thiên Huế", "046"),
    ("Xã Quảng Ngọc", "Huyện Quảng Xương", "Thanh Hóa", "038"),
    ("Phường Nghĩa Tân", "Quận Cầu Giấy", "Hà Nội", "001"),
]
_STREETS_MORE = ["Số 27 đường Phan Đình Phùng", "Số 5 hẻm 12 Nguyễn Thị Minh Khai", "Thôn Phú Thượng"]
_SURNAMES_MORE = ["Đinh", "Trịnh", "Lương", "Đoàn", "Trương"]
_MIDDLE_MORE = {"Nam": ["Văn Minh", "Đức Anh", "Quang"], "Nữ": ["Thị Minh", "Ngọc Bảo", "Thị Thu"]}


def more_variety(p: dict, more: random.Random, expiry) -> dict:
    """Some people get a rarer place, street, name or an age of 58+ (see _PLACES_MORE)."""
    if more.random() < 0.35:
        origin = more.choice(_PLACES_MORE)
        p["place_of_origin"] = p["place_of_birth"] = f"{origin[0]}, {origin[1]}, {origin[2]}"
        p["id_number"] = origin[3] + p["id_number"][3:]
    if more.random() < 0.35:
        home = more.choice(_PLACES_MORE)
        p["place_of_residence"] = f"{more.choice(_STREETS_MORE)}, {home[0]}, {home[1]}, {home[2]}"
    if more.random() < 0.3:
        p["full_name"] = " ".join([more.choice(_SURNAMES_MORE), more.choice(_MIDDLE_MORE[p["sex"]]),
                                   p["full_name"].split()[-1]]).upper()
    if more.random() < 0.15:  # 58 or older at issue: "Không thời hạn"
        dob = date(1940, 1, 1) + timedelta(days=more.randrange(0, 365 * 23))
        p["date_of_birth"] = dob
        century_sex = 0 if p["sex"] == "Nam" else 1
        p["id_number"] = f"{p['id_number'][:3]}{century_sex}{dob.year % 100:02d}{p['id_number'][6:]}"
        p["expiry_date"] = expiry(dob, p["issue_date"])
        p["expiry_date_2024"] = expiry(dob, date(2024, 7, 1))
    return p

