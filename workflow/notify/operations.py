"""What a user does with their messages (我的消息), and what the admin does with failed mail."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, func, select, update

from workflow.errors import InvalidInput, NotAllowed, NotFound, Problem
from workflow.lifecycle.spec import LifecycleSpec
from workflow.notify.models import Notification, OutboundEmail
from workflow.org import access
from workflow.org.models import EMAIL_MODES, Role, User
from workflow.projects.models import Project
from workflow.uow import UnitOfWork

#: The filters of 我的消息: what each shows.
FILTERS = {"": "全部", "unread": "未读", "todo": "待办", "reminder": "提醒"}
PAGE_SIZE = 100
MAX_PAGE = 1000  # 100,000 messages back: further is not browsing


def _shown(user: User):
    # A message superseded by a newer one on its topic is never shown nor counted.
    return (Notification.user_id == user.id, Notification.superseded.is_(False))


def unread_count_query(user: User) -> Select[tuple[int]]:
    """How many of the user's messages are unread (the count on every page), as a query."""
    return select(func.count()).where(*_shown(user), Notification.read_at.is_(None))


def unread_count(session, user: User) -> int:
    return session.scalar(unread_count_query(user))


@dataclass(frozen=True)
class InboxGroup:
    """The messages about one project (or about none), newest first. `visible` says whether
    the user may open the project now: if not, it is named as the message named it, unlinked."""

    project: Project | None
    visible: bool
    notes: list[Notification]


@dataclass(frozen=True)
class Inbox:
    groups: list[InboxGroup]
    page: int
    more: bool  # older messages follow on the next page


def inbox(session, user: User, spec: LifecycleSpec, *, which: str = "", page: int = 1) -> Inbox:
    """One page of the messages the filter keeps, newest first, grouped by project in the
    order of each project's newest message."""
    page = min(max(page, 1), MAX_PAGE)
    query = (
        select(Notification, Project)
        .outerjoin(Project, Project.id == Notification.project_id)
        .where(*_shown(user))
    )
    if which == "unread":
        query = query.where(Notification.read_at.is_(None))
    elif which in ("todo", "reminder"):
        query = query.where(Notification.kind == which)
    query = query.order_by(Notification.id.desc()).offset((page - 1) * PAGE_SIZE)
    rows = session.execute(query.limit(PAGE_SIZE + 1)).all()
    groups: dict[int | None, InboxGroup] = {}
    for note, project in rows[:PAGE_SIZE]:
        key = project.id if project else None
        if key not in groups:
            visible = project is not None and access.can_view(user, project, spec)
            groups[key] = InboxGroup(project, visible, [])
        groups[key].notes.append(note)
    return Inbox(list(groups.values()), page, len(rows) > PAGE_SIZE)


def open_message(uow: UnitOfWork, user: User, notification_id: int, *, now: dt.datetime):
    """One message of the user's, marked read; NotFound for anyone else's."""
    with uow:
        note = uow.session.get(Notification, notification_id)
        if note is None or note.user_id != user.id:
            raise NotFound()
        if note.read_at is None:
            note.read_at = now
        uow.commit()
        return note


def mark_all_read(uow: UnitOfWork, user: User, *, now: dt.datetime) -> None:
    with uow:
        uow.session.execute(update(Notification)
                            .where(Notification.user_id == user.id, Notification.read_at.is_(None))
                            .values(read_at=now))  # fmt: skip
        uow.commit()


def set_email_mode(uow: UnitOfWork, user: User, *, mode: str) -> None:
    """每日汇总, 每条一封 or 不接收; in-app messages always arrive."""
    if mode not in EMAIL_MODES:
        raise InvalidInput([Problem("email_mode", "请选择邮件接收方式")])
    with uow:
        user.email_mode = mode
        if mode == "off":  # what waited for a digest will not be mailed now
            uow.session.execute(
                update(Notification)
                .where(Notification.user_id == user.id, Notification.mail_pending)
                .values(mail_pending=False)
            )
        uow.commit()


def retry_email(uow: UnitOfWork, email_id: int, *, actor: User, now: dt.datetime) -> None:
    """The admin sends a dead email again."""
    from workflow.notify.mailer import retry

    with uow:
        if not actor.has_role(Role.admin):
            raise NotAllowed()
        email = uow.session.get(OutboundEmail, email_id)
        if email is None:
            raise NotFound()
        retry(uow.session, email.id, now=now)
        uow.commit()


def retry_all_emails(uow: UnitOfWork, *, actor: User, now: dt.datetime) -> int:
    """全部重新发送: every dead email goes back to the queue (after an outage is fixed)."""
    from workflow.notify.mailer import retry

    with uow:
        if not actor.has_role(Role.admin):
            raise NotAllowed()
        count = retry(uow.session, None, now=now)
        uow.commit()
    return count
