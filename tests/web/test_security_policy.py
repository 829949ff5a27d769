"""安全策略: the 安全管理员 sets password life and reuse, session times and the login lock-out in
the application; each setting takes effect (on this node at once, on others within
POLICY_SECONDS), stays within bounds a level-3 assessment accepts, and is audited."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import func, select

from tests.conftest import PASSWORD
from tests.web.conftest import Browser, text_of
from web import create_app, policy
from web.config import Config
from workflow.audit.models import AuditEvent
from workflow.org.models import LoginRecord, Role, SecurityPolicySetting, User
from workflow.org.policy import FIELDS

HOME = "/"
DEFAULTS = {"password_max_age_days": "90", "password_history": "5",
            "session_idle_minutes": "30", "session_max_hours": "12", "lockout_failures": "5",
            "lockout_minutes": "15"}  # fmt: skip


def _in(app, user, password=PASSWORD) -> Browser:
    b = Browser(app.test_client())
    b.get("/login")
    assert b.post("/login", {"username": user.username, "password": password}).status_code == 302
    return b


def _set(app, officer, **values):
    b = _in(app, officer)
    b.get("/admin/policy")
    return b.post("/admin/policy", {**DEFAULTS, **{k: str(v) for k, v in values.items()}})


def test_a_shorter_idle_time_ends_sessions_sooner(app, make, clock):
    user = make.user(Role.filler, unit=make.unit())
    officer = make.user(Role.security_admin)
    b = _in(app, user)
    clock.advance(dt.timedelta(minutes=11))
    assert b.get(HOME).status_code == 200  # 11 idle minutes: within the default 30
    assert _set(app, officer, session_idle_minutes=10).status_code == 302
    clock.advance(dt.timedelta(minutes=11))
    ended = b.get(HOME)
    assert ended.status_code == 302 and "/login" in ended.headers["Location"]


def test_a_shorter_password_life_asks_for_a_new_password(app, make, clock, session):
    user = make.user(Role.filler, unit=make.unit())
    user.password_changed_at = clock.now() - dt.timedelta(days=40)
    session.commit()
    officer = make.user(Role.security_admin)
    b = _in(app, user)
    assert b.get(HOME).status_code == 200  # 40 days: within the default 90
    assert _set(app, officer, password_max_age_days=30).status_code == 302
    asked = b.get(HOME)
    assert asked.status_code == 302 and asked.headers["Location"].startswith("/password")
    assert "您的密码已使用超过30天" in text_of(b.get("/password"))


def test_a_lower_lockout_count_locks_sooner(app, make, session):
    owner = make.user(Role.reviewer)
    officer = make.user(Role.security_admin)
    assert _set(app, officer, lockout_failures=3, lockout_minutes=60).status_code == 302
    b = Browser(app.test_client())
    b.get("/login")
    for _ in range(3):
        assert (
            b.post("/login", {"username": owner.username, "password": "Wrong-1"}).status_code == 401
        )
    locked = b.post("/login", {"username": owner.username, "password": PASSWORD})
    assert locked.status_code == 401 and "请60分钟后再试" in text_of(locked)
    session.rollback()
    assert session.scalar(select(func.count()).select_from(LoginRecord)
                          .where(LoginRecord.result == "locked")) == 1  # fmt: skip


def test_out_of_bounds_is_refused_in_chinese_and_nothing_is_saved(app, make, session):
    officer = make.user(Role.security_admin)
    refused = _set(app, officer, password_max_age_days=0, session_idle_minutes=600,
                   lockout_failures="五")  # fmt: skip
    page = text_of(refused)
    assert refused.status_code == 422
    assert "「密码有效期」应为30–180天" in page and "「无操作自动退出」应为5–120分钟" in page
    assert "请填写「登录失败锁定次数」（整数）" in page
    session.rollback()
    assert session.scalar(select(func.count()).select_from(SecurityPolicySetting)) == 0
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == 0


def test_the_change_is_audited_with_what_it_was_and_what_it_became(app, make, session):
    officer = make.user(Role.security_admin, name="安全管理员")
    b = _in(app, officer)
    assert "目前使用服务器配置的默认值" in text_of(b.get("/admin/policy"))
    assert _set(app, officer, password_history=10).status_code == 302
    assert "最近一次由安全管理员于" in text_of(b.get("/admin/policy"))
    session.rollback()
    event = session.scalar(select(AuditEvent))
    assert (event.action, event.actor_name) == ("set_security_policy", "安全管理员")
    details = json.loads(event.details)
    assert details["before"]["password_history"] == 5 and details["after"]["password_history"] == 10
    assert set(details["after"]) == set(FIELDS)


def test_another_web_node_applies_it_when_its_copy_is_old(app, make, db, clock, monkeypatch):
    user = make.user(Role.filler, unit=make.unit())
    officer = make.user(Role.security_admin)
    url = db.engine.url.render_as_string(hide_password=False)
    config = Config(DATABASE_URL=url, SECRET_KEY="test-secret", TESTING=True)
    other = create_app(config, clock=clock, database=db)
    b = _in(other, user)  # the other node reads (and keeps) the policy of the day
    assert _set(app, officer, session_idle_minutes=10).status_code == 302
    clock.advance(dt.timedelta(minutes=11))
    assert b.get(HOME).status_code == 200  # its copy is younger than POLICY_SECONDS
    monkeypatch.setattr(policy, "POLICY_SECONDS", 0.0)  # ... and now it is older
    clock.advance(dt.timedelta(minutes=11))
    ended = b.get(HOME)
    assert ended.status_code == 302 and "/login" in ended.headers["Location"]


def test_the_scheduler_prunes_by_the_saved_session_times(app, make, db, clock, session):
    from workflow.lifecycle.machine import get_lifecycle
    from workflow.org.models import LoginSession
    from workflow.scheduler import Jobs

    user = make.user(Role.filler, unit=make.unit())
    officer = make.user(Role.security_admin)
    _in(app, user)
    assert _set(app, officer, session_idle_minutes=120, session_max_hours=24).status_code == 302
    jobs = Jobs(db=db, clock=clock, spec=get_lifecycle().spec, smtp=None, base_url="http://j")
    clock.advance(dt.timedelta(hours=24 + 13))  # over the server's 12 hours, not the saved 24
    jobs.housekeeping()
    session.rollback()
    users = session.scalars(select(LoginSession.user_id)).all()
    assert user.id in users
    clock.advance(dt.timedelta(hours=12))
    jobs.housekeeping()
    session.rollback()
    assert user.id not in session.scalars(select(LoginSession.user_id)).all()
    assert session.get(User, user.id) is not None
