"""The daily digest: one email a user, listing every message mailed to nobody yet (the
user's `mail_pending` ones), grouped by project. Written in one transaction per user with a
dedupe key of user and day, so a job run twice, or two schedulers at once, send one digest;
what arrives after today's digest waits for tomorrow's, and nothing is listed twice."""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from workflow.clock import CHINA
from workflow.db import Database
from workflow.lifecycle.spec import LifecycleSpec
from workflow.notify.delivery import DEFAULT_BASE_URL, EMAILS, SUBJECT_PREFIX, project_link
from workflow.notify.mailer import queue_email
from workflow.notify.models import Notification
from workflow.org import access
from workflow.org.models import User
from workflow.projects.models import Project

MAX_LINES = 200  # one digest lists at most this many messages; the rest: see 我的消息


def send_digests(db: Database, spec: LifecycleSpec, *, now: dt.datetime, base_url: str) -> int:
    """Queue today's digest for every user with messages waiting; returns how many."""
    with db.session() as session:
        # The bare column, as the partial index says it (`IS 1` would not use the index).
        waiting = session.scalars(
            select(Notification.user_id).where(Notification.mail_pending).distinct()
        ).all()
    sent = 0
    for user_id in waiting:
        with db.session(write=True) as session:
            sent += _digest(session, spec, user_id, now=now, base_url=base_url)
            session.commit()
    return sent


def _digest(session: Session, spec, user_id: int, *, now: dt.datetime, base_url: str) -> bool:
    user = session.get(User, user_id)
    rows = session.execute(
        select(Notification, Project)
        .outerjoin(Project, Project.id == Notification.project_id)
        .where(Notification.user_id == user_id, Notification.mail_pending)
        .order_by(Notification.id)
    ).all()
    if not rows:
        return False  # another scheduler sent them a moment ago
    ids = [note.id for note, _ in rows]
    # Listed: what the user may still open (a unit changed, a project returned to the unit
    # leaves it out), and of one item's reminders only the newest (one day count per item, as
    # in 我的消息). The others are cleared with the rest.
    rows = [(note, project) for note, project in rows if not note.superseded
            and (project is None or access.can_view(user, project, spec))]  # fmt: skip
    queued = False
    if rows and user.is_active and user.email and user.email_mode != "off":
        day = now.astimezone(CHINA).date()
        queued = queue_email(session, dedupe_key=f"digest:{user.id}:{day.isoformat()}",
                             to_addr=user.email, subject=_subject(day, len(rows)),
                             body=_body(user, rows, day, base_url), now=now)  # fmt: skip
        if not queued:
            return False  # today's digest went out already: these wait for tomorrow's
    session.execute(
        update(Notification).where(Notification.id.in_(ids)).values(mail_pending=False)
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    return queued


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
