"""How an audit event's hash is made (AuditEvent.alg), and which way new events are hashed.

AUDIT_HASH chooses the hash of the events appended from now on: `sha256` (the default, HMAC-SHA256)
or `sm3` (HMAC-SM3, 国密 GB/T 32905), both keyed with the audit key (keys.py). Every event records
its own algorithm, so a chain that went over to SM3 at some event verifies whole, its SHA-256
events included. SM3 comes from the OpenSSL that Python's hashlib is built on (OpenSSL 3 has it):
C speed, which verifying a million events needs. A process told to use SM3 on a machine without
it refuses to start rather than hash with SHA-256 behind the operator's back."""

from __future__ import annotations

import hashlib
import hmac
import os
import ssl
from collections.abc import Callable

PLAIN, KEYED, KEYED_SM3 = "sha256", "hmac-sha256", "hmac-sm3"
#: What each algorithm is called on a page (the 安全审计员's).
LABELS = {PLAIN: "SHA-256（未加密钥）", KEYED: "HMAC-SHA256", KEYED_SM3: "HMAC-SM3（国密）"}
#: AUDIT_HASH → the algorithm of new events.
SETTINGS = {"sha256": KEYED, "sm3": KEYED_SM3}


class AuditHashError(RuntimeError):
    """AUDIT_HASH names an unknown hash, or one this machine cannot compute."""


def sm3_available() -> bool:
    return "sm3" in hashlib.algorithms_available


def _no_sm3() -> str:
    return (f"本机 Python 所用的 OpenSSL（{ssl.OPENSSL_VERSION}）不提供 SM3"
            "（hashlib.algorithms_available 中没有 sm3）")  # fmt: skip


def configured_alg(env=os.environ) -> str:
    """The algorithm of the events appended from now on, from AUDIT_HASH. Raises AuditHashError
    for an unknown setting, or for `sm3` without SM3: never a silent fall-back to SHA-256."""
    setting = (env.get("AUDIT_HASH") or "sha256").strip().lower()
    if setting not in SETTINGS:
        raise AuditHashError(f"AUDIT_HASH={setting!r}：未知的审计哈希算法（可选 sha256、sm3）")
    if SETTINGS[setting] == KEYED_SM3 and not sm3_available():
        raise AuditHashError(
            f"AUDIT_HASH=sm3，但{_no_sm3()}：无法以国密 SM3 记录审计事件。"
            "请改用带 SM3 的 OpenSSL 3，或去掉 AUDIT_HASH（即 sha256）。"
        )
    return SETTINGS[setting]


def digests(key: bytes) -> dict[str, Callable[[bytes], str]]:
    """Each algorithm this machine can compute → the function from a message to its hex digest."""
    sha256 = hashlib.sha256
    found = {
        PLAIN: lambda message: sha256(message).hexdigest(),
        KEYED: lambda message: hmac.digest(key, message, "sha256").hex(),
    }
    if sm3_available():
        found[KEYED_SM3] = lambda message: hmac.digest(key, message, "sm3").hex()
    return found


def cannot_verify(alg: str) -> str:
    """Why an event of `alg` cannot be verified here (an alg missing from `digests`)."""
    if alg == KEYED_SM3:
        return f"以 hmac-sm3 记录的事件无法核验：{_no_sm3()}"
    return f"未知的哈希算法 {alg!r}（可识别：{', '.join(LABELS)}）"
