"""The holder's name without a QR: the printed line (with its marks) is the source; the MRZ
(ASCII, no marks) confirms it letter by letter and corrects a word only where the print is
unreadable. Each warning names the word in doubt."""
from __future__ import annotations

import re

from .mrz import MrzData
from .names import fix_diacritics, known_forms
from .result import FIELD_LABELS_VI, IdCardData
from .text import fold, title_name

_ONSET = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdghklmnprstvx])?"
# The vowel groups Vietnamese writes, marks removed ('ươu' is 'uou'): 'QUOOC' is a misread, not a name.
_VOWELS = ("oai|oay|oeo|oao|uoi|uou|uya|uye|uyu|uay|ieu|yeu|ai|ao|au|ay|eo|eu|ia|ie|iu|oa|oe|oi|ua|ue|ui|uo"
           "|uu|uy|ya|ye|a|e|i|o|u|y")
_RHYME = f"(?:{_VOWELS})(?:ch|nh|ng|[cmnpt])?"
_SYLLABLE = re.compile(f"^{_ONSET}{_RHYME}$")


def plausible(word: str) -> bool:
    """A Vietnamese syllable: one onset, a vowel group, one coda, and at most one tone mark."""
    return bool(_SYLLABLE.match(fold(word))) and word.isalpha()


def merge_name(result: IdCardData, mrz: MrzData | None, from_ocr: str | None) -> None:
    _merge_name(result, mrz, from_ocr)
    if result.full_name and result.sources.get("full_name") == "ocr":
        words = result.full_name.split()  # 'Thủ' where the list has 'Thu' and 'Thư': a mark misread
        odd = [w for i, w in enumerate(words) if (forms := known_forms(w, i == 0)) and w not in forms]
        if odd:
            result.warn("full_name", f"{FIELD_LABELS_VI['full_name']}: dấu của «{' '.join(odd)}» khác "
                                     "cách viết thường gặp; cần kiểm tra.")


def _merge_name(result: IdCardData, mrz: MrzData | None, from_ocr: str | None) -> None:
    label = FIELD_LABELS_VI["full_name"]
    mrz_words = [w.title() for w in ((mrz.name or "").split() if mrz else [])]
    ocr_words = []
    if from_ocr:
        ocr_name, fixed = fix_diacritics(title_name(from_ocr))
        ocr_words = ocr_name.split()
        if fixed:
            result.warn("full_name", f"{label}: đã sửa dấu theo danh mục họ tên thường gặp; cần kiểm tra.")
    if not ocr_words and not mrz_words:
        return
    if not mrz_words:
        _set(result, ocr_words, "ocr")
        return
    if not ocr_words:
        words, unsure = _marked(mrz_words)
        _set(result, words, "mrz")
        if unsure:
            result.warn("full_name", f"{label}: chữ in không đọc được, lấy theo MRZ (không dấu); dấu của "
                                     f"«{' '.join(unsure)}» cần kiểm tra.")
        return
    if [fold(w) for w in ocr_words] == [fold(w) for w in mrz_words]:
        _set(result, ocr_words, "ocr")  # letters confirmed; the marks are the print's alone
        return
    if len(ocr_words) != len(mrz_words):
        if all(plausible(w) for w in ocr_words):
            _set(result, ocr_words, "ocr")
            result.warn("full_name", f"{label}: chữ in ghi «{' '.join(ocr_words)}» nhưng MRZ ghi "
                                     f"«{mrz.name}»; cần kiểm tra.")
        else:
            words, _ = _marked(mrz_words, ocr_words)
            _set(result, words, "mrz")
            result.warn("full_name", f"{label}: chữ in «{' '.join(ocr_words)}» không rõ, lấy theo MRZ "
                                     f"«{mrz.name}»; dấu cần kiểm tra.")
        return
    _word_by_word(result, ocr_words, mrz_words)


def _word_by_word(result: IdCardData, ocr_words: list[str], mrz_words: list[str]) -> None:
    """Same number of words: each printed word stands unless it is unreadable and the MRZ is not."""
    out, doubts = [], []
    for i, (printed, letters) in enumerate(zip(ocr_words, mrz_words, strict=True)):
        if fold(printed) == fold(letters) or (plausible(printed) and not plausible(letters)):
            out.append(printed)  # confirmed, or the MRZ letters are the misread ones
        elif not plausible(printed):
            word, unsure = _marked([letters], [printed], first=i == 0)
            out.extend(word)
            if unsure:
                doubts.append(f"«{printed}» khó đọc, lấy «{word[0]}» theo MRZ (dấu cần kiểm tra)")
        else:
            out.append(printed)
            doubts.append(f"chữ in ghi «{printed}», MRZ ghi «{letters.upper()}»")
    _set(result, out, "ocr")
    if doubts:
        result.warn("full_name", f"{FIELD_LABELS_VI['full_name']}: " + "; ".join(doubts) + "; cần kiểm tra.")


def _marked(mrz_words: list[str], ocr_words: list[str] = (),
            first: bool = True) -> tuple[list[str], list[str]]:
    """The MRZ words with their marks: from the print where its letters agree, else from the name
    lists when only one spelling has those letters; (words, words whose marks are unsure)."""
    folded = {fold(w): w for w in ocr_words}
    out, unsure = [], []
    for i, word in enumerate(mrz_words):
        if fold(word) in folded:
            out.append(folded[fold(word)])
            continue
        forms = known_forms(word, first and i == 0)
        out.append(next(iter(forms)) if len(forms) == 1 else word.title())
        if len(forms) != 1:
            unsure.append(out[-1])
    return out, unsure


def _set(result: IdCardData, words: list[str], source: str) -> None:
    result.full_name, result.sources["full_name"] = " ".join(words), source
