"""The register on paper and in a spreadsheet: the monthly print (landscape A4 PDF, bound into the
year's book), the monthly XLSX export, and the signed year-end closing summary.

    pdf = monthly_pdf(office, year, month, rows)        # rows: domain.register.month_rows(...)
    xlsx = monthly_xlsx(office, year, month, rows)
    pdf = closing_pdf(summary); signed = sign_closing(pdf, office_kit(office, approver).signer, summary)
"""
from .closing import close_year, closing_pdf, sign_closing
from .pdf import monthly_pdf
from .xlsx import monthly_xlsx, stats_xlsx

__all__ = ["close_year", "closing_pdf", "monthly_pdf", "monthly_xlsx", "sign_closing", "stats_xlsx"]
