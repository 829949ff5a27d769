"""The daily digest: one email a user, listing every message mailed to nobody yet (the
user's `mail_pending` ones), grouped by project. Every user's digest is written in one
transaction (one multi-row INSERT) with a dedupe key of user and day, so a job run twice, or
two schedulers at once, send one digest; what arrives after today's digest waits for
tomorrow's, and nothing is listed twice."""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from sqlalchemy import select, update
from sqlalchemy.orm import Session, defer

from workflow.clock import CHINA
from workflow.db import Database
from workflow.lifecycle.spec import LifecycleSpec
from workflow.notify.delivery import DEFAULT_BASE_URL, EMAILS, SUBJECT_PREFIX, project_link
from workflow.notify.mailer import queue_emails
from workflow.notify.models import Notification
from workflow.org import access
from workflow.org.models import User
from workflow.projects.models import Project

MAX_LINES = 200  # one digest lists at most this many messages; the rest: see 我的消息
CLEARED_AT_ONCE = 10_000  # message ids in one UPDATE (SQLite binds at most 32,766 values)


def send_digests(db: Database, spec: LifecycleSpec, *, now: dt.datetime, base_url: str) -> int:
    """Queue today's digest for every user with messages waiting; returns how many. One
    transaction, in a number of statements that does not grow with the users or messages."""
    with db.session(write=True) as session:
        sent = _digests(session, spec, now=now, base_url=base_url)
        session.commit()
    return sent


def _digests(session: Session, spec, *, now: dt.datetime, base_url: str) -> int:
    # The bare column, as the partial index says it (`IS 1` would not use the index).
    waiting = select(Notification.user_id).where(Notification.mail_pending)
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(waiting)))}
    if not users:
        return 0
    rows = session.execute(
        select(Notification, Project)
        .outerjoin(Project, Project.id == Notification.project_id)
        .where(Notification.mail_pending)
        .order_by(Notification.user_id, Notification.id)
        .options(defer(Notification.body))
    ).all()
    day = now.astimezone(CHINA).date()
    read: dict[int, list[int]] = {}  # user id -> the ids of the messages read
    emails = []
    for user_id, group in groupby(rows, key=lambda row: row[0].user_id):
        theirs = list(group)
        read[user_id] = [note.id for note, _ in theirs]
        if email := _digest(spec, users[user_id], theirs, day, base_url):
            emails.append(email)
    queued = queue_emails(session, emails, now=now)
    # Today's digest went out already for those whose digest was not queued now: their
    # messages wait for tomorrow's. Everyone else's are mailed, or never will be.
    late = {e["dedupe_key"] for e in emails} - queued
    cleared = [i for user_id, ids in read.items() if _key(user_id, day) not in late for i in ids]
    for n in range(0, len(cleared), CLEARED_AT_ONCE):
        session.execute(
            update(Notification)
            .where(Notification.id.in_(cleared[n : n + CLEARED_AT_ONCE]))
            .values(mail_pending=False)
            .execution_options(synchronize_session=False)
        )
    return len(queued)


def _key(user_id: int, day: dt.date) -> str:
    return f"digest:{user_id}:{day.isoformat()}"


def _digest(spec, user: User, rows, day: dt.date, base_url: str) -> dict[str, str] | None:
    """The user's digest of these messages, or None when it lists nothing or they get no
    mail. Listed: what the user may still open (a unit changed, a project returned to the unit
    leaves it out), and of one item's reminders only the newest (one day count per item, as
    in 我的消息). The others are cleared with the rest."""
    rows = [(note, project) for note, project in rows if not note.superseded
            and (project is None or access.can_view(user, project, spec))]  # fmt: skip
    if not (rows and user.is_active and user.email and user.email_mode != "off"):
        return None
    body = _body(user, rows, day, base_url)
    return {"dedupe_key": _key(user.id, day), "to_addr": user.email,
            "subject": _subject(day, len(rows)), "body": body}  # fmt: skip


def _subject(day: dt.date, count: int) -> str:
    return f"{SUBJECT_PREFIX}{day.month}月{day.day}日消息汇总：{count} 条新消息"


def _body(user: User, rows, day: dt.date, base_url: str) -> str:
    # Projects in the order of their newest message first; within one, oldest first.
    def project_id(row) -> int:
        return row[1].id if row[1] else 0

    newest = {project_id(r): r[0].id for r in rows}
    ordered = sorted(rows, key=lambda r: (-newest[project_id(r)], r[0].id))
    groups = [
        {"project": project, "link": project_link(base_url, project) if project else "",
         "notes": [note for note, _ in group]}
        for (_, project), group in groupby(ordered, key=lambda r: (project_id(r), r[1]))
    ]  # fmt: skip
    shown = 0
    for group in groups:
        group["notes"] = group["notes"][: max(MAX_LINES - shown, 0)]
        shown += len(group["notes"])
    return EMAILS.get_template("digest.txt").render(
        user=user, day=day, groups=[g for g in groups if g["notes"]], count=len(rows), china=CHINA,
        shown=shown, inbox=f"{(base_url or DEFAULT_BASE_URL).rstrip('/')}/notifications",
    )  # fmt: skip
