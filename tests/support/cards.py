"""Generated Vietnamese ID cards (2021 chip CCCD and 2024 căn cước) for tests and benchmarks.

Every person is invented (`random_person(seed)`); QR payloads and MRZ are built the way the
real cards build them, so readers can be tested end to end:

    person = random_person(7)
    front = make_card(person, model="2021", side="front", variant="rotated")
    pdf = make_id_scan_pdf(person)           # both sides, one PDF
    docx = make_id_scan_docx(person)         # both sides as images in a Word file
"""
from __future__ import annotations

import io
import random
import unicodedata
from datetime import date, timedelta
from functools import lru_cache

import qrcode
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from . import card_pen
from .card_pen import Pen, drawn_at
from .card_people import more_variety

NOTO = "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"
NOTO_BOLD = "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf"
MONO = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
CARD_W, CARD_H = 1012, 638  # ID-1 (85.6 x 54 mm) at ~300 dpi
VARIANTS = ("straight", "rotated", "perspective", "blur", "jpeg50", "lowres", "glare", "qr_covered")

_SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
             "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
_MIDDLE_M = ["Văn", "Đức", "Minh", "Hữu", "Quốc", "Thanh", "Xuân", "Công", "Đình"]
_MIDDLE_F = ["Thị", "Ngọc", "Thu", "Thanh", "Hoài", "Mỹ", "Kim", "Phương"]
_GIVEN_M = ["An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Khánh", "Long", "Nam", "Phúc",
            "Quân", "Sơn", "Tuấn", "Việt", "Lợi", "Tú", "Thắng", "Hùng", "Trọng"]
_GIVEN_F = ["Giang", "Hà", "Hạnh", "Hương", "Linh", "Mai", "Quỳnh", "Thảo", "Trang", "Yến", "Nhung",
            "Phương", "Thủy", "Lan", "Ngân", "Huyền", "Ánh", "Diệp"]
_PLACES = [  # (commune/ward, district, province, province code)
    ("Xã Tân Lập", "Huyện Đan Phượng", "Hà Nội", "001"),
    ("Phường Láng Hạ", "Quận Đống Đa", "Hà Nội", "001"),
    ("Xã Đông Hưng", "Huyện Tiên Lãng", "Hải Phòng", "031"),
    ("Phường Hòa Khánh Bắc", "Quận Liên Chiểu", "Đà Nẵng", "048"),
    ("Phường Bến Nghé", "Quận 1", "TP Hồ Chí Minh", "079"),
    ("Xã Nhơn Ái", "Huyện Phong Điền", "Cần Thơ", "092"),
    ("Xã Quỳnh Lưu", "Huyện Nho Quan", "Ninh Bình", "037"),
    ("Xã Hưng Đạo", "Huyện Tứ Kỳ", "Hải Dương", "030"),
    ("Phường Vĩnh Ninh", "Thành phố Huế", "Thừa Thiên Huế", "046"),
    ("Xã Diễn Châu", "Huyện Diễn Châu", "Nghệ An", "040"),
]
_STREETS = ["Số 12 ngõ 5 Láng Hạ", "Số 8 đường Trần Phú", "Thôn Đông", "Tổ 3 khu phố Bình Minh",
            "Số 45 Nguyễn Huệ", "Xóm Chợ", "Số 102 Lê Lợi"]


