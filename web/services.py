"""Per-request access to the database session, the lifecycle and the clock."""

from __future__ import annotations

from flask import current_app, g, request
from flask_login import current_user
from sqlalchemy.orm import Session

from workflow.org import access
from workflow.org.models import User
from workflow.projects.models import Project
from workflow.uow import UnitOfWork


def services():
    return current_app.extensions["jixiao"]


def writes(view):
    """Mark a GET view that writes (opening a message marks it read): its session takes
    SQLite's write lock when it begins, as a POST's does (a read transaction that later
    writes would fail at once on a busy database instead of waiting)."""
    view.writes = True
    return view


def db_session() -> Session:
    """One session per request; POSTs (and views marked `writes`) take SQLite's write lock
    when they begin."""
    if "db_session" not in g:
        view = current_app.view_functions.get(request.endpoint or "")
        write = request.method == "POST" or getattr(view, "writes", False)
        g.db_session = services().db.session(write=write)
    return g.db_session


def uow() -> UnitOfWork:
    return UnitOfWork(db_session())


def now():
    return services().clock.now()


def lifecycle():
    return services().lifecycle


def base_url() -> str:
    """The site's address for links in emails (BASE_URL)."""
    return current_app.config["BASE_URL"]


def actor() -> User:
    """The logged-in person as the domain knows them."""
    return current_user.user


def visible_project(project_id: int) -> Project:
    """The project of an address, if the user may see it (else NotFound: a 404 that does not
    tell whether it exists)."""
    return access.require_view(actor(), db_session().get(Project, project_id), lifecycle().spec)


def close_session(_exc=None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
