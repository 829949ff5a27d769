"""The audit chain verifies, and altering any stored field of any event names that event."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from workflow.audit import append_only, chain
from workflow.audit.models import AuditEvent
from workflow.lifecycle.operations import fire
from workflow.org.models import Role
from workflow.uow import UnitOfWork

# Each stored column, and a change to it: a SQL expression, or a new value.
FIELDS = {
    "id": ("id + 1000", None),
    "seq": ("seq + 1000", None),
    "at": (None, dt.datetime(2030, 1, 1)),
    "actor_id": ("NULL", None),
    "actor_name": (None, "冒名"),
    "project_id": ("NULL", None),
    "action": (None, "approve"),
    "label": (None, "篡改"),
    "from_state": (None, "archived"),
    "to_state": (None, "refused"),
    "comment": (None, "已改"),
    "details": (None, '{"x":1}'),
    "prev_hash": (None, "1" * 64),
    "hash": (None, "2" * 64),
}


@pytest.fixture
def history(session, make, clock):
    unit = make.unit()
    filler, head = make.user(Role.filler, unit=unit), make.user(Role.unit_head, unit=unit)
    project = make.project(unit, creator=filler)
    for trigger, actor, comment in [("submit", filler, ""), ("return_to_filler", head, "补充"),
                                    ("submit", filler, ""), ("declare", head, "")]:  # fmt: skip
        fire(UnitOfWork(session), project, trigger, actor=actor, now=clock.now(), comment=comment)
    return session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()


def test_an_untouched_chain_verifies(session, history):
    result = chain.verify(session)
    assert (result.ok, result.checked) == (True, 4)
    assert [e.prev_hash for e in history[1:]] == [e.hash for e in history[:-1]]


@pytest.mark.parametrize("position", [0, 2, 3])
@pytest.mark.parametrize("field", list(FIELDS))
def test_altering_any_field_names_the_event(session, history, field, position):
    append_only.remove(session.connection())  # someone with the rights to drop the triggers
    target_id = history[position].id
    expression, value = FIELDS[field]
    session.execute(text(f"UPDATE audit_events SET {field} = {expression or ':v'} WHERE id = :id"),
                    {"id": target_id, "v": value})  # fmt: skip
    session.commit()
    session.expire_all()
    result = chain.verify(session)
    assert not result.ok
    assert result.broken_id == (target_id + 1000 if field == "id" else target_id), result


def test_deleting_an_event_breaks_the_chain_at_the_next_one(session, history):
    append_only.remove(session.connection())
    session.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": history[1].id})
    session.commit()
    result = chain.verify(session)
    assert (result.ok, result.broken_id) == (False, history[2].id)


def test_history_records_who_what_when_and_the_comment(history, clock):
    returned = history[1]
    assert (returned.action, returned.label, returned.from_state, returned.to_state,
            returned.comment, returned.at) == ("return_to_filler", "退回修改", "unit_review",
                                               "draft", "补充", clock.now())  # fmt: skip


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_events SET comment = '悄悄改'", "DELETE FROM audit_events",
     "DELETE FROM audit_events WHERE seq = (SELECT MAX(seq) FROM audit_events)"],
    ids=["update", "delete", "cut-the-tail"],
)  # fmt: skip
def test_the_database_refuses_to_alter_or_remove_events(session, history, statement):
    # Cutting off the newest events would leave a chain that still verifies: the database
    # itself must refuse, not only the hash chain detect.
    with pytest.raises(DBAPIError, match=append_only.REFUSED):
        session.execute(text(statement))
    session.rollback()
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == len(history)
    assert chain.verify(session).ok


def test_postgresql_also_refuses_truncate(session, history, db):
    if db.dialect != "postgresql":
        pytest.skip("SQLite has no TRUNCATE (its DELETE is refused above)")
    with pytest.raises(DBAPIError, match=append_only.REFUSED):
        session.execute(text("TRUNCATE audit_events"))
    session.rollback()
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == len(history)


def test_the_trigger_knows_every_column_but_the_hash():
    columns = [c.name for c in AuditEvent.__table__.columns if c.name != "hash"]
    assert sorted(append_only.SEALED_COLUMNS) == sorted(columns)


def test_a_sealed_event_cannot_be_resealed(session, history):
    with pytest.raises(DBAPIError, match=append_only.REFUSED):
        session.execute(text("UPDATE audit_events SET hash = 'x' WHERE id = :id"),
                        {"id": history[-1].id})  # fmt: skip
    session.rollback()
    assert chain.verify(session).ok


def test_verify_reads_plain_rows_in_one_pass(db, session, history):
    """However long the chain: one SELECT, streamed, and no ORM object built (a million events
    took 2 GB as objects, read twice)."""
    from tests.web.conftest import StatementCounter

    session.expunge_all()
    with StatementCounter(db) as counter:
        result = chain.verify(session)
    # On PostgreSQL the one SELECT runs on the driver's named cursor, under SQLAlchemy
    expected = 0 if db.dialect == "postgresql" else 1
    assert (result.ok, result.checked, counter.count) == (True, len(history), expected)
    assert len(session.identity_map) == 0