def random_person(seed: int) -> dict:
    rng = random.Random(seed)
    sex = rng.choice(["Nam", "Nữ"])
    male = sex == "Nam"
    name = " ".join([rng.choice(_SURNAMES), rng.choice(_MIDDLE_M if male else _MIDDLE_F),
                     rng.choice(_GIVEN_M if male else _GIVEN_F)])
    dob = date(1968, 1, 1) + timedelta(days=rng.randrange(0, 365 * 37))
    origin, home = rng.choice(_PLACES), rng.choice(_PLACES)
    century_digit = (0 if dob.year < 2000 else 2) + (0 if male else 1)
    id_number = f"{origin[3]}{century_digit}{dob.year % 100:02d}{rng.randrange(10**6):06d}"
    issue = date(2021, 3, 1) + timedelta(days=rng.randrange(0, 1000))
    person = {
        "id_number": id_number,
        "old_id_number": f"{rng.randrange(10**9):09d}" if rng.random() < 0.6 else None,
        "full_name": name.upper(),
        "date_of_birth": dob,
        "sex": sex,
        "nationality": "Việt Nam",
        "place_of_origin": f"{origin[0]}, {origin[1]}, {origin[2]}",
        "place_of_birth": f"{origin[0]}, {origin[1]}, {origin[2]}",
        "place_of_residence": f"{rng.choice(_STREETS)}, {home[0]}, {home[1]}, {home[2]}",
        "issue_date": issue,
        "issue_date_2024": date(2024, 7, 1) + timedelta(days=rng.randrange(0, 400)),
        "expiry_date": _expiry(dob, issue),
        "expiry_date_2024": _expiry(dob, date(2024, 7, 1)),
        "father": f"{name.split()[0]} {rng.choice(_MIDDLE_M)} {rng.choice(_GIVEN_M)}",
        "mother": f"{rng.choice(_SURNAMES)} {rng.choice(_MIDDLE_F)} {rng.choice(_GIVEN_F)}",
    }
    return more_variety(person, random.Random(seed * 7919 + 13), _expiry)


def _expiry(dob: date, issue: date) -> date | None:
    """Cards are renewed at 25, 40 and 60: valid to the next such birthday after issue + 2 years;
    a card issued from 58 on has no expiry (None: printed "Không thời hạn", MRZ fillers)."""
    for age in (25, 40, 60):
        birthday = _birthday(dob, dob.year + age)
        if birthday > issue + timedelta(days=730):
            return birthday
    return None


def _birthday(dob: date, year: int) -> date:
    return dob.replace(year=year) if not (dob.month == 2 and dob.day == 29) else date(year, 3, 1)


def card_dates(person: dict, model: str) -> tuple[date, date | None]:
    """(issue, expiry) as printed on the given card model."""
    if model == "2024":
        return person["issue_date_2024"], person["expiry_date_2024"]
    return person["issue_date"], person["expiry_date"]


# ---------- payloads ----------

def qr_payload(person: dict, model: str = "2021") -> str:
    issue, _ = card_dates(person, model)
    fields = [person["id_number"], person["old_id_number"] or "", _title(person["full_name"]),
              person["date_of_birth"].strftime("%d%m%Y"), person["sex"], person["place_of_residence"],
              issue.strftime("%d%m%Y")]
    if model == "2024":
        fields += [person["father"], person["mother"]]
    return "|".join(fields)


def _title(name: str) -> str:
    return " ".join(w.capitalize() for w in name.split())


def _ascii(text: str) -> str:
    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def mrz_check(data: str) -> str:
    def value(c: str) -> int:
        return int(c) if c.isdigit() else (0 if c == "<" else ord(c) - 55)
    return str(sum(value(c) * (7, 3, 1)[i % 3] for i, c in enumerate(data)) % 10)


def mrz_lines(person: dict, model: str = "2021") -> list[str]:
    pid = person["id_number"]
    _, expiry = card_dates(person, model)
    l1 = f"IDVNM{pid[3:]}{mrz_check(pid[3:])}{pid}<<"
    l1 += mrz_check(l1[15:29])
    birth, exp = person["date_of_birth"].strftime("%y%m%d"), expiry.strftime("%y%m%d") if expiry else "<" * 6
    l2 = f"{birth}{mrz_check(birth)}{'M' if person['sex'] == 'Nam' else 'F'}{exp}{mrz_check(exp)}VNM"
    l2 += "<" * (29 - len(l2))
    l2 += mrz_check(l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29])
    words = _ascii(person["full_name"]).upper().split()
    l3 = (words[0] + "<<" + "<".join(words[1:]))[:30]
    return [l1, l2, l3 + "<" * (30 - len(l3))]


# ---------- drawing ----------

def _day(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "Không thời hạn"


@lru_cache(maxsize=32)
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size)


def _qr_image(payload: str, size: int) -> Image.Image:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=4, border=2)
    qr.add_data(payload.encode("utf-8"))
    return qr.make_image(fill_color="black", back_color="white").get_image().convert("RGB").resize(
        (size, size), Image.NEAREST)


