"""Deliver one message to one user: the in-app row, and the email the user's mode asks for —
at once (待办, or a user who wants every message by mail), in tomorrow's digest (the default),
or none. Everything is written in the caller's transaction."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sqlalchemy import update
from sqlalchemy.orm import Session

from workflow.notify.mailer import queue_email
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
                        mail_pending=False)  # fmt: skip
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
    if not user.email or user.email_mode == "off":
        return note
    if kind == "todo" or user.email_mode == "each":
        subject = f"{SUBJECT_PREFIX}{title}" + (f"（{project.name}）" if project else "")
        queue_email(session, dedupe_key=f"notification:{note.id}", to_addr=user.email,
                    subject=subject[:200], body=body + EMAIL_FOOTER, now=now)  # fmt: skip
    else:
        note.mail_pending = True
    return note
