"""The audit chain's secret: each event's hash is an HMAC (SHA-256, or SM3: algorithms.py) keyed
with it, so someone who can write to the database but does not hold the key cannot recompute a
chain they altered.

The key never lives in the database: it comes from AUDIT_KEY in the environment, or from the
file AUDIT_KEY_FILE (default instance/audit_key, made on first use with mode 0600, as the
development SECRET_KEY is). Every process that writes or verifies events (web nodes,
schedulers, the command line) must see the same key; back it up with the database's backups
but apart from them."""

from __future__ import annotations

import functools
import os
import secrets
from pathlib import Path

from workflow.instance import instance_dir


def key_file(env=os.environ) -> Path:
    return Path(env.get("AUDIT_KEY_FILE") or instance_dir(env) / "audit_key")


@functools.cache
def audit_key() -> bytes:
    """The key, read once per process."""
    if value := os.environ.get("AUDIT_KEY", "").strip():
        return value.encode()
    path = key_file()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32))
    return path.read_text().strip().encode()