def _blank(color: tuple[int, int, int]) -> tuple[Image.Image, Pen]:
    img = Image.new("RGB", card_pen.size(CARD_W, CARD_H), color)
    draw = Pen(img)
    for y in range(0, CARD_H, 14):  # faint guilloche-like lines
        draw.arc((-200, y - 300, CARD_W + 200, y + 300), 200, 340, fill=tuple(c - 12 for c in color))
    return img, draw


def _header(draw: Pen, title: str, subtitle: str) -> None:
    draw.ellipse((40, 28, 150, 138), fill=(200, 30, 30))
    draw.regular_polygon((95, 83, 34), 5, fill=(250, 210, 40))
    cx = 500
    for text, font, y in (("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", _font(NOTO_BOLD, 22), 30),
                          ("Độc lập - Tự do - Hạnh phúc", _font(NOTO_BOLD, 20), 60),
                          ("SOCIALIST REPUBLIC OF VIET NAM", _font(NOTO, 17), 88),
                          (title, _font(NOTO_BOLD, 34), 112),
                          (subtitle, _font(NOTO, 20), 156)):
        draw.text((cx, y), text, font=font, fill=(200, 20, 20) if font.size == 34 else (20, 20, 20),
                  anchor="mt")


def _photo(img: Image.Image, box: tuple[int, int, int, int]) -> None:
    draw = Pen(img)
    x0, y0, x1, y1 = box
    draw.rectangle(box, fill=(190, 200, 215))
    w = x1 - x0
    draw.ellipse((x0 + w * 0.3, y0 + 40, x0 + w * 0.7, y0 + 40 + w * 0.45), fill=(120, 110, 100))
    draw.rectangle((x0 + w * 0.15, y1 - 80, x0 + w * 0.85, y1), fill=(60, 70, 90))


def _fields(draw, x: int, y: int, rows: list[tuple[str, str | None, bool]], step: int = 34) -> None:
    """rows: (label, value or None, value on the next line?)."""
    label_font, value_font = _font(NOTO, 21), _font(NOTO_BOLD, 24)
    for label, value, next_line in rows:
        draw.text((x, y), label, font=label_font, fill=(30, 30, 30))
        if value is not None:
            if next_line:
                y += step
                draw.text((x, y), value, font=value_font, fill=(10, 10, 10))
            else:
                lx = x + draw.textlength(label, font=label_font) + 10
                draw.text((lx, y - 2), value, font=value_font, fill=(10, 10, 10))
        y += step


def _split_address(text: str, first_len: int = 38) -> tuple[str, str]:
    parts = text.split(", ")
    first = parts[0]
    i = 1
    while i < len(parts) and len(first) + len(parts[i]) + 2 <= first_len:
        first += ", " + parts[i]
        i += 1
    return first + ("," if i < len(parts) else ""), ", ".join(parts[i:])


def _draw_mrz(img: Image.Image, lines: list[str], top: int) -> None:
    draw = Pen(img)
    draw.rectangle((0, top - 14, CARD_W, CARD_H), fill=(248, 248, 245))
    font = _font(MONO, 40)
    for i, line in enumerate(lines):
        draw.text((40, top + i * 56), line, font=font, fill=(15, 15, 15))


def _front_2021(p: dict) -> Image.Image:
    img, draw = _blank((222, 234, 242))
    _header(draw, "CĂN CƯỚC CÔNG DÂN", "Citizen Identity Card")
    card_pen.paste(img, _qr_image(qr_payload(p, "2021"), round(180 * card_pen.SCALE.get())), (810, 22))
    draw.rounded_rectangle((52, 190, 152, 262), 10, fill=(214, 180, 90))
    _photo(img, (40, 290, 230, 520))
    draw.text((40, 540), "Có giá trị đến: " + _day(p["expiry_date"]), font=_font(NOTO, 19),
              fill=(20, 20, 20))
    draw.text((40, 566), "Date of expiry", font=_font(NOTO, 17), fill=(20, 20, 20))
    res1, res2 = _split_address(p["place_of_residence"], 48)
    draw.text((270, 196), "Số / No.:", font=_font(NOTO, 24), fill=(20, 20, 20))
    draw.text((390, 190), p["id_number"], font=_font(NOTO_BOLD, 34), fill=(10, 10, 10))
    _fields(draw, 270, 244, [
        ("Họ và tên / Full name:", p["full_name"], True),
        ("Ngày sinh / Date of birth:", p["date_of_birth"].strftime("%d/%m/%Y"), False),
        ("Giới tính / Sex:", p["sex"] + "        Quốc tịch / Nationality: " + p["nationality"], False),
        ("Quê quán / Place of origin:", p["place_of_origin"], True),
        ("Nơi thường trú / Place of residence:", res1, True),
    ])
    draw.text((270, 244 + 34 * 8), res2, font=_font(NOTO_BOLD, 24), fill=(10, 10, 10))
    return img


