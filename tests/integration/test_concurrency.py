"""Two people acting on one project at once: exactly one wins, nothing is lost or doubled."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from workflow.audit import chain
from workflow.audit.models import AuditEvent
from workflow.declaration import operations as ops
from workflow.errors import Conflict
from workflow.lifecycle.operations import fire
from workflow.org.models import Role, User
from workflow.projects.models import Project
from workflow.uow import UnitOfWork


def _race(db, project_id, actions):
    """Load the project in one session per action, then run all actions at the same moment."""
    sessions = [db.session() for _ in actions]
    loaded = [(s, s.get(Project, project_id)) for s in sessions]
    barrier = threading.Barrier(len(actions))
    results: list = [None] * len(actions)

    def run(i):
        session, project = loaded[i]
        barrier.wait()
        try:
            results[i] = actions[i](UnitOfWork(session), project, session)
        except Exception as exc:  # noqa: BLE001 - the outcome is what we assert on
            results[i] = exc
        finally:
            session.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(actions))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.fixture
def declared(make):
    unit = make.unit()
    filler, head = make.user(Role.filler, unit=unit), make.user(Role.unit_head, unit=unit)
    project = make.project(unit, state="declared", creator=filler, submitted_by=filler,
                           last_by=head)  # fmt: skip
    return project, make.user(Role.reviewer), make.user(Role.reviewer), filler


def test_two_reviewers_approve_at_once_one_wins(db, database_url, declared, clock):
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite serializes writers, so there is no row-level race to test")
    project, first, second, _ = declared

    def approve(user_id):
        def act(uow, p, session):
            return fire(uow, p, "approve", actor=session.get(User, user_id), now=clock.now())

        return act

    results = _race(db, project.id, [approve(first.id), approve(second.id)])
    wins = [r for r in results if not isinstance(r, Exception)]
    assert len(wins) == 1
    assert [type(r) for r in results if isinstance(r, Exception)] == [Conflict]
    with db.session() as s:
        assert s.get(Project, project.id).version == 2
        assert s.scalar(select(func.count()).where(AuditEvent.action == "approve")) == 1
        assert chain.verify(s).ok


def test_two_form_saves_at_once_lose_nothing_silently(db, database_url, make, clock):
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite serializes writers, so there is no row-level race to test")
    unit = make.unit()
    filler = make.user(Role.filler, unit=unit)
    project = make.project(unit, creator=filler)

    def save(summary, version=1):
        def act(uow, p, session):
            data = {"name": p.name, "year": "2026", "amount": "350", "summary": summary}
            return ops.save_declaration(uow, p, data, actor=session.get(User, filler.id),
                                        now=clock.now(), expected_version=version)  # fmt: skip

        return act

    results = _race(db, project.id, [save("第一个版本"), save("第二个版本")])
    assert sorted(type(r).__name__ for r in results) == ["EditConflict", "list"]
    winner = "第一个版本" if isinstance(results[0], list) else "第二个版本"
    loser = next(r for r in results if isinstance(r, Conflict))
    other = ({"第一个版本", "第二个版本"} - {winner}).pop()
    assert loser.differences == [["项目概况", winner, other]]
    with db.session() as s:
        from workflow.declaration.models import Declaration

        assert s.get(Declaration, project.id).summary == winner
        assert s.get(Project, project.id).version == 2

    # A double click: the same form twice at once saves once and blames nobody.
    again = _race(db, project.id, [save("第三个版本", 2), save("第三个版本", 2)])
    assert all(isinstance(r, list) for r in again), again
    assert sorted(len(r) for r in again) == [0, 1]  # one saved the change, one found it saved
    with db.session() as s:
        assert s.get(Project, project.id).version == 3


def test_a_stale_form_is_refused_on_every_backend(session, declared, clock):
    project, first, second, _ = declared
    fire(UnitOfWork(session), project, "approve", actor=first, now=clock.now(),
         expected_version=1)  # fmt: skip
    project.state = "declared"  # what the second tab still shows
    session.expire(project)
    with pytest.raises(Conflict):
        fire(UnitOfWork(session), session.get(Project, project.id), "start_implementation",
             actor=declared[3], now=clock.now(), expected_version=1)  # fmt: skip
