"""Shared test helpers: generated test data (no real person\x27s data in the repo)."""
