"""Active content in a PDF: what would make a viewer run something or leave the document, named in plain
Vietnamese for the upload refusal (app.intake.uploads)."""
from __future__ import annotations

from pypdf.generic import ArrayObject, DictionaryObject

# PDF actions that run something or leave the document, in plain words for the refusal. A web link
# (/URI) is not among them: links are accepted and made inert when the original is stored
# (app.intake.pdf_normalize); a plain "open at page 1, fit" is allowed too.
_ACTIVE_ACTIONS = {
    "/JavaScript": "mã lệnh tự chạy", "/Launch": "lệnh mở chương trình khác",
    "/SubmitForm": "lệnh gửi dữ liệu biểu mẫu ra ngoài", "/ImportData": "lệnh nhập dữ liệu từ tệp khác",
    "/GoToR": "lệnh mở tệp khác", "/GoToE": "lệnh mở tệp đính kèm",
    "/Rendition": "nội dung âm thanh, video tự chạy", "/RichMediaExecute": "nội dung đa phương tiện tự chạy",
    "/Sound": "âm thanh tự chạy", "/Movie": "video tự chạy",
}


def active_content(reader) -> str | None:
    """What makes the PDF run something (JavaScript, launch, form submission…), or None."""
    root = reader.trailer["/Root"].get_object()
    found = _document_active(root)
    if found:
        return found
    for page in reader.pages:
        found = _page_active(page)
        if found:
            return found
    return None


def _document_active(root) -> str | None:
    """The catalog's scripts, attachments, opening action, document actions or XFA form."""
    names = root.get("/Names")
    names = names.get_object() if names is not None else None
    if isinstance(names, DictionaryObject) and "/JavaScript" in names:
        return _ACTIVE_ACTIONS["/JavaScript"]
    if isinstance(names, DictionaryObject) and "/EmbeddedFiles" in names:
        return "tệp đính kèm"
    found = _action_kind(root.get("/OpenAction")) or _additional(root.get("/AA"))
    if found:
        return found
    if "/AcroForm" in root and "/XFA" in (root["/AcroForm"].get_object() or {}):
        return "biểu mẫu động (tự chạy khi mở)"
    return None


def _page_active(page) -> str | None:
    """A page's own actions and those of its annotations (links, widgets)."""
    found = _additional(page.get("/AA"))
    if found:
        return found
    annots = page.get("/Annots")
    annots = annots.get_object() if annots is not None else None
    for annot in annots if isinstance(annots, ArrayObject) else []:
        annot = annot.get_object()
        if isinstance(annot, DictionaryObject) and annot.get("/Subtype") == "/FileAttachment":
            return "tệp đính kèm"
        if isinstance(annot, DictionaryObject):
            found = _action_kind(annot.get("/A")) or _additional(annot.get("/AA"))
            if found:
                return found
    return None


def _action_kind(obj, depth: int = 0) -> str | None:
    """The active kind of an action or of one it chains to (/Next), at most 8 deep."""
    obj = obj.get_object() if obj is not None else None
    if depth > 8 or not isinstance(obj, DictionaryObject):
        return None
    kind = obj.get("/S")
    if "/JS" in obj:
        return _ACTIVE_ACTIONS["/JavaScript"]
    if kind in _ACTIVE_ACTIONS:
        return _ACTIVE_ACTIONS[kind]
    nxt = obj.get("/Next")
    nxt = nxt.get_object() if nxt is not None else None
    for item in (nxt if isinstance(nxt, ArrayObject) else [nxt] if nxt is not None else []):
        found = _action_kind(item, depth + 1)
        if found:
            return found
    return None


def _additional(aa) -> str | None:
    """The first active kind among additional actions (/AA: on open, on close, on focus…)."""
    aa = aa.get_object() if aa is not None else None
    if isinstance(aa, DictionaryObject):
        for value in aa.values():
            found = _action_kind(value)
            if found:
                return found
    return None
