"""An uploaded original PDF made faithful and signable once, before it is stored (pikepdf, i.e. qpdf).

    data = normalize_pdf(data)   # or UploadRejected when qpdf cannot read what pypdf could

What a viewer shows is what the copy shows, and what the signatures can hold:
- form fields whose values viewers draw themselves (NeedAppearances, or a widget without an appearance)
  get their appearance drawn, then every visible annotation and field is flattened into the page content
  (a copy imports pages without the original's form: unflattened values would vanish);
- annotations left (those with nothing to draw, such as links) become indirect objects: written as direct
  objects in /Annots (fpdf2 does so) they make pyHanko's difference analysis reject every later signature;
- links stay where they are (their text is page content) but lose their action: a certified copy opens
  nothing by itself.
A file without forms or annotations is kept byte for byte.
"""
from __future__ import annotations

import io

from app.intake.uploads import UploadRejected


def normalize_pdf(data: bytes, name: str = "tệp") -> bytes:
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if "/AcroForm" not in pdf.Root and not any("/Annots" in page.obj for page in pdf.pages):
                return data
            _draw_field_values(pdf)
            pdf.flatten_annotations("screen")  # what a viewer shows on screen, not hidden ones
            _settle_annotations(pdf)
            if "/AcroForm" in pdf.Root and not pdf.Root.AcroForm.get("/Fields"):
                del pdf.Root["/AcroForm"]
            out = io.BytesIO()
            pdf.save(out)
            return out.getvalue()
    except pikepdf.PdfError:
        raise UploadRejected(f"Tệp PDF «{name}» bị hỏng, không mở được. Vui lòng quét lại.") from None


def _draw_field_values(pdf) -> None:
    """Appearances for field values a viewer would draw: when the file asks for it (NeedAppearances) or
    a filled widget has none. Fields with their own appearance and no such request keep it."""
    import pikepdf

    form = pdf.Root.get("/AcroForm")
    if form is None:
        return
    missing = any(
        annot.get("/Subtype") == pikepdf.Name.Widget and "/AP" not in annot
        for page in pdf.pages for annot in page.obj.get("/Annots", [])
        if isinstance(annot, pikepdf.Dictionary)
    )
    if bool(form.get("/NeedAppearances", False)) or missing:
        form.NeedAppearances = True
        pdf.generate_appearance_streams()


def _settle_annotations(pdf) -> None:
    """Remaining annotations as indirect objects; link actions removed (no web address opens)."""
    import pikepdf

    for page in pdf.pages:
        annots = page.obj.get("/Annots")
        if annots is None:
            continue
        kept = pikepdf.Array()
        for annot in annots:
            if not isinstance(annot, pikepdf.Dictionary):
                continue
            if annot.get("/Subtype") == pikepdf.Name.Link:
                for key in ("/A", "/AA"):
                    if key in annot:
                        del annot[key]
            kept.append(annot if annot.is_indirect else pdf.make_indirect(annot))
        if len(kept):
            page.obj.Annots = pdf.make_indirect(kept)
        else:
            del page.obj["/Annots"]