def _back_2021(p: dict) -> Image.Image:
    img, draw = _blank((232, 236, 240))
    draw.text(
        (40, 40), "Đặc điểm nhân dạng / Personal identification:", font=_font(NOTO, 20), fill=(20, 20, 20)
    )
    draw.text((40, 70), "Nốt ruồi C:1cm trên trước mày phải", font=_font(NOTO, 20), fill=(20, 20, 20))
    draw.text((40, 120), "Ngày, tháng, năm / Date, month, year: " + p["issue_date"].strftime("%d/%m/%Y"),
              font=_font(NOTO, 20), fill=(20, 20, 20))
    draw.text((40, 160), "CỤC TRƯỞNG CỤC CẢNH SÁT", font=_font(NOTO_BOLD, 18), fill=(20, 20, 20))
    draw.text((40, 184), "QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI", font=_font(NOTO_BOLD, 18), fill=(20, 20, 20))
    draw.line((90, 250, 300, 230), fill=(30, 30, 140), width=3)
    draw.rounded_rectangle((420, 150, 560, 240), 10, fill=(214, 180, 90))
    for x in (640, 820):
        draw.rectangle((x, 30, x + 150, 240), outline=(60, 60, 60), width=2)
        for r in range(10, 70, 9):
            draw.ellipse((x + 75 - r, 135 - r * 1.3, x + 75 + r, 135 + r * 1.3), outline=(90, 90, 90))
    _draw_mrz(img, mrz_lines(p, "2021"), 440)
    return img


def _front_2024(p: dict) -> Image.Image:
    img, draw = _blank((236, 228, 222))
    _header(draw, "CĂN CƯỚC", "IDENTITY CARD")
    draw.rounded_rectangle((60, 200, 160, 272), 10, fill=(214, 180, 90))
    _photo(img, (40, 300, 230, 540))
    _fields(draw, 270, 204, [
        ("Số định danh cá nhân / Personal identification number:", None, False)])
    draw.text((270, 236), p["id_number"], font=_font(NOTO_BOLD, 34), fill=(10, 10, 10))
    _fields(draw, 270, 292, [
        ("Họ, chữ đệm và tên khai sinh / Full name:", p["full_name"], True),
        ("Ngày, tháng, năm sinh / Date of birth:", p["date_of_birth"].strftime("%d/%m/%Y"), False),
        ("Giới tính / Sex:", p["sex"] + "        Quốc tịch / Nationality: " + p["nationality"], False),
    ])
    return img


def _back_2024(p: dict) -> Image.Image:
    img, draw = _blank((230, 232, 236))
    card_pen.paste(img, _qr_image(qr_payload(p, "2024"), round(170 * card_pen.SCALE.get())), (30, 30))
    res1, res2 = _split_address(p["place_of_residence"], 30)
    _fields(draw, 230, 36, [
        ("Nơi cư trú / Place of residence:", res1, True), ("", res2, False),
        ("Nơi đăng ký khai sinh / Place of birth:", p["place_of_birth"], True),
        ("Ngày, tháng, năm cấp / Date of issue:", p["issue_date_2024"].strftime("%d/%m/%Y"), False),
        ("Ngày, tháng, năm hết hạn / Date of expiry:", _day(p["expiry_date_2024"]), False),
    ], step=32)
    draw.text(
        (230, 330), "BỘ CÔNG AN / MINISTRY OF PUBLIC SECURITY", font=_font(NOTO_BOLD, 18), fill=(20, 20, 20)
    )
    _draw_mrz(img, mrz_lines(p, "2024"), 440)
    return img


