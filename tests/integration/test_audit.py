"""The audit chain verifies, and altering any stored field of any event names that event; a chain
whose events were hashed in several ways (SHA-256, HMAC-SHA256, HMAC-SM3) verifies whole."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from workflow.audit import append_only, chain
from workflow.audit.algorithms import KEYED, KEYED_SM3, PLAIN
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
    "alg": (None, "sha256"),  # a keyed event passed off as one from before the key
}


@pytest.fixture
def history(session, make, clock):
    return _history(session, make, clock)


@pytest.fixture
def sm3_history(session, make, clock, monkeypatch):
    """The same history, appended with AUDIT_HASH=sm3."""
    monkeypatch.setenv("AUDIT_HASH", "sm3")
    return _history(session, make, clock)


def _history(session, make, clock) -> list[AuditEvent]:
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
    _alter_and_verify(session, history[position].id, field, *FIELDS[field])


@pytest.mark.parametrize("field", list(FIELDS))
def test_altering_any_field_of_an_sm3_event_names_the_event(session, sm3_history, field):
    assert {e.alg for e in sm3_history} == {KEYED_SM3}
    _alter_and_verify(session, sm3_history[2].id, field, *FIELDS[field])


@pytest.mark.parametrize("alg", [KEYED, PLAIN])
def test_an_sm3_event_passed_off_as_hashed_another_way_is_caught(session, sm3_history, alg):
    result = _alter_and_verify(session, sm3_history[1].id, "alg", None, alg)
    assert "内容与其哈希不符" in result.reason


def _alter_and_verify(session, target_id: int, field: str, expression, value):
    append_only.remove(session.connection())  # someone with the rights to drop the triggers
    session.execute(text(f"UPDATE audit_events SET {field} = {expression or ':v'} WHERE id = :id"),
                    {"id": target_id, "v": value})  # fmt: skip
    session.commit()
    session.expire_all()
    result = chain.verify(session)
    assert not result.ok
    assert result.broken_id == (target_id + 1000 if field == "id" else target_id), result
    return result


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


def _rehash(
    session,
    *,
    plain: set[int] = frozenset(),
    key: bytes | None = None,
    algs: dict[int, str] | None = None,
    claimed: str | None = None,
) -> None:
    """What someone with the database's rights but without the key can do: recompute every
    hash after an edit, unkeyed for the events in `plain`, with the algorithm `algs` gives
    (by seq) or else HMAC-SHA256, keyed with `key` (a guess, or ours). Each event's `alg` says
    how it was hashed, or `claimed`, a lie."""
    session.expire_all()  # the rows as they are now, edits included
    rows = session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    prev = chain.GENESIS
    sql = text("UPDATE audit_events SET prev_hash = :p, hash = :h, alg = :a WHERE id = :id")
    for event in rows:
        alg = (algs or {}).get(event.seq) or (PLAIN if event.seq in plain else KEYED)
        values = {name: getattr(event, name) for name in chain.HASHED}
        digest = chain.event_hash(prev, values, alg, key)
        session.execute(sql, {"p": prev, "h": digest, "a": claimed or alg, "id": event.id})
        prev = digest
    session.commit()
    session.expire_all()


def test_a_rewritten_approval_with_every_later_hash_recomputed_fails_without_the_key(
    session, history
):
    append_only.remove(session.connection())
    session.execute(text("UPDATE audit_events SET comment = '同意' WHERE id = :id"),
                    {"id": history[3].id})  # fmt: skip
    _rehash(session, key=b"a guessed key")
    result = chain.verify(session)
    assert (result.ok, result.broken_seq) == (False, 1)  # the first event already disagrees
    assert "内容与其哈希不符" in result.reason


def test_an_unkeyed_event_after_a_keyed_one_is_refused(session, history):
    append_only.remove(session.connection())
    _rehash(session, plain={1, 2})  # the upgrade: two old events, then keyed ones
    assert chain.verify(session).ok
    _rehash(session, plain={1, 2, 4})  # the newest passed off as older, hashed without a key
    result = chain.verify(session)
    assert (result.ok, result.broken_seq) == (False, 4)
    assert "之后出现了未加密钥的记录" in result.reason


def test_old_unkeyed_and_new_keyed_events_verify_together(session, history, make, clock):
    append_only.remove(session.connection())
    _rehash(session, plain={1, 2, 3, 4})  # the whole history from before the upgrade
    append_only.install(session.connection())
    session.commit()
    unit = make.unit("另一单位")
    filler = make.user(Role.filler, unit=unit)
    project = make.project(unit, creator=filler)
    fire(UnitOfWork(session), project, "submit", actor=filler, now=clock.now())
    algs = list(session.scalars(select(AuditEvent.alg).order_by(AuditEvent.seq)))
    assert algs[:4] == ["sha256"] * 4 and set(algs[4:]) == {"hmac-sha256"}
    assert chain.verify(session).ok


def test_a_history_cut_off_at_its_end_is_caught_by_the_checkpoint(session, history, tmp_path,
                                                                   clock):  # fmt: skip
    from workflow.audit import checkpoints

    path = tmp_path / "audit_checkpoints"
    point = checkpoints.take(session, path, now=clock.now())
    assert (point.seq, point.hash) == (4, history[3].hash)
    assert chain.verify(session, checkpoints.read(path)).checkpoints == 1
    append_only.remove(session.connection())
    session.execute(text("DELETE FROM audit_events WHERE seq >= 3"))  # the newest events
    session.commit()
    assert chain.verify(session).ok  # what is left still links up: the chain alone cannot tell
    result = chain.verify(session, checkpoints.read(path))
    assert (result.ok, result.broken_seq) == (False, 4)
    assert "链尾被截断" in result.reason


def test_a_history_rewritten_whole_is_caught_by_the_checkpoint(session, history, tmp_path, clock):
    from workflow.audit import checkpoints

    path = tmp_path / "audit_checkpoints"
    checkpoints.take(session, path, now=clock.now())
    append_only.remove(session.connection())
    session.execute(text("UPDATE audit_events SET comment = '同意' WHERE seq = 2"))
    _rehash(session, plain={1, 2, 3, 4})  # every event passed off as from before the key
    assert chain.verify(session).ok
    result = chain.verify(session, checkpoints.read(path))
    assert (result.ok, result.broken_seq) == (False, 4) and "检查点" in result.reason


def test_the_key_lives_in_a_file_of_its_own_made_on_first_use(tmp_path):
    import os
    import stat
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "AUDIT_KEY"}
    env["JIXIAO_INSTANCE"] = str(tmp_path)
    code = "from workflow.audit.keys import audit_key; print(audit_key().decode())"
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                           text=True, check=True).stdout.strip()  # fmt: skip
    again = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                           text=True, check=True).stdout.strip()  # fmt: skip
    path = tmp_path / "audit_key"
    assert first == again == path.read_text().strip() and len(first) == 64
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_scheduler_takes_a_checkpoint_every_day(db, session, history, tmp_path, clock):
    from workflow.audit import checkpoints
    from workflow.lifecycle.machine import get_lifecycle
    from workflow.scheduler import Jobs, build

    jobs = Jobs(db=db, clock=clock, spec=get_lifecycle().spec, smtp=None, base_url="http://j",
                checkpoint_path=tmp_path / "checkpoints")  # fmt: skip
    trigger = build(jobs).get_job("checkpoint").trigger
    assert "hour='2'" in str(trigger)
    assert jobs.checkpoint().head_seq == 4
    assert [p.seq for p in checkpoints.read(tmp_path / "checkpoints")] == [4]


def _submit_another(session, make, clock) -> None:
    """One more event, appended as the application appends (AUDIT_HASH as it is now)."""
    unit = make.unit()
    filler = make.user(Role.filler, unit=unit)
    fire(UnitOfWork(session), make.project(unit, creator=filler), "submit", actor=filler,
         now=clock.now())  # fmt: skip


def _uses(result) -> list[tuple[str, int, int, int]]:
    return [(u.alg, u.events, u.first_seq, u.last_seq) for u in result.algorithms]


def test_a_chain_from_sha256_through_hmac_sha256_to_hmac_sm3_verifies(
    session, history, make, clock, monkeypatch
):
    append_only.remove(session.connection())
    _rehash(session, plain={1, 2})  # two events from before the key, two keyed ones
    append_only.install(session.connection())
    session.commit()
    monkeypatch.setenv("AUDIT_HASH", "sm3")  # then the site goes over to 国密
    _submit_another(session, make, clock)
    algs = list(session.scalars(select(AuditEvent.alg).order_by(AuditEvent.seq)))
    assert algs == [PLAIN, PLAIN, KEYED, KEYED, KEYED_SM3]
    result = chain.verify(session)
    assert (result.ok, result.checked) == (True, 5), result
    assert _uses(result) == [(PLAIN, 2, 1, 2), (KEYED, 2, 3, 4), (KEYED_SM3, 1, 5, 5)]
    assert [u.label for u in result.algorithms][2] == "HMAC-SM3（国密）"


def test_the_chain_may_go_back_from_sm3_to_sha256(session, history, make, clock, monkeypatch):
    """Both are keyed with the one key, so going back gives nobody without it a way in; the
    result shows where each was used."""
    monkeypatch.setenv("AUDIT_HASH", "sm3")
    _submit_another(session, make, clock)
    monkeypatch.delenv("AUDIT_HASH")
    _submit_another(session, make, clock)
    result = chain.verify(session)
    assert result.ok, result
    assert _uses(result) == [(KEYED, 5, 1, 6), (KEYED_SM3, 1, 5, 5)]


def test_an_unkeyed_event_after_an_sm3_one_is_refused(session, history):
    append_only.remove(session.connection())
    _rehash(session, algs={1: PLAIN, 2: KEYED_SM3, 3: PLAIN, 4: KEYED_SM3})
    result = chain.verify(session)
    assert (result.ok, result.broken_seq) == (False, 3)
    assert "自序号 2 起" in result.reason and "之后出现了未加密钥的记录" in result.reason


def test_an_sm3_chain_recomputed_with_sha256_is_caught(session, sm3_history):
    append_only.remove(session.connection())
    session.execute(text("UPDATE audit_events SET comment = '同意' WHERE seq = 3"))
    _rehash(session, claimed=KEYED_SM3)  # even with our key: HMAC-SHA256 where SM3 is claimed
    result = chain.verify(session)
    assert (result.ok, result.broken_seq, result.checked) == (False, 1, 0)
    assert "内容与其哈希不符" in result.reason


def test_an_unknown_algorithm_is_named(session, history):
    append_only.remove(session.connection())
    session.execute(text("UPDATE audit_events SET alg = 'md5' WHERE seq = 3"))
    session.commit()
    result = chain.verify(session)
    assert (result.ok, result.broken_seq, result.checked) == (False, 3, 2)
    assert "未知的哈希算法 'md5'" in result.reason
    assert _uses(result) == [(KEYED, 2, 1, 2)]


def test_sm3_events_cannot_be_verified_without_sm3(session, history, make, clock, monkeypatch):
    monkeypatch.setenv("AUDIT_HASH", "sm3")
    _submit_another(session, make, clock)
    monkeypatch.setattr(hashlib, "algorithms_available", hashlib.algorithms_available - {"sm3"})
    result = chain.verify(session)
    assert (result.ok, result.broken_seq, result.checked) == (False, 5, 4)
    assert "hmac-sm3 记录的事件无法核验" in result.reason and "不提供 SM3" in result.reason
    assert _uses(result) == [(KEYED, 4, 1, 4)]
