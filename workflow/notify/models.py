"""Reminders (one row per target, kind and day: sent once), in-app notifications, and the
email outbox that the scheduler drains."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy import text as sql
from sqlalchemy.orm import Mapped, mapped_column

from workflow.db import Base, UTCDateTime


class Reminder(Base):
    """One reminder. `key` = target:kind:date is unique, so a job run twice, or two schedulers
    at once, create it once."""

    __tablename__ = "reminders"
    __table_args__ = (
        Index("ix_reminders_project_id", "project_id"),
        Index("ix_reminders_milestone_id", "milestone_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    milestone_id: Mapped[int | None] = mapped_column(ForeignKey("milestones.id"))
    kind: Mapped[str] = mapped_column(String(24))  # before, due, overdue, escalation
    deadline: Mapped[dt.date] = mapped_column(Date)
    remind_on: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


#: What a message is: the user can act on the project now, something happened, a deadline.
KINDS = {"todo": "待办", "info": "通知", "reminder": "提醒"}


class Notification(Base):
    """An in-app message to one user; unread until read_at is set. A newer message on the same
    topic (the same milestone's reminders) supersedes the older ones in the list, so one item
    never shows two day counts. `mail_pending` marks what waits for the user's daily digest."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_id_read_at", "user_id", "read_at"),
        Index("ix_notifications_user_id_id", "user_id", "id"),  # the newest first
        Index("ix_notifications_user_id_topic", "user_id", "topic"),
        Index("ix_notifications_project_id", "project_id"),
        Index("ix_notifications_reminder_id", "reminder_id"),
        Index("ix_notifications_user_id_kind_id", "user_id", "kind", "id"),  # 待办, 提醒
        Index(
            "ix_notifications_mail_pending",
            "user_id",
            sqlite_where=sql("mail_pending"),
            postgresql_where=sql("mail_pending"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"))
    reminder_id: Mapped[int | None] = mapped_column(ForeignKey("reminders.id"))
    kind: Mapped[str] = mapped_column(String(16), default="info")  # see KINDS
    topic: Mapped[str | None] = mapped_column(String(64))  # milestone:12, evaluation:5
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    read_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    superseded: Mapped[bool] = mapped_column(Boolean, default=False)
    mail_pending: Mapped[bool] = mapped_column(Boolean, default=False)

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)


class OutboundEmail(Base):
    """An email waiting to be sent, written in the same transaction as its cause.
    status: pending → sent, or dead after a permanent (5xx) failure or 72 hours of failing."""

    __tablename__ = "outbound_emails"
    __table_args__ = (
        Index("ix_outbound_emails_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(160), unique=True)
    to_addr: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # The first failed attempt of the current run of failures (None: none failed yet).
    failing_since: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class StepEscalation(Base):
    """A project that waited in a state longer than its 时限 (states.yaml `sla`), told once per
    stay: `round_at` is when it entered the state, so coming back later counts afresh."""

    __tablename__ = "step_escalations"
    __table_args__ = (UniqueConstraint("project_id", "round_at", name="uq_step_escalations_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    state: Mapped[str] = mapped_column(String(64))
    round_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    told: Mapped[int] = mapped_column(Integer, default=0)  # how many people were told
