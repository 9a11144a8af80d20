"""A dossier's fee and payments, its submission to the leader, an extension and a refusal."""
from __future__ import annotations

from sqlmodel import Session, func, select

from domain import audit, requester_notices, webhook_events, workflow
from domain.access import CurrentUser
from domain.clock import Clock, to_utc, utcnow
from domain.deadlines import ExtensionRefused, extend_due, step_due
from domain.models import Dossier, Office, Payment
from domain.offices import calendar_for
from domain.refusal import REFUSAL_GROUNDS, failed_checks

from .access import WorkflowError, actor_of, editable, lock_dossier_for, originals_of, pages_of


def dossier_fee(session: Session, dossier_id: int) -> int:
    return sum(o.fee for o in originals_of(session, dossier_id))


def paid_amount(session: Session, dossier_id: int) -> int:
    return session.exec(select(func.coalesce(func.sum(Payment.amount), 0))
                        .where(Payment.dossier_id == dossier_id)).one()


def submission_problems(session: Session, dossier: Dossier, office: Office) -> list[str]:
    """What still stops the dossier from going to the leader (Vietnamese, one line each)."""
    problems = []
    originals = originals_of(session, dossier.id)
    if not originals:
        problems.append("Hồ sơ chưa có bản chính nào.")
    for original in originals:
        if not pages_of(session, original.id):
            problems.append(f"«{original.title}» chưa có bản scan.")
        # Whether a paper was drawn up by an individual is not recorded apart: the official ticks the
        # "individual_confirmed" check for such papers, so that check never blocks on its own.
        missing = failed_checks(
            set(original.checks), foreign=original.origin == "foreign", individual_paper=False
        )
        if missing:
            problems.append(f"«{original.title}»: chưa xác nhận đủ các điểm kiểm tra bản chính (Điều 22).")
    if (
        not office.allow_pay_later
        and originals
        and paid_amount(session, dossier.id) < dossier_fee(session, dossier.id)
    ):
        problems.append("Hồ sơ chưa nộp phí chứng thực.")
    return problems


def submit(session: Session, user: CurrentUser, dossier_id: int, addr: str = "",
           clock: Clock | None = None) -> Dossier:
    """Send the dossier to the leader (draft/returned → submitted); the leader step's deadline starts.
   """
    dossier = editable(session, user, dossier_id)
    office = session.get(Office, dossier.office_id)
    problems = submission_problems(session, dossier, office)
    if problems:
        raise WorkflowError(" ".join(problems))
    dossier.state = workflow.next_state(dossier.state, workflow.SUBMIT)
    now = utcnow(clock)
    dossier.submitted_at = now
    dossier.step_due_at = to_utc(step_due("leader", now, calendar_for(session, office)))
    audit.record(session, actor_of(user, addr), "submit", target_type="dossier", target_id=dossier.id,
                 office_id=dossier.office_id, summary=f"Trình lãnh đạo ký hồ sơ {dossier.code}")
    webhook_events.record(session, dossier, webhook_events.SUBMITTED)
    session.flush()
    return dossier


def extend(session: Session, user: CurrentUser, dossier_id: int, working_days: int, reason: str,
           agreement: str = "", addr: str = "") -> Dossier:
    """Extend the result's deadline (≤ 2 working days, longer with a written agreement)."""
    dossier = editable(session, user, dossier_id)
    if not reason.strip():
        raise WorkflowError("Vui lòng ghi lý do gia hạn.")
    office = session.get(Office, dossier.office_id)
    try:
        due = extend_due(dossier.due_at, working_days, calendar_for(session, office),
                         written_agreement=bool(agreement.strip()))
    except ExtensionRefused as exc:
        raise WorkflowError(exc.message) from exc
    dossier.due_at = to_utc(due)
    dossier.extension_reason = reason.strip()
    dossier.extension_agreement = agreement.strip() or None
    audit.record(
        session,
        actor_of(user, addr),
        "extend",
        target_type="dossier",
        target_id=dossier.id,
        office_id=dossier.office_id,
        summary=f"Gia hạn {working_days} ngày làm việc: {reason.strip()}",
    )
    session.flush()
    return dossier


def refuse(session: Session, user: CurrentUser, dossier_id: int, grounds: list[str], note: str,
           notice_pdf: bytes | None = None, store=None, addr: str = "") -> Dossier:
    """End the dossier with one or more Art. 22 grounds; the written notice is stored."""
    dossier = lock_dossier_for(session, user, dossier_id)
    right = workflow.required_right(dossier.state, workflow.REFUSE)  # raises IllegalTransition
    user.require(right)
    grounds = [g for g in grounds if g in REFUSAL_GROUNDS]
    if not grounds:
        raise WorkflowError("Vui lòng chọn ít nhất một lý do từ chối theo Điều 22 Nghị định 23/2015/NĐ-CP.")
    if not note.strip():
        raise WorkflowError("Vui lòng ghi rõ giải thích cho người yêu cầu.")
    dossier.state = workflow.next_state(dossier.state, workflow.REFUSE)
    dossier.refused_at = utcnow()
    dossier.refusal_grounds = grounds
    dossier.refusal_note = note.strip()
    if notice_pdf is not None and store is not None:
        dossier.refusal_notice_sha256 = store(session, notice_pdf, "application/pdf")  # stored once
        requester_notices.refused(session, dossier, session.get(Office, dossier.office_id),
                                  dossier.refusal_notice_sha256, dossier.refusal_note)
    audit.record(session, actor_of(user, addr), "refuse", target_type="dossier", target_id=dossier.id,
                 office_id=dossier.office_id, summary=f"Từ chối chứng thực: {', '.join(grounds)}")
    webhook_events.record(session, dossier, webhook_events.REFUSED)
    session.flush()
    return dossier
