"""Per-request access to the database session, the lifecycle and the clock."""

from __future__ import annotations

from flask import current_app, g, request
from flask_login import current_user
from sqlalchemy.orm import Session

from workflow.org.models import User
from workflow.uow import UnitOfWork


def services():
    return current_app.extensions["jixiao"]


def db_session() -> Session:
    """One session per request; POSTs take SQLite's write lock when they begin."""
    if "db_session" not in g:
        g.db_session = services().db.session(write=request.method == "POST")
    return g.db_session


def uow() -> UnitOfWork:
    return UnitOfWork(db_session())


def now():
    return services().clock.now()


def lifecycle():
    return services().lifecycle


def actor() -> User:
    """The logged-in person as the domain knows them."""
    return current_user.user


def close_session(_exc=None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
