"""Is this copy valid: the one answer for the public page, the API and the command line
(public_verify), and the verdict's words (verdict_labels)."""
