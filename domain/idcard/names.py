"""Common syllables of Vietnamese names, with their diacritics, to catch an OCR diacritic slip
("Trấn" for "Trần") when no QR gives the name: the MRZ gives the letters, OCR the marks."""
from __future__ import annotations

from .text import fold

SURNAMES = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
    "Dương", "Lý", "Đào", "Đoàn", "Vương", "Trịnh", "Trương", "Lâm", "Phùng", "Mai", "Tô", "Hà", "Tạ", "Cao",
    "Lương", "Đinh", "Kiều", "Chu", "Quách", "Lưu", "Hứa", "Thái", "Văn", "Lại", "Tăng", "Đàm", "Khổng",
    "Triệu", "Mạc", "Nông", "Lò", "Tống", "Diệp", "Thân", "La", "Âu", "Giang", "Từ", "Kim", "Đồng", "Bạch",
    "Tôn",
]
GIVEN = [
    "An", "Anh", "Ánh", "Bảo", "Bình", "Bích", "Cẩm", "Chi", "Chính", "Công", "Cúc", "Cường", "Dung", "Dũng",
    "Duy", "Dương", "Đạt", "Điệp", "Diệp", "Định", "Đình", "Đông", "Đức", "Giang", "Hà", "Hải", "Hạnh",
    "Hằng", "Hân", "Hậu", "Hiền", "Hiếu", "Hiệp", "Hoa", "Hòa", "Hoài", "Hoàng", "Hồng", "Huệ", "Hùng",
    "Hưng", "Hương", "Hường", "Huy", "Huyền", "Hữu", "Khang", "Khánh", "Khoa", "Khôi", "Kiên", "Kim", "Lan",
    "Lâm", "Lệ", "Liên", "Linh", "Loan", "Lộc", "Lợi", "Long", "Luân", "Lực", "Ly", "Mai", "Mạnh", "Minh",
    "Mỹ", "My", "Nam", "Nga", "Ngân", "Nghĩa", "Ngọc", "Nguyên", "Nhàn", "Nhân", "Nhật", "Nhi", "Nhung",
    "Như", "Oanh", "Phát", "Phong", "Phú", "Phúc", "Phụng", "Phương", "Phượng", "Quang", "Quân", "Quế",
    "Quốc", "Quý", "Quyên", "Quỳnh", "Sang", "Sơn", "Sương", "Tài", "Tâm", "Tân", "Thái", "Thắm", "Thắng",
    "Thanh", "Thành", "Thảo", "Thế", "Thi", "Thị", "Thiện", "Thịnh", "Thơ", "Thông", "Thu", "Thuận", "Thư",
    "Thương", "Thủy", "Thúy", "Thùy", "Tiến", "Tín", "Toàn", "Trà", "Trâm", "Trang", "Trí", "Trinh", "Trọng",
    "Trung", "Tú", "Tuấn", "Tùng", "Tuyết", "Tường", "Uyên", "Văn", "Vân", "Việt", "Vinh", "Vĩnh", "Vũ", "Vy",
    "Xuân", "Yến", "Ý", "Đăng", "Đào", "Gia", "Bá", "Khắc", "Ngọc", "Như", "Đắc", "Mạnh", "Hạ", "Thy", "Trúc",
    "Tuệ", "Hân", "Khải", "Kiệt", "Lãm",
]

_BY_LETTERS: dict[tuple[bool, str], set[str]] = {}
for _first, _words in ((True, SURNAMES), (False, GIVEN)):
    for _w in _words:
        _BY_LETTERS.setdefault((_first, fold(_w)), set()).add(_w)


def known_forms(word: str, first: bool) -> set[str]:
    """The listed spellings with the same letters as `word` (surname list for the first word)."""
    return _BY_LETTERS.get((first, fold(word)), set())


def fix_diacritics(name: str) -> tuple[str, bool]:
    """(name, changed?): a word whose spelling is not listed but whose letters have exactly one
    listed spelling takes that spelling. Unlisted words are left as read."""
    words, changed = name.split(), False
    for i, word in enumerate(words):
        forms = known_forms(word, i == 0)
        titled = word[:1].upper() + word[1:].lower()
        if forms and titled not in forms and len(forms) == 1:
            words[i] = next(iter(forms))
            changed = True
    return " ".join(words), changed
