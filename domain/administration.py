"""Administration use cases (SPEC A1–A5, A13, C8): officials and their rights in an office.

Every use case takes the session, the signed-in administrator (`CurrentUser`) and the `Actor`;
it re-checks the `administer` right against the database, works only inside the administrator's
office in use (its unit tree), writes one audit event per change; the runner's unit of work commits once.
The use cases live in one module per job, re-exported here so pages import one module:
officials `domain.admin_officials` (their input checks `domain.admin_official_input`, their status and
passwords `domain.admin_official_status`), rights `domain.admin_rights`, units `domain.office_units`,
office settings `domain.admin_office_settings`, the audit trail search `domain.admin_audit_search`.
"""
from __future__ import annotations

from domain.access import AccessDenied  # noqa: F401
from domain.admin_audit_search import (  # noqa: F401
    ACTION_LABELS,
    AuditFilter,
    action_label,
    audit_actions,
    events_for_export,
    search_audit,
)
from domain.admin_office_settings import (  # noqa: F401
    DAY_KINDS,
    OFFICE_KINDS,
    OfficeSettings,
    add_office_day,
    list_office_days,
    office_settings,
    remove_office_day,
    update_office_settings,
)
from domain.admin_official_input import OfficialInput  # noqa: F401
from domain.admin_official_status import issue_password, reset_password, set_status, unlock  # noqa: F401
from domain.admin_officials import (  # noqa: F401
    STATUS_FILTERS,
    OfficialRow,
    create_official,
    get_official,
    search_officials,
    update_official,
)
from domain.admin_rights import (  # noqa: F401
    ADMIN_GROUP_RIGHTS,
    CERTIFICATION_GROUP_RIGHTS,
    ISSUING_RIGHTS,
    grant_right,
    office_right_gaps,
    revoke_if_not_one_stop,
    revoke_right,
    right_holders,
    right_refusal,
    rights_in_office,
    set_rights,
)
from domain.admin_scope import AdminError, Page, admin_office  # noqa: F401
from domain.office_units import (  # noqa: F401
    UNIT_KINDS,
    UnitInput,
    UnitRow,
    create_unit,
    get_unit,
    search_units,
    update_unit,
)

__all__ = [
    "AdminError",
    "AccessDenied",
    "Page",
    "OfficialInput",
    "OfficialRow",
    "STATUS_FILTERS",
    "search_officials",
    "get_official",
    "create_official",
    "update_official",
    "set_status",
    "unlock",
    "reset_password",
    "grant_right",
    "revoke_right",
    "set_rights",
    "right_refusal",
    "office_right_gaps",
    "right_holders",
    "rights_in_office",
    "ADMIN_GROUP_RIGHTS",
    "CERTIFICATION_GROUP_RIGHTS",
    "ISSUING_RIGHTS",
    "admin_office",
    "UNIT_KINDS",
    "UnitInput",
    "UnitRow",
    "create_unit",
    "get_unit",
    "search_units",
    "update_unit",
    "DAY_KINDS",
    "OFFICE_KINDS",
    "OfficeSettings",
    "add_office_day",
    "list_office_days",
    "office_settings",
    "remove_office_day",
    "update_office_settings",
    "ACTION_LABELS",
    "AuditFilter",
    "action_label",
    "audit_actions",
    "events_for_export",
    "search_audit",
]
