"""What comes in: uploads checked and sniffed, scans and camera captures, PDF originals normalised,
intake drafts."""
