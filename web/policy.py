"""The security policy in force for this request: as the 安全管理员 saved it (read at most once
every POLICY_SECONDS per process, so it costs no statement on most requests), else the server's
settings. A change made on another web node applies here within POLICY_SECONDS; one made on
this node, at once."""

from __future__ import annotations

import time

from flask import current_app, g

from web.services import db_session
from workflow.org import policy

POLICY_SECONDS = 30.0
_KEY = "jixiao.security_policy"


def defaults(config) -> policy.SecurityPolicy:
    """The policy of the server's settings (environment), before any is saved in the app."""
    return policy.SecurityPolicy(
        password_max_age_days=config["PASSWORD_MAX_AGE_DAYS"],
        password_history=config["PASSWORD_HISTORY"],
        session_idle_minutes=config["SESSION_IDLE_MINUTES"],
        session_max_hours=config["SESSION_MAX_HOURS"],
        lockout_failures=config["LOCKOUT_FAILURES"],
        lockout_minutes=config["LOCKOUT_MINUTES"],
    )


def security_policy() -> policy.SecurityPolicy:
    if "security_policy" in g:
        return g.security_policy
    app = current_app._get_current_object()
    cached = app.extensions.get(_KEY)
    if cached is None or time.monotonic() - cached[0] > POLICY_SECONDS:
        cached = (time.monotonic(), policy.current(db_session(), defaults(app.config)))
        app.extensions[_KEY] = cached
    g.security_policy = cached[1]
    return cached[1]


def changed(new: policy.SecurityPolicy) -> None:
    """This node applies a policy just saved from its next request on."""
    current_app.extensions[_KEY] = (time.monotonic(), new)
    g.security_policy = new
