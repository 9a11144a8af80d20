"""Time helpers: store aware UTC, show Asia/Ho_Chi_Minh."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def utcnow() -> datetime:
    """Aware UTC now, the form every stored time takes."""
    return datetime.now(timezone.utc)


def to_utc(moment: datetime) -> datetime:
    """Aware (or naive local) time → aware UTC for storage."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL_TZ)
    return moment.astimezone(timezone.utc)


def to_local(stored: datetime | None) -> datetime | None:
    """Stored UTC (aware, or naive read back from a store without zones) → aware Asia/Ho_Chi_Minh."""
    if stored is None:
        return None
    if stored.tzinfo is None:
        stored = stored.replace(tzinfo=timezone.utc)
    return stored.astimezone(LOCAL_TZ)


def format_local(stored: datetime | None, fmt: str = "%d/%m/%Y %H:%M") -> str:
    local = to_local(stored)
    return local.strftime(fmt) if local else ""
