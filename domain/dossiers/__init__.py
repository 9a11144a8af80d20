"""Step 2, intake (create_copy): the dossier, its originals and their scans; extension; submit; refuse.

- access.py: reaching a dossier of the official's office (and the one error of this package);
- intake.py: the requester and the received dossier;
- originals.py: originals and their scan pages;
- lifecycle.py: fee and payments due, submission to the leader, extension, refusal.

`from domain import dossiers; dossiers.submit(…)` keeps working: the names are re-exported here.
"""
from .access import (
    WorkflowError,
    actor_of,
    editable,
    get_dossier_for,
    lock_dossier_for,
    originals_of,
    pages_of,
)
from .intake import RequesterData, open_dossier, requester_from_account, validate_requester
from .lifecycle import dossier_fee, extend, paid_amount, refuse, submission_problems, submit
from .originals import (
    COMMON_DOCUMENT_TYPES,
    OriginalData,
    add_scan_pages,
    edit_scan_page,
    save_original,
    validate_original,
)

__all__ = [
    "COMMON_DOCUMENT_TYPES",
    "OriginalData",
    "RequesterData",
    "WorkflowError",
    "actor_of",
    "add_scan_pages",
    "dossier_fee",
    "edit_scan_page",
    "editable",
    "extend",
    "get_dossier_for",
    "lock_dossier_for",
    "open_dossier",
    "originals_of",
    "paid_amount",
    "pages_of",
    "refuse",
    "requester_from_account",
    "save_original",
    "submission_problems",
    "submit",
    "validate_original",
    "validate_requester",
]
