"""SM3 (国密, GB/T 32905) for the audit chain: OpenSSL's SM3 gives the standard's test vectors,
its HMAC-SM3 equals one built here around gmssl's own, pure-Python SM3 (RFC 2104), and AUDIT_HASH
chooses it, or stops the start when this machine cannot compute it."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

import pytest
from gmssl.sm3 import sm3_hash
from hypothesis import given, settings
from hypothesis import strategies as st

from workflow.audit.algorithms import (
    KEYED,
    KEYED_SM3,
    PLAIN,
    AuditHashError,
    configured_alg,
    digests,
)
from workflow.audit.chain import event_hash

# GB/T 32905-2016, appendix A: "abc", and "abcd" sixteen times (one 64-byte block, then padding).
VECTORS = [
    (b"abc", "66c7f0f4 62eeedd9 d1f2d46b dc10e4e2 4167c487 5cf2f7a2 297da02b 8f4ba8e0"),
    (b"abcd" * 16, "debe9ff9 2275b8a1 38604889 c18e5a4d 6fdb70e5 387e5765 293dcba3 9c0c5732"),
]
BLOCK = 64  # SM3's block size in bytes, as SHA-256's


@pytest.fixture
def without_sm3(monkeypatch):
    """A machine whose OpenSSL has no SM3."""
    monkeypatch.setattr(hashlib, "algorithms_available", hashlib.algorithms_available - {"sm3"})


def gmssl_sm3(message: bytes) -> bytes:
    return bytes.fromhex(sm3_hash(list(message)))  # it pads the list it is given: a copy


def gmssl_hmac_sm3(key: bytes, message: bytes) -> str:
    """HMAC (RFC 2104) around gmssl's SM3: H((K ^ opad) || H((K ^ ipad) || m))."""
    if len(key) > BLOCK:
        key = gmssl_sm3(key)
    key = key.ljust(BLOCK, b"\0")
    inner = gmssl_sm3(bytes(b ^ 0x36 for b in key) + message)
    return gmssl_sm3(bytes(b ^ 0x5C for b in key) + inner).hex()


@pytest.mark.parametrize(("message", "expected"), VECTORS, ids=["abc", "abcd*16"])
def test_sm3_gives_the_standards_test_vectors(message, expected):
    expected = expected.replace(" ", "")
    assert hashlib.new("sm3", message).hexdigest() == expected
    assert gmssl_sm3(message).hex() == expected  # the reference we check the HMAC against


@settings(max_examples=300, deadline=None)  # gmssl's SM3 is pure Python: a millisecond a block
@given(key=st.binary(min_size=1, max_size=150), message=st.binary(max_size=300))
def test_hmac_sm3_equals_one_built_on_an_independent_sm3(key, message):
    # Keys longer than a block are hashed first: both sides of that rule are drawn.
    ours = hmac.new(key, message, "sm3").hexdigest()
    assert ours == gmssl_hmac_sm3(key, message)
    assert digests(key)[KEYED_SM3](message) == ours


def test_an_sm3_event_hash_is_the_hmac_sm3_of_the_event():
    values = {"id": 1, "seq": 1, "at": dt.datetime(2026, 3, 2, tzinfo=dt.UTC), "actor_id": 2,
              "actor_name": "沈审核", "project_id": 3, "action": "approve", "label": "批复通过",
              "from_state": "declared", "to_state": "approved", "comment": "",
              "details": "{}"}  # fmt: skip
    message = (
        "0" * 64 + '\n{"action":"approve","actor_id":2,"actor_name":"沈审核",'
        '"at":"2026-03-02T00:00:00+00:00","comment":"","details":"{}","from_state":"declared",'
        '"id":1,"label":"批复通过","project_id":3,"seq":1,"to_state":"approved"}'
    ).encode()
    sm3 = event_hash("0" * 64, values, KEYED_SM3, b"k")
    assert sm3 == gmssl_hmac_sm3(b"k", message)
    assert sm3 != event_hash("0" * 64, values, KEYED, b"k")
    assert (
        event_hash("0" * 64, values, KEYED, b"k") == hmac.new(b"k", message, "sha256").hexdigest()
    )


@pytest.mark.parametrize(
    ("setting", "alg"),
    [(None, KEYED), ("", KEYED), ("sha256", KEYED), ("sm3", KEYED_SM3), (" SM3 ", KEYED_SM3)],
)
def test_audit_hash_chooses_the_algorithm_of_new_events(setting, alg):
    env = {} if setting is None else {"AUDIT_HASH": setting}
    assert configured_alg(env) == alg


@pytest.mark.parametrize("setting", ["md5", "hmac-sm3", "sha-256", "sm4"])
def test_an_unknown_audit_hash_is_refused(setting):
    with pytest.raises(AuditHashError, match="未知的审计哈希算法"):
        configured_alg({"AUDIT_HASH": setting})


def test_sm3_without_sm3_is_refused_not_replaced_by_sha256(without_sm3):
    with pytest.raises(AuditHashError, match="AUDIT_HASH=sm3.*不提供 SM3"):
        configured_alg({"AUDIT_HASH": "sm3"})
    assert configured_alg({}) == KEYED  # the default needs nothing OpenSSL might lack
    assert set(digests(b"k")) == {PLAIN, KEYED}


def test_hashing_an_event_with_an_algorithm_it_cannot_compute_says_why(without_sm3):
    values = dict.fromkeys(["id", "seq", "actor_id", "project_id"], 1) | dict.fromkeys(
        ["actor_name", "action", "label", "from_state", "to_state", "comment", "details"], ""
    ) | {"at": dt.datetime(2026, 3, 2, tzinfo=dt.UTC)}  # fmt: skip
    with pytest.raises(AuditHashError, match="hmac-sm3 记录的事件无法核验"):
        event_hash("0" * 64, values, KEYED_SM3, b"k")
    with pytest.raises(AuditHashError, match="未知的哈希算法 'md5'"):
        event_hash("0" * 64, values, "md5", b"k")
