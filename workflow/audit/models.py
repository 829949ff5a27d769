"""AuditEvent: the append-only, hash-chained record of every change people make."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from workflow.db import Base, UTCDateTime


class AuditEvent(Base):
    """One event. `hash` covers a canonical serialization of every other column plus `prev_hash`,
    so altering, deleting or reordering any stored event breaks the chain at that event."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_project_id_seq", "project_id", "seq"),
        Index("ix_audit_events_actor_id_seq", "actor_id", "seq"),  # 我经办的
        # The 安全审计员's filters: by action, and by time.
        Index("ix_audit_events_action_seq", "action", "seq"),
        Index("ix_audit_events_at", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)  # unique: a forked chain cannot commit
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_name: Mapped[str] = mapped_column(String(100))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"))
    action: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(100))
    from_state: Mapped[str | None] = mapped_column(String(40))
    to_state: Mapped[str | None] = mapped_column(String(40))
    comment: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[str] = mapped_column(Text, default="{}")  # canonical JSON
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # How `hash` was made (algorithms.py): "hmac-sha256" or, with AUDIT_HASH=sm3, "hmac-sm3"
    # (keyed, see keys.py) since migration 0014, "sha256" (unkeyed) before it. Old and new
    # events verify together; a keyed one is never followed by an unkeyed one.
    alg: Mapped[str] = mapped_column(String(16), server_default="sha256")


class AuditVerification(Base):
    """The result of one check of the whole chain (the daily job before its checkpoint, or
    `jixiao audit verify`), for the 安全审计员's page: the check takes too long to run on a page
    view. A row here is a report, not evidence: the evidence is the chain and the checkpoints."""

    __tablename__ = "audit_verifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    ok: Mapped[bool] = mapped_column()
    checked: Mapped[int] = mapped_column(Integer)  # events checked
    checkpoints: Mapped[int] = mapped_column(Integer)  # checkpoints found to agree
    head_seq: Mapped[int | None] = mapped_column(Integer)  # the checkpoint taken after, if any
    head_hash: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text, default="")  # the first problem found, in Chinese
    source: Mapped[str] = mapped_column(String(16))  # "scheduler" or "command"
