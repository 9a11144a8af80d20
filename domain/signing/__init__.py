"""Rules for signing and verifying certified copies (no pyHanko, no UI here)."""