_DRAW = {("2021", "front"): _front_2021, ("2021", "back"): _back_2021,
         ("2024", "front"): _front_2024, ("2024", "back"): _back_2024}
QR_BOX = {("2021", "front"): (810, 22, 990, 202), ("2024", "back"): (30, 30, 200, 200)}



def draw_side(person: dict, model: str, side: str, dpi: int = 300) -> Image.Image:
    """One side of the card, flat, drawn at `dpi` (1012 x 638 px at 300, 2024 x 1276 at 600)."""
    with drawn_at(dpi):
        return _DRAW[(model, side)](person)


# ---------- scans ----------

def make_card(person: dict, model: str = "2021", side: str = "front", variant: str = "straight",
              seed: int = 0) -> Image.Image:
    """A photo/scan of one side of the card on a plain background, degraded by `variant`."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}; one of {VARIANTS}")
    rng = random.Random(seed)
    card = _DRAW[(model, side)](person)
    if variant == "qr_covered" and (model, side) in QR_BOX:
        x0, y0, x1, y1 = QR_BOX[(model, side)]
        ImageDraw.Draw(card).rectangle((x0 - 6, y0 - 6, x1 + 6, y1 + 6), fill=(150, 120, 100))
    if variant == "glare":
        _add_glare(card, rng)
    scan = Image.new("RGB", (CARD_W + 160, CARD_H + 160), (96, 92, 88))
    mask = Image.new("L", card.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, CARD_W - 1, CARD_H - 1), 36, fill=255)
    scan.paste(card, (80, 80), mask)
    if variant == "rotated":
        angle = rng.uniform(3, 10) * rng.choice((-1, 1))
        scan = scan.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=(96, 92, 88))
    elif variant == "perspective":
        w, h = scan.size
        d = int(w * 0.06)
        quad = (d, 0, 0, h, w, h, w - d, 0) if rng.random() < 0.5 else (0, 0, d, h, w - d, h, w, 0)
        scan = scan.transform(scan.size, Image.QUAD, quad, Image.BICUBIC, fillcolor=(96, 92, 88))
    elif variant == "blur":
        scan = scan.filter(ImageFilter.GaussianBlur(1.3))
    elif variant == "lowres":
        scale = 600 / CARD_W
        scan = scan.resize((round(scan.width * scale), round(scan.height * scale)), Image.LANCZOS)
    elif variant == "jpeg50":
        scan = Image.open(io.BytesIO(to_bytes(scan, "JPEG", quality=50))).convert("RGB")
    return scan


def _add_glare(card: Image.Image, rng: random.Random) -> None:
    w, h = 420, 240
    blob = Image.radial_gradient("L").resize((w, h)).point(lambda v: max(0, 170 - v))
    x, y = rng.randrange(300, 560), rng.randrange(330, 400)
    card.paste(Image.new("RGB", (w, h), (255, 255, 255)), (x, y), blob)


def to_bytes(image: Image.Image, fmt: str = "PNG", **options) -> bytes:
    buf = io.BytesIO()
    image.save(buf, fmt, **options)
    return buf.getvalue()


def make_id_scan_pdf(person: dict, model: str = "2021", variant: str = "straight") -> bytes:
    """Both sides of the card, one page each, in one PDF (like a desk scanner makes)."""
    from fpdf import FPDF
    pdf = FPDF(unit="mm", format="A4")
    for side in ("front", "back"):
        pdf.add_page()
        img = make_card(person, model, side, variant)
        pdf.image(io.BytesIO(to_bytes(img, "JPEG", quality=90)), x=20, y=20, w=110)
    return bytes(pdf.output())


def make_id_scan_docx(person: dict, model: str = "2021", variant: str = "straight") -> bytes:
    """Both sides of the card as pictures in a Word document."""
    from docx import Document
    from docx.shared import Mm
    doc = Document()
    doc.add_paragraph("Bản chụp căn cước")
    for side in ("front", "back"):
        doc.add_picture(io.BytesIO(to_bytes(make_card(person, model, side, variant), "JPEG", quality=90)),
                        width=Mm(110))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
