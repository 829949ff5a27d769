"""Deliver one message to one user: the in-app row, and the email the user's mode asks for —
at once (待办, or a user who wants every message by mail), in tomorrow's digest (the default),
or none. Everything is written in the caller's transaction. `deliver_all` does the same for
the thousands of messages of a reminder run in a few statements."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sqlalchemy import and_, select, update
from sqlalchemy.orm import Session, aliased

from workflow.bulk import insert_rows
from workflow.notify.mailer import queue_email, queue_emails
from workflow.notify.models import Notification
from workflow.org.models import User
from workflow.projects.models import Project

EMAILS = Environment(
    loader=FileSystemLoader(Path(__file__).with_name("emails")),
    undefined=StrictUndefined,
    autoescape=False,
    keep_trailing_newline=True,
)
SUBJECT_PREFIX = "【绩效管理】"
#: Said under every email (not under the message in the app, where it would make no sense).
EMAIL_FOOTER = (
    "\n（本邮件由绩效管理系统自动发送，请勿直接回复。邮件接收方式可在系统「我的消息」中设置。）\n"
)
DEFAULT_BASE_URL = "http://127.0.0.1:5000"


def project_link(base_url: str, project: Project) -> str:
    return f"{(base_url or DEFAULT_BASE_URL).rstrip('/')}/projects/{project.id}"


def deliver(
    session: Session,
    user: User,
    *,
    kind: str,
    project: Project | None,
    title: str,
    body: str,
    now: dt.datetime,
    topic: str | None = None,
    reminder_id: int | None = None,
) -> Notification:
    """Add the message; a message on a topic supersedes the user's older ones on it."""
    note = Notification(user_id=user.id, project_id=project.id if project else None,
                        reminder_id=reminder_id, kind=kind, topic=topic, title=title[:200],
                        body=body, created_at=now, superseded=False,
                        mail_pending=_mailed(user, kind) == DIGEST)  # fmt: skip
    session.add(note)
    session.flush()
    if topic:
        session.execute(
            update(Notification)
            .where(Notification.user_id == user.id, Notification.topic == topic,
                   Notification.id < note.id, Notification.superseded.is_(False))
            .values(superseded=True)
            .execution_options(synchronize_session=False)
        )  # fmt: skip
    if _mailed(user, kind) == AT_ONCE:
        queue_email(session, dedupe_key=f"notification:{note.id}", to_addr=user.email,
                    subject=_subject(title, project), body=body + EMAIL_FOOTER,
                    now=now)  # fmt: skip
    return note


@dataclass(frozen=True)
class Message:
    """One message to one user, as `deliver` takes it."""

    user: User
    kind: str
    project: Project | None
    title: str
    body: str
    topic: str | None = None
    reminder_id: int | None = None


def deliver_all(session: Session, messages: Sequence[Message], *, now: dt.datetime) -> None:
    """`deliver` for many messages in a number of statements that does not grow with them:
    multi-row INSERTs of the messages and their emails, and one UPDATE superseding the older
    messages on their topics. Given in the order they are said: of one user's messages on a
    topic, the last is the one shown."""
    if not messages:
        return
    newest = {(m.user.id, m.topic): n for n, m in enumerate(messages) if m.topic}
    rows = [
        {"user_id": m.user.id, "project_id": m.project.id if m.project else None,
         "reminder_id": m.reminder_id, "kind": m.kind, "topic": m.topic, "title": m.title[:200],
         "body": m.body, "created_at": now,
         "superseded": m.topic is not None and newest[(m.user.id, m.topic)] != n,
         "mail_pending": _mailed(m.user, m.kind) == DIGEST}
        for n, m in enumerate(messages)
    ]  # fmt: skip
    ids = _inserted(session, rows)
    if newest:
        _supersede_older(session, first=min(ids), last=max(ids))
    queue_emails(session, [
        {"dedupe_key": f"notification:{note_id}", "to_addr": m.user.email,
         "subject": _subject(m.title, m.project), "body": m.body + EMAIL_FOOTER}
        for note_id, m in zip(ids, messages, strict=True) if _mailed(m.user, m.kind) == AT_ONCE
    ], now=now)  # fmt: skip


def _inserted(session: Session, rows: list[dict]) -> list[int]:
    """Insert the rows; their ids, in the order of the rows. A multi-row INSERT numbers its rows
    in the order given on SQLite and PostgreSQL alike (SQLAlchemy's own ordered RETURNING
    relies on it on PostgreSQL, and on SQLite would send one row per statement instead), but
    RETURNING may list them in any order: they are sorted, and checked against the rows."""
    table = Notification.__table__
    columns = (table.c.id, table.c.user_id, table.c.reminder_id)
    returned = sorted(tuple(row) for row in insert_rows(session, table, rows, returning=columns))
    if [(user, reminder) for _, user, reminder in returned] != [
        (row["user_id"], row["reminder_id"]) for row in rows
    ]:
        raise RuntimeError("messages were not numbered in the order they were inserted")
    return [id_ for id_, _, _ in returned]


def _supersede_older(session: Session, *, first: int, last: int) -> None:
    """Supersede each user's messages older than `first` on a topic that one of the messages
    `first`…`last` speaks of."""
    new, old = aliased(Notification), aliased(Notification)
    older = (
        select(old.id)
        .join(new, and_(new.user_id == old.user_id, new.topic == old.topic))
        .where(new.id.between(first, last), old.id < first, old.superseded.is_(False))
    )
    session.execute(
        update(Notification).where(Notification.id.in_(older)).values(superseded=True)
        .execution_options(synchronize_session=False)
    )  # fmt: skip


AT_ONCE, DIGEST = "at once", "digest"


def _mailed(user: User, kind: str) -> str | None:
    """How the user gets a message of this kind by email: at once (a 待办, or every message if
    they asked), in the daily digest, or not (no address, or mail off)."""
    if not user.email or user.email_mode == "off":
        return None
    return AT_ONCE if kind == "todo" or user.email_mode == "each" else DIGEST


def _subject(title: str, project: Project | None) -> str:
    return (f"{SUBJECT_PREFIX}{title}" + (f"（{project.name}）" if project else ""))[:200]
