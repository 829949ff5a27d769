"""An audit event's hash is the same whether computed when it is appended (from the ORM row) or
when the chain is verified (from plain values streamed from the database): one canonical form,
the HMAC-SHA256 (or, with AUDIT_HASH=sm3, the HMAC-SM3) with the audit key (or, for events from
before the key, the plain SHA-256) of the previous hash, a line break and the canonical JSON of
every other column."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json

from hypothesis import given
from hypothesis import strategies as st

from workflow.audit.algorithms import KEYED_SM3
from workflow.audit.chain import HASHED, KEYED, PLAIN, _row_hasher, compute_hash, event_hash
from workflow.audit.keys import audit_key
from workflow.audit.models import AuditEvent

texts = st.text(max_size=40)  # any character a column may hold: quotes, controls, CJK, emoji
ids = st.integers(min_value=-(2**63), max_value=2**63 - 1)
moments = st.datetimes(
    min_value=dt.datetime(1971, 1, 1), max_value=dt.datetime(2200, 1, 1),
    timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=8))]),
)  # fmt: skip
events = st.fixed_dictionaries({
    "id": ids, "seq": ids, "at": moments, "actor_id": st.none() | ids, "actor_name": texts,
    "project_id": st.none() | ids, "action": texts, "label": texts,
    "from_state": st.none() | texts, "to_state": st.none() | texts, "comment": texts,
    "details": texts,
})  # fmt: skip


def _as_specified(prev_hash: str, values: dict, alg: str = KEYED, key: bytes = b"") -> str:
    content = {**values, "at": values["at"].astimezone(dt.UTC).isoformat()}
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    message = f"{prev_hash}\n{canonical}".encode()
    if alg == PLAIN:
        return hashlib.sha256(message).hexdigest()
    return hmac.new(
        key or audit_key(), message, "sm3" if alg == KEYED_SM3 else "sha256"
    ).hexdigest()


@given(events, st.text(alphabet="0123456789abcdef", min_size=64, max_size=64),
       st.sampled_from([KEYED, KEYED_SM3, PLAIN]), st.binary(min_size=1, max_size=64))  # fmt: skip
def test_the_hash_of_plain_values_is_the_canonical_json_hash(values, prev_hash, alg, key):
    assert set(values) == set(HASHED)
    assert event_hash(prev_hash, values, alg, key) == _as_specified(prev_hash, values, alg, key)


def test_another_key_gives_another_hash():
    values = {"id": 1, "seq": 1, "at": dt.datetime(2026, 3, 2, tzinfo=dt.UTC), "actor_id": 2,
              "actor_name": "沈审核", "project_id": 3, "action": "approve", "label": "批复通过",
              "from_state": "declared", "to_state": "approved", "comment": "",
              "details": "{}"}  # fmt: skip
    ours = event_hash("0" * 64, values)
    assert ours == event_hash("0" * 64, values, KEYED, audit_key())
    assert ours != event_hash("0" * 64, values, KEYED, b"a guessed key")
    assert ours != event_hash("0" * 64, values, PLAIN)


def test_append_and_verify_hash_alike():
    values = {"id": 7, "seq": 3, "at": dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC),
              "actor_id": None, "actor_name": "系统", "project_id": 12, "action": "approve",
              "label": "批复通过", "from_state": "declared", "to_state": "implementing",
              "comment": '同意。\n"按计划实施"', "details": '{"a":1}'}  # fmt: skip
    event = AuditEvent(**values, prev_hash="0" * 64, hash="", alg=KEYED)
    assert compute_hash(event) == event_hash("0" * 64, values) == _as_specified("0" * 64, values)
    event.alg = PLAIN  # an event from before the key
    assert compute_hash(event) == _as_specified("0" * 64, values, PLAIN)
    event.alg = KEYED_SM3  # an event from after AUDIT_HASH=sm3
    assert compute_hash(event) == _as_specified("0" * 64, values, KEYED_SM3)


@given(events, st.text(alphabet="0123456789abcdef", min_size=64, max_size=64),
       st.permutations([*HASHED, "prev_hash", "hash", "alg"]), st.booleans(),
       st.sampled_from([KEYED, KEYED_SM3, PLAIN]))  # fmt: skip
def test_verify_hashes_rows_as_it_hashes_values(values, prev_hash, names, naive, alg):
    """verify hashes positional rows (a driver's cursor, SQLite's naive UTC times included)
    without a mapping per row: the same value as the canonical hash, whatever the columns'
    order."""
    row_values = {**values, "prev_hash": prev_hash, "hash": "", "alg": alg}
    if naive:  # SQLite gives the UTC time without its zone
        row_values["at"] = values["at"].astimezone(dt.UTC).replace(tzinfo=None)
    row = tuple(row_values[name] for name in names)
    assert _row_hasher(tuple(names))(row) == _as_specified(prev_hash, values, alg)
