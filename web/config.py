"""Configuration from the environment. Production sets SECRET_KEY and DATABASE_URL explicitly."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from workflow.audit.checkpoints import checkpoint_file
from workflow.instance import instance_dir


def _dev_secret_key(instance: Path) -> str:
    # A key kept in instance/ so that `make run` restarts keep people logged in.
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _positive(raw: str | None, default: int) -> int:
    if raw is None or not raw.strip():
        return default
    value = int(raw)  # a typo in a setting stops the start, loudly
    if value <= 0:
        raise ValueError(f"expected a positive whole number, got {raw!r}")
    return value


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
        instance = instance_dir(env)
        self.DATABASE_URL = env.get("DATABASE_URL") or f"sqlite:///{instance / 'jixiao.db'}"
        self.STATES_FILE = env.get("STATES_FILE") or None
        self.SECRET_KEY = env.get("SECRET_KEY") or None
        self.SESSION_COOKIE_SECURE = env.get("SESSION_COOKIE_SECURE", "0") == "1"
        self.TRUST_PROXY = env.get("TRUST_PROXY", "0") == "1"
        # Sessions end after this much idleness and this much time in all (等保: 登录超时).
        self.SESSION_IDLE_MINUTES = _positive(env.get("SESSION_IDLE_MINUTES"), 30)
        self.SESSION_MAX_HOURS = _positive(env.get("SESSION_MAX_HOURS"), 12)
        # The password policy: days a password lasts, earlier passwords that may not come back.
        self.PASSWORD_MAX_AGE_DAYS = _positive(env.get("PASSWORD_MAX_AGE_DAYS"), 90)
        self.PASSWORD_HISTORY = _positive(env.get("PASSWORD_HISTORY"), 5)
        # Failed logins from one address that lock a name there, and for how long.
        self.LOCKOUT_FAILURES = _positive(env.get("LOCKOUT_FAILURES"), 5)
        self.LOCKOUT_MINUTES = _positive(env.get("LOCKOUT_MINUTES"), 15)
        # (The policy above, login lock-out included, holds until the 安全管理员 saves one on
        # the 安全策略 page: then the saved one holds, see web/policy.py.)
        # The login log is kept this long (at least 180 days, whatever is set).
        self.LOGIN_LOG_DAYS = max(_positive(env.get("LOGIN_LOG_DAYS"), 180), 180)
        # Seconds one PDF may take to make (the scheduler's renderer stops it then and says so).
        self.RENDER_SECONDS = _positive(env.get("RENDER_SECONDS"), 120)
        # Shared counters (the login throttle) for several web nodes; unset: each node's memory.
        self.REDIS_URL = env.get("REDIS_URL") or None
        # Failed logins allowed per source address and per user name (Flask-Limiter's notation).
        self.LOGIN_LIMIT_PER_ADDRESS = (
            env.get("LOGIN_LIMIT_PER_ADDRESS") or "20 per minute;100 per hour"
        )
        self.LOGIN_LIMIT_PER_NAME = env.get("LOGIN_LIMIT_PER_NAME") or "10 per minute;50 per hour"
        # The audit checkpoints the scheduler appends (the 安全审计员's page shows the last).
        self.AUDIT_CHECKPOINTS = str(checkpoint_file(env))
        # The site's address as its users reach it: the links in emails point here.
        self.BASE_URL = env.get("BASE_URL") or "http://127.0.0.1:5000"
        for key, value in overrides.items():
            setattr(self, key, value)
        if not self.SECRET_KEY:
            self.SECRET_KEY = _dev_secret_key(instance)
