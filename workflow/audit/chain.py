"""Append to the audit chain (serialized, so it never forks) and verify it.

Each event's hash is an HMAC, keyed with a secret kept outside the database (keys.py), of the
previous hash and the event's other columns: someone who rewrites an event in the database
cannot recompute the hashes after it without the key. The HMAC is HMAC-SHA256, or HMAC-SM3 when
AUDIT_HASH=sm3 (algorithms.py); events from before the key (migration 0014) keep their plain
SHA-256. Each event records its algorithm, and all of them verify together. What the chain
cannot show by itself, a history cut off at its end, the checkpoints show (checkpoints.py)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from json.encoder import encode_basestring
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from workflow.audit.algorithms import (
    KEYED,
    LABELS,
    PLAIN,
    AuditHashError,
    cannot_verify,
    configured_alg,
    digests,
)
from workflow.audit.keys import audit_key
from workflow.audit.models import AuditEvent
from workflow.org.models import User

GENESIS = "0" * 64
_ADVISORY_LOCK_KEY = 0x4A49584941  # "JIXIA": one application-wide lock for audit appends


#: What an event's hash covers besides the previous hash: every other column.
HASHED = ("id", "seq", "at", "actor_id", "actor_name", "project_id", "action", "label",
          "from_state", "to_state", "comment", "details")  # fmt: skip
_KEYS = sorted(HASHED)  # canonical JSON sorts its keys
VERIFY_BATCH = 2_000  # rows fetched at a time from the server-side cursor of `verify`


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def event_hash(
    prev_hash: str, values: Mapping[str, Any], alg: str = KEYED, key: bytes | None = None
) -> str:
    """The hash of an event from plain values (each column named in HASHED): of the previous
    hash, a line break, and the canonical JSON of the other columns (`at` in UTC, ISO 8601),
    keyed with the audit key (KEYED, KEYED_SM3) or not (PLAIN, events before migration 0014).
    The JSON is written as `canonical_json` writes it, value by value: verifying a million
    events spends most of its time here, and this is three times faster."""
    fields = []
    for name in _KEYS:
        value = values[name]
        if name == "at":
            value = value.astimezone(dt.UTC).isoformat()
        fields.append(f'"{name}":{_json(value)}')
    content = "{" + ",".join(fields) + "}"
    return _digest(alg, key)(f"{prev_hash}\n{content}".encode())


def _digest(alg: str, key: bytes | None = None):
    """The function from a message to its hex digest for `alg`; AuditHashError for an
    algorithm that is unknown or not available here."""
    digest = digests(key if key is not None else audit_key()).get(alg)
    if digest is None:
        raise AuditHashError(cannot_verify(alg))
    return digest


def _row_message(names: tuple[str, ...]):
    """The message event_hash hashes, for rows of `names` in that order, without a mapping per
    row: what verify spends its time on."""
    positions = [(f'"{name}":', names.index(name)) for name in _KEYS]
    i_at, i_prev = names.index("at"), names.index("prev_hash")
    utc = dt.UTC
    text, json = encode_basestring, _json

    def message(row) -> bytes:
        parts = []
        for prefix, i in positions:
            value = row[i]
            if i == i_at:
                when = value.replace(tzinfo=utc) if value.tzinfo is None else value.astimezone(utc)
                parts.append(prefix + text(when.isoformat()))
            elif type(value) is str:
                parts.append(prefix + text(value))
            else:
                parts.append(prefix + json(value))
        return f"{row[i_prev]}\n{{{','.join(parts)}}}".encode()

    return message


def _row_hasher(names: tuple[str, ...], key: bytes | None = None):
    """event_hash for rows of `names` (their `alg` among them): exactly event_hash's value (a
    test compares them); None for a row whose algorithm cannot be computed here."""
    message, i_alg = _row_message(names), names.index("alg")
    found = digests(key if key is not None else audit_key())

    def digest(row) -> str | None:
        hasher = found.get(row[i_alg])
        return hasher(message(row)) if hasher else None

    return digest


def _json(value: Any) -> str:
    kind = type(value)
    if kind is str:
        return encode_basestring(value)  # what json.dumps writes with ensure_ascii=False
    if value is None:
        return "null"
    if kind is int:
        return int.__repr__(value)
    return canonical_json(value)


def compute_hash(event: AuditEvent) -> str:
    values = {name: getattr(event, name) for name in HASHED}
    return event_hash(event.prev_hash, values, getattr(event, "alg", None) or KEYED)


def append(
    session: Session,
    *,
    now: dt.datetime,
    actor: User | None,
    action: str,
    label: str,
    project_id: int | None = None,
    from_state: str | None = None,
    to_state: str | None = None,
    comment: str = "",
    details: dict[str, Any] | None = None,
    actor_name: str | None = None,
) -> AuditEvent:
    """Add one event at the end of the chain, inside the caller's transaction. `actor_name`:
    how the actor is shown when not by their name alone (「张三（代 李四）」)."""
    if session.get_bind().dialect.name == "postgresql":
        # Held until commit: concurrent appenders queue here instead of forking the chain.
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _ADVISORY_LOCK_KEY})
    last = session.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    event = AuditEvent(
        seq=(last.seq + 1) if last else 1,
        at=now,
        actor_id=actor.id if actor else None,
        actor_name=actor_name or (actor.display_name if actor else "系统"),
        project_id=project_id,
        action=action,
        label=label,
        from_state=from_state,
        to_state=to_state,
        comment=comment or "",
        details=canonical_json(details or {}),
        prev_hash=last.hash if last else GENESIS,
        hash="",
        alg=configured_alg(),  # AUDIT_HASH; the process refused to start if it is unusable
    )
    session.add(event)
    session.flush()  # the id is part of what the hash covers
    event.hash = compute_hash(event)
    session.flush()
    return event


@dataclass(frozen=True)
class AlgorithmUse:
    """How many verified events carry one hash algorithm, and the first and last of them."""

    alg: str
    events: int
    first_seq: int
    last_seq: int

    @property
    def label(self) -> str:
        return LABELS.get(self.alg, self.alg)


@dataclass(frozen=True)
class VerifyResult:
    """What `verify` found: ok, or the first problem (the event's seq and id, and why)."""

    ok: bool
    checked: int  # events verified (those before the first altered one, when there is one)
    broken_seq: int | None = None
    broken_id: int | None = None
    reason: str = ""
    checkpoints: int = 0  # how many checkpoints the chain was found to agree with
    algorithms: tuple[AlgorithmUse, ...] = ()  # of the verified events, by first appearance


def verify(session: Session, checkpoints=(), key: bytes | None = None) -> VerifyResult:
    """Report the first event whose content no longer matches its hash (an edit, in any column,
    or a chain recomputed without the key); else the first break in numbering or links (a
    deleted, inserted or reordered event), an unkeyed event after a keyed one, or a checkpoint
    (seq, hash) the chain no longer holds (a history cut off at its end, or rewritten); also an
    event whose algorithm is unknown or cannot be computed here (hmac-sm3 without SM3). The
    keyed algorithm may change at any event, back and forth (AUDIT_HASH changed, or nodes set
    apart): both use the one key, so neither helps someone without it; the result tells which
    was used where. One pass in the order of the chain over plain rows from a server-side
    cursor: neither the time per event nor the memory grows with the length of the chain."""
    names = (*HASHED, "prev_hash", "hash", "alg")
    table = AuditEvent.__table__
    query = select(*(table.c[name] for name in names)).order_by(table.c.seq)
    if session.get_bind().dialect.name == "postgresql":
        # The driver's own named cursor: rows as psycopg makes them (`at` is a timestamptz,
        # aware), without a result layer around each of a million rows.
        driver = session.connection().connection.driver_connection
        sql = query.compile(session.get_bind()).string
        with driver.cursor(name="jixiao_audit_verify") as cursor:
            cursor.execute(sql)
            return _verified(_batches(cursor), names, checkpoints, key)
    result = session.execute(query.execution_options(stream_results=True, yield_per=VERIFY_BATCH))
    try:
        return _verified(result.tuples(), names, checkpoints, key)
    finally:
        result.close()  # the server-side cursor, when the first altered event ends the pass


def _batches(cursor):
    """The rows of a server-side cursor, VERIFY_BATCH at a time (iterating the cursor itself
    asks the server again every few rows)."""
    while batch := cursor.fetchmany(VERIFY_BATCH):
        yield from batch


class _Tally:
    """The verified events of each algorithm, counted a run (of events of one algorithm) at a
    time: nothing per event beyond the comparison that notices a new run."""

    def __init__(self) -> None:
        self.uses: dict[str, list[int]] = {}  # alg → [events, first seq, last seq]
        self.alg, self.first, self.start = None, 0, 0

    def switch(self, alg: str, seq: int, checked: int, last_seq: int) -> None:
        self.close(checked, last_seq)
        self.alg, self.first, self.start = alg, seq, checked

    def close(self, checked: int, last_seq: int) -> None:
        if self.alg is not None and checked > self.start:
            use = self.uses.setdefault(self.alg, [0, self.first, last_seq])
            use[0] += checked - self.start
            use[2] = last_seq

    def result(self, ok: bool, checked: int, last_seq: int, *broken, **more) -> VerifyResult:
        self.close(checked, last_seq)
        self.alg = None
        uses = tuple(AlgorithmUse(alg, *use) for alg, use in self.uses.items())
        return VerifyResult(ok, checked, *broken, algorithms=uses, **more)


def _verified(rows, names: tuple[str, ...], checkpoints=(), key=None) -> VerifyResult:
    at = {name: i for i, name in enumerate(names)}
    i_seq, i_id, i_prev, i_hash, i_alg = (at[n] for n in ("seq", "id", "prev_hash", "hash", "alg"))
    message, found = _row_message(names), digests(key if key is not None else audit_key())
    wanted = {c.seq: c.hash for c in checkpoints}
    checked, prev_hash, expected_seq, broken, keyed_from = 0, GENESIS, 1, None, None
    tally, alg, digest, last_seq = _Tally(), object(), None, 0  # alg: none yet, not even NULL
    for row in rows:
        seq, id_, row_prev, row_hash = row[i_seq], row[i_id], row[i_prev], row[i_hash]
        if row[i_alg] != alg:  # the first event, or the chain changed algorithm here
            alg, digest = row[i_alg], found.get(row[i_alg])
            tally.switch(alg, seq, checked, last_seq)
            if digest is None:
                return tally.result(False, checked, last_seq, seq, id_, cannot_verify(alg))
            if alg != PLAIN:
                keyed_from = keyed_from or seq
            elif keyed_from is not None and broken is None:
                why = f"加密钥的记录（自序号 {keyed_from} 起）之后出现了未加密钥的记录"
                broken = (seq, id_, why)
        if digest(message(row)) != row_hash:
            return tally.result(False, checked, last_seq, seq, id_, "内容与其哈希不符（已被改动）")
        if broken is None and seq != expected_seq:
            broken = (seq, id_, f"缺少序号 {expected_seq}")
        elif broken is None and row_prev != prev_hash:
            broken = (seq, id_, "与前一条记录的链接不符")
        if broken is None and wanted.pop(seq, row_hash) != row_hash:
            broken = (seq, id_, "与检查点记录的哈希不符（该处之前的记录已被改写）")
        # An altered event is named even after a break (its changed seq may have made one).
        prev_hash, expected_seq, checked, last_seq = row_hash, expected_seq + 1, checked + 1, seq
    if broken:
        return tally.result(False, checked, last_seq, *broken)
    if wanted:
        missing = min(wanted)
        return tally.result(False, checked, last_seq, missing, None,
                            f"检查点记录的序号 {missing} 已不在记录中（链尾被截断）")  # fmt: skip
    return tally.result(True, checked, last_seq, checkpoints=len(checkpoints))
