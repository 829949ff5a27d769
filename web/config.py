"""Configuration from the environment. Production sets SECRET_KEY and DATABASE_URL explicitly."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

INSTANCE = Path(os.environ.get("JIXIAO_INSTANCE", Path.cwd() / "instance"))


def _dev_secret_key() -> str:
    # A key kept in instance/ so that `make run` restarts keep people logged in.
    path = INSTANCE / "secret_key"
    if not path.exists():
        INSTANCE.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


class Config:
    DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE / 'jixiao.db'}")
    STATES_FILE = os.environ.get("STATES_FILE") or None
    SECRET_KEY = os.environ.get("SECRET_KEY") or None
    # A long 申报表 must not fail to save because the token aged: it stays bound to the session.
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "0") == "1"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    TRUST_PROXY = os.environ.get("TRUST_PROXY", "0") == "1"
    MAX_CONTENT_LENGTH = 4 * 1024 * 1024

    def __init__(self, **overrides) -> None:
        for key, value in overrides.items():
            setattr(self, key, value)
        if not self.SECRET_KEY:
            self.SECRET_KEY = _dev_secret_key()
