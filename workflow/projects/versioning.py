"""Optimistic locking: every change to a project moves its version by one, or fails as Conflict."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from workflow.errors import Conflict
from workflow.projects.models import Project


def bump_version(session: Session, project: Project, expected: int | None, **values) -> None:
    """UPDATE … WHERE id = ? AND version = expected; zero rows means someone else got there first.

    `expected` is the version the user saw (from the form); None means the version loaded now.
    Any versioned row will do (a project, a 监控表): the update is of its own table."""
    expected = project.version if expected is None else expected
    if expected != project.version:
        raise Conflict()
    values = {"version": expected + 1, **values}
    result = session.execute(
        update(model := type(project))
        .where(model.id == project.id, model.version == expected)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Conflict()
    # The row now holds these values: so does the object, without another SELECT.
    for key, value in values.items():
        set_committed_value(project, key, value)
