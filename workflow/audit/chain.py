"""Append to the audit chain (serialized, so it never forks) and verify it.

Each event's hash is an HMAC-SHA256, keyed with a secret kept outside the database (keys.py),
of the previous hash and the event's other columns: someone who rewrites an event in the
database cannot recompute the hashes after it without the key. Events from before the key
(migration 0014) keep their plain SHA-256 and verify beside the keyed ones. What the chain
cannot show by itself, a history cut off at its end, the checkpoints show (checkpoints.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from json.encoder import encode_basestring
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from workflow.audit.keys import audit_key
from workflow.audit.models import AuditEvent
from workflow.org.models import User

GENESIS = "0" * 64
KEYED, PLAIN = "hmac-sha256", "sha256"  # how an event's hash was made (AuditEvent.alg)
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
    keyed with the audit key (KEYED) or not (PLAIN, events before migration 0014).
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
    """The function from a message to its hex digest for `alg`; None for an unknown one."""
    if alg == KEYED:
        secret = key if key is not None else audit_key()
        return lambda message: hmac.digest(secret, message, "sha256").hex()
    if alg == PLAIN:
        return lambda message: hashlib.sha256(message).hexdigest()
    return None


def _row_hasher(names: tuple[str, ...], key: bytes | None = None):
    """event_hash for rows of `names` in that order, without a mapping per row: what verify
    spends its time on. Gives exactly event_hash's value (a test compares them); None for a
    row whose algorithm is unknown."""
    positions = [(f'"{name}":', names.index(name)) for name in _KEYS]
    i_at, i_prev, i_alg = names.index("at"), names.index("prev_hash"), names.index("alg")
    utc = dt.UTC
    secret = key if key is not None else audit_key()
    keyed, plain, sha256 = hmac.digest, hashlib.sha256, "sha256"

    text, json = encode_basestring, _json

    def digest(row) -> str:
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
        message = f"{row[i_prev]}\n{{{','.join(parts)}}}".encode()
        alg = row[i_alg]
        if alg == KEYED:
            return keyed(secret, message, sha256).hex()
        if alg == PLAIN:
            return plain(message).hexdigest()
        return None

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
) -> AuditEvent:
    """Add one event at the end of the chain, inside the caller's transaction."""
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
        actor_name=actor.display_name if actor else "系统",
        project_id=project_id,
        action=action,
        label=label,
        from_state=from_state,
        to_state=to_state,
        comment=comment or "",
        details=canonical_json(details or {}),
        prev_hash=last.hash if last else GENESIS,
        hash="",
        alg=KEYED,
    )
    session.add(event)
    session.flush()  # the id is part of what the hash covers
    event.hash = compute_hash(event)
    session.flush()
    return event


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    broken_seq: int | None = None
    broken_id: int | None = None
    reason: str = ""
    checkpoints: int = 0  # how many checkpoints the chain was found to agree with


def verify(session: Session, checkpoints=(), key: bytes | None = None) -> VerifyResult:
    """Report the first event whose content no longer matches its hash (an edit, in any column,
    or a chain recomputed without the key); else the first break in numbering or links (a
    deleted, inserted or reordered event), an unkeyed event after a keyed one, or a checkpoint
    (seq, hash) the chain no longer holds (a history cut off at its end, or rewritten). One
    pass in the order of the chain over plain rows from a server-side cursor: neither the time
    per event nor the memory grows with the length of the chain."""
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


def _verified(rows, names: tuple[str, ...], checkpoints=(), key=None) -> VerifyResult:
    at = {name: i for i, name in enumerate(names)}
    i_seq, i_id, i_prev, i_hash, i_alg = (at[n] for n in ("seq", "id", "prev_hash", "hash", "alg"))
    digest = _row_hasher(names, key)
    wanted = {c.seq: c.hash for c in checkpoints}
    checked, prev_hash, expected_seq, broken, keyed_from = 0, GENESIS, 1, None, None
    for row in rows:
        seq, id_, row_prev, row_hash = row[i_seq], row[i_id], row[i_prev], row[i_hash]
        if digest(row) != row_hash:
            return VerifyResult(False, checked, seq, id_, "内容与其哈希不符（已被改动）")
        if row[i_alg] == KEYED:
            keyed_from = keyed_from or seq
        elif keyed_from is not None and broken is None:
            broken = (seq, id_, f"加密钥的记录（自序号 {keyed_from} 起）之后出现了未加密钥的记录")
        if broken is None and seq != expected_seq:
            broken = (seq, id_, f"缺少序号 {expected_seq}")
        elif broken is None and row_prev != prev_hash:
            broken = (seq, id_, "与前一条记录的链接不符")
        if broken is None and wanted.pop(seq, row_hash) != row_hash:
            broken = (seq, id_, "与检查点记录的哈希不符（该处之前的记录已被改写）")
        # An altered event is named even after a break (its changed seq may have made one).
        prev_hash, expected_seq, checked = row_hash, expected_seq + 1, checked + 1
    if broken:
        return VerifyResult(False, checked, *broken)
    if wanted:
        missing = min(wanted)
        return VerifyResult(False, checked, missing, None,
                            f"检查点记录的序号 {missing} 已不在记录中（链尾被截断）")  # fmt: skip
    return VerifyResult(True, checked, checkpoints=len(checkpoints))
