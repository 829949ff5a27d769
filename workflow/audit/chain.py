"""Append to the audit chain (serialized, so it never forks) and verify it."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from workflow.audit.models import AuditEvent
from workflow.org.models import User

GENESIS = "0" * 64
_ADVISORY_LOCK_KEY = 0x4A49584941  # "JIXIA": one application-wide lock for audit appends


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _canonical(event: AuditEvent) -> str:
    return canonical_json(
        {
            "id": event.id,
            "seq": event.seq,
            "at": event.at.astimezone(dt.UTC).isoformat(),
            "actor_id": event.actor_id,
            "actor_name": event.actor_name,
            "project_id": event.project_id,
            "action": event.action,
            "label": event.label,
            "from_state": event.from_state,
            "to_state": event.to_state,
            "comment": event.comment,
            "details": event.details,
        }
    )


def compute_hash(event: AuditEvent) -> str:
    return hashlib.sha256(f"{event.prev_hash}\n{_canonical(event)}".encode()).hexdigest()


def append(
    session: Session,
    *,
    now: dt.datetime,
    actor: User | None,
    action: str,
    label: str,
    project_id: int | None = None,
    from_state: str | None = None,
    to_state: str | None = None,
    comment: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add one event at the end of the chain, inside the caller's transaction."""
    if session.get_bind().dialect.name == "postgresql":
        # Held until commit: concurrent appenders queue here instead of forking the chain.
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _ADVISORY_LOCK_KEY})
    last = session.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    event = AuditEvent(
        seq=(last.seq + 1) if last else 1,
        at=now,
        actor_id=actor.id if actor else None,
        actor_name=actor.display_name if actor else "系统",
        project_id=project_id,
        action=action,
        label=label,
        from_state=from_state,
        to_state=to_state,
        comment=comment or "",
        details=canonical_json(details or {}),
        prev_hash=last.hash if last else GENESIS,
        hash="",
    )
    session.add(event)
    session.flush()  # the id is part of what the hash covers
    event.hash = compute_hash(event)
    session.flush()
    return event


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    broken_seq: int | None = None
    broken_id: int | None = None
    reason: str = ""


def verify(session: Session) -> VerifyResult:
    """Report the first event whose content no longer matches its hash (an edit, in any column);
    then the first break in numbering or links (a deleted, inserted or reordered event)."""
    checked = 0
    for event in _stream(session, AuditEvent.id):
        if compute_hash(event) != event.hash:
            return VerifyResult(False, checked, event.seq, event.id, "内容与其哈希不符（已被改动）")
        checked += 1
    prev_hash, expected_seq = GENESIS, 1
    for event in _stream(session, AuditEvent.seq):
        if event.seq != expected_seq:
            return VerifyResult(False, checked, event.seq, event.id, f"缺少序号 {expected_seq}")
        if event.prev_hash != prev_hash:
            return VerifyResult(False, checked, event.seq, event.id, "与前一条记录的链接不符")
        prev_hash, expected_seq = event.hash, expected_seq + 1
    return VerifyResult(True, checked)


def _stream(session: Session, order):
    return session.execute(select(AuditEvent).order_by(order)).scalars().yield_per(1000)
