"""Configuration from the environment. Production sets SECRET_KEY and DATABASE_URL explicitly."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def _dev_secret_key(instance: Path) -> str:
    # A key kept in instance/ so that `make run` restarts keep people logged in.
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


class Config:
    """Settings read from the environment when the config is made; keyword overrides win."""

    WTF_CSRF_TIME_LIMIT = None  # a long 申报表 must not fail to save because its token aged
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    MAX_CONTENT_LENGTH = 4 * 1024 * 1024

    def __init__(self, **overrides) -> None:
        env = os.environ
        instance = Path(env.get("JIXIAO_INSTANCE") or Path.cwd() / "instance")
        self.DATABASE_URL = env.get("DATABASE_URL") or f"sqlite:///{instance / 'jixiao.db'}"
        self.STATES_FILE = env.get("STATES_FILE") or None
        self.SECRET_KEY = env.get("SECRET_KEY") or None
        self.SESSION_COOKIE_SECURE = env.get("SESSION_COOKIE_SECURE", "0") == "1"
        self.TRUST_PROXY = env.get("TRUST_PROXY", "0") == "1"
        # The site's address as its users reach it: the links in emails point here.
        self.BASE_URL = env.get("BASE_URL") or "http://127.0.0.1:5000"
        for key, value in overrides.items():
            setattr(self, key, value)
        if not self.SECRET_KEY:
            self.SECRET_KEY = _dev_secret_key(instance)
