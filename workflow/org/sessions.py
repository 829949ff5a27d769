"""Sessions kept on the server, and the login log.

A login starts a session: a random token goes into the browser's cookie and its SHA-256 into
`login_sessions`. Each request resumes it by that hash, in the statement that loads the user,
and ends it when it has been idle too long, has lasted too long, was logged out, or the
account changed since (password, roles, unit, activation). Every web node reads the same rows,
so a logout on one is a logout on all."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, contains_eager, joinedload

from workflow.org.models import LoginRecord, LoginSession, User
from workflow.uow import UnitOfWork

# Seen-at is written at most this often per session: an idle timeout of 30 minutes does not
# need a write on every page.
TOUCH_EVERY = dt.timedelta(minutes=1)
LOGIN_LOG_DAYS = 180  # the least 等保 asks; the setting may keep it longer, never shorter


@dataclass(frozen=True)
class SessionPolicy:
    """How long a session lasts: idle (no request) and in all, whatever the activity."""

    idle: dt.timedelta = dt.timedelta(minutes=30)
    absolute: dt.timedelta = dt.timedelta(hours=12)


@dataclass(frozen=True)
class Resumed:
    """A request's session: its user, or why there is none (`ended`: 'expired' when it timed
    out, 'gone' when it was logged out, replaced or never existed)."""

    user: User | None
    ended: str | None = None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(
    uow: UnitOfWork, user: User, *, now: dt.datetime, remote_addr: str, log: bool = True
) -> str:
    """A new session for the user (logged as a login unless `log` is false: a session
    renewed after a password change); returns the token for the cookie (never stored)."""
    token = secrets.token_urlsafe(32)
    with uow:
        uow.session.add(
            LoginSession(
                token_hash=_digest(token), user_id=user.id, user_version=user.session_version,
                started_at=now, seen_at=now, remote_addr=remote_addr[:64],
            )
        )  # fmt: skip
        if log:
            record(uow.session, user.username, "ok", now=now, remote_addr=remote_addr, user=user)
        uow.commit()
    return token


def resume(uow: UnitOfWork, token: str, policy: SessionPolicy, *, now: dt.datetime) -> Resumed:
    """The user of a session token, with their roles, in one statement; a session past its
    idle or absolute time is ended here and logged as timed out. Writes (seen-at once a
    minute, an ending) are committed at once: the request has done nothing else yet."""
    if not token or len(token) > 100:
        return Resumed(None, "gone")
    session = uow.session
    found = session.execute(
        select(LoginSession)
        .join(LoginSession.user)
        .options(contains_eager(LoginSession.user).options(joinedload(User.role_rows)))
        .where(LoginSession.token_hash == _digest(token))
    ).unique().scalar_one_or_none()  # fmt: skip
    if found is None:
        return Resumed(None, "gone")
    if found.ended_at is not None:
        # Ended already. If by a timeout (another tab's request, or the page's icon, may have
        # been the one to find it), every later request of it says so too.
        timed_out = (found.ended_at - found.seen_at > policy.idle
                     or found.ended_at - found.started_at > policy.absolute)  # fmt: skip
        return Resumed(None, "expired" if timed_out else "gone")
    user = found.user
    if not user.is_active or user.session_version != found.user_version:
        _end(session, found, now)
        uow.commit()
        return Resumed(None, "gone")
    if now - found.seen_at > policy.idle or now - found.started_at > policy.absolute:
        _end(session, found, now)
        record(session, user.username, "expired", now=now, remote_addr="", user=user)
        uow.commit()
        return Resumed(None, "expired")
    if now - found.seen_at >= TOUCH_EVERY:
        session.execute(update(LoginSession).where(LoginSession.id == found.id).values(seen_at=now))
        uow.commit()
    return Resumed(user)


def end(
    uow: UnitOfWork, token: str, *, now: dt.datetime, remote_addr: str, log: bool = True
) -> None:
    """Log out: the session ends on the server, so its cookie is refused from now on."""
    with uow:
        found = uow.session.scalar(
            select(LoginSession)
            .options(joinedload(LoginSession.user))
            .where(LoginSession.token_hash == _digest(token or ""), LoginSession.ended_at.is_(None))
        )
        if found is not None:
            _end(uow.session, found, now)
            if log:
                record(uow.session, found.user.username, "logout", now=now,
                       remote_addr=remote_addr, user=found.user)  # fmt: skip
        uow.commit()


def _end(session: Session, found: LoginSession, now: dt.datetime) -> None:
    session.execute(update(LoginSession).where(LoginSession.id == found.id).values(ended_at=now))


def record(
    session: Session, username: str, result: str, *, now: dt.datetime, remote_addr: str,
    user: User | None = None,
) -> None:  # fmt: skip
    """One line of the login log (added to the session; the caller commits)."""
    session.add(
        LoginRecord(
            at=now,
            username=username[:64],
            user_id=user.id if user else None,
            remote_addr=(remote_addr or "")[:64],
            result=result,
        )  # fmt: skip
    )


def prune(uow: UnitOfWork, policy: SessionPolicy, *, now: dt.datetime, keep_days: int) -> int:
    """The daily clean-up: sessions over for a day are deleted; the login log keeps
    `keep_days` (at least LOGIN_LOG_DAYS). Returns the number of rows deleted."""
    keep = dt.timedelta(days=max(keep_days, LOGIN_LOG_DAYS))
    over = now - max(policy.idle, policy.absolute) - dt.timedelta(days=1)
    with uow:
        gone = uow.session.execute(delete(LoginSession).where(LoginSession.seen_at < over))
        old = uow.session.execute(delete(LoginRecord).where(LoginRecord.at < now - keep))
        uow.commit()
    return gone.rowcount + old.rowcount
