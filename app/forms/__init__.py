"""Printable forms (PDF)."""
