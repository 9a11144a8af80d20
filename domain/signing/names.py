"""Name helpers for public pages (show as little personal data as needed)."""


def shorten_name(full_name: str) -> str:
    """Keep the family name, reduce the other names to initials: "Nguyễn Văn An" -> "Nguyễn V. A."."""
    parts = full_name.split()
    if len(parts) <= 1:
        return full_name.strip()
    return " ".join([parts[0], *(p[0].upper() + "." for p in parts[1:])])
