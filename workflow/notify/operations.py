"""What a user does with their notifications, and what the admin does with failed mail."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, update

from workflow.errors import NotAllowed, NotFound
from workflow.notify.models import Notification, OutboundEmail
from workflow.org.models import Role, User
from workflow.uow import UnitOfWork


def unread_count(session, user: User) -> int:
    query = select(func.count()).where(Notification.user_id == user.id,
                                       Notification.read_at.is_(None))  # fmt: skip
    return session.scalar(query)


def latest(session, user: User, limit: int = 100) -> list[Notification]:
    query = select(Notification).where(Notification.user_id == user.id)
    return list(session.scalars(query.order_by(Notification.id.desc()).limit(limit)))


def mark_all_read(uow: UnitOfWork, user: User, *, now: dt.datetime) -> None:
    with uow:
        uow.session.execute(update(Notification)
                            .where(Notification.user_id == user.id, Notification.read_at.is_(None))
                            .values(read_at=now))  # fmt: skip
        uow.commit()


def set_email_preference(uow: UnitOfWork, user: User, *, wants_email: bool) -> None:
    """接收邮件提醒 on or off; in-app notifications always arrive."""
    with uow:
        user.wants_email = wants_email
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
