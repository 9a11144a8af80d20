"""Reports drawn as files for the offices: the audit trail as a workbook (audit_export), and the cells
every spreadsheet writes safely (spreadsheet: text that never turns into a formula). The register's own
prints are in app/register_print."""
