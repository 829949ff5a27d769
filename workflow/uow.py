"""Unit of work: the one place that commits. Callbacks registered inside run after the commit."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session


class UnitOfWork:
    """Wraps a session; `with uow:` rolls back on any exception, `commit()` ends the work."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._after_commit: list[Callable[[], None]] = []

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self.rollback()

    def after_commit(self, callback: Callable[[], None]) -> None:
        self._after_commit.append(callback)

    def commit(self) -> None:
        self.session.commit()
        callbacks, self._after_commit = self._after_commit, []
        for callback in callbacks:
            callback()

    def rollback(self) -> None:
        self.session.rollback()
        self._after_commit.clear()
