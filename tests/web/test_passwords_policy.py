"""The password policy (等保 身份鉴别): at least 8 characters of three kinds, not containing the
user name; changed every 90 days and not one of the last 5 (both settings); a one-time
password from an administrator (a new user's, or after 重置密码) must be replaced at the first
login, so administrators never know users' passwords; users change their own."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD
from tests.web.conftest import Browser, text_of
from web import create_app
from web.config import Config
from workflow.audit.models import AuditEvent
from workflow.org import passwords
from workflow.org.models import Role, User

HOME = "/"


def _in(app, username: str, password: str = PASSWORD) -> Browser:
    b = Browser(app.test_client())
    b.get("/login")
    answer = b.post("/login", {"username": username, "password": password})
    assert answer.status_code == 302, text_of(answer)
    return b


def _change(b: Browser, current: str, new: str, confirm: str | None = None):
    b.get("/password")
    return b.post("/password", {"current": current, "new": new,
                                "confirm": new if confirm is None else confirm})  # fmt: skip


def _fresh(session, user_id) -> User:
    session.rollback()
    session.expire_all()
    return session.get(User, user_id)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1!", "密码至少8位"),
        ("abcdefgh12", "密码须包含大写字母、小写字母、数字、符号中的至少三类"),
        ("ABCDEFGH!!", "密码须包含大写字母、小写字母、数字、符号中的至少三类"),
        ("Zhangsan2026!", "密码不能包含用户名"),
        ("ZHANGSAN-x-2026", "密码不能包含用户名"),
    ],
)
def test_a_weak_password_is_refused_with_its_reason(password, message):
    assert message in [p.message for p in passwords.problems(password, "zhangsan")]


@pytest.mark.parametrize(
    "password", ["Jixiao@2026", "abcdEFGH1234", "财政局2026年abc", "correct horse 9 battery"]
)
def test_a_password_of_three_kinds_will_do(password):
    assert passwords.problems(password, "zhangsan") == []


def test_one_time_passwords_meet_the_policy_and_differ():
    made = {passwords.one_time() for _ in range(200)}
    assert len(made) == 200
    assert all(passwords.problems(p, "someone") == [] and len(p) == 12 for p in made)
    assert not any(set(p) & set("0O1lI") for p in made)


def test_a_user_changes_their_own_password_and_other_sessions_end(app, make, session):
    user = make.user(Role.filler, unit=make.unit())
    elsewhere = _in(app, user.username)
    b = _in(app, user.username)
    assert "修改密码" in text_of(b.get(HOME))  # the link in the header
    wrong = _change(b, "not-the-password", "Newpass-2026")
    assert wrong.status_code == 422 and "当前密码不正确" in text_of(wrong)
    weak = _change(b, PASSWORD, "newpassword")
    assert weak.status_code == 422 and "至少三类" in text_of(weak)
    typo = _change(b, PASSWORD, "Newpass-2026", "Newpass-2027")
    assert typo.status_code == 422 and "两次输入的新密码不一致" in text_of(typo)
    done = _change(b, PASSWORD, "Newpass-2026")
    assert done.status_code == 302
    assert b.get(HOME).status_code == 200  # this browser goes on
    assert elsewhere.get(HOME).status_code == 302  # the other one was logged out
    _in(app, user.username, "Newpass-2026")
    fresh = _fresh(session, user.id)
    assert fresh.must_change_password is False and fresh.session_version == 2
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.actor_id == user.id))
    assert "change_password" in list(actions)


def test_the_last_five_passwords_do_not_come_back(app, make):
    user = make.user(Role.filler, unit=make.unit())
    b = _in(app, user.username)
    current = PASSWORD
    for n in range(1, 6):
        assert _change(b, current, f"Rotate-{n}-pass").status_code == 302
        current = f"Rotate-{n}-pass"
    for used in ("Rotate-5-pass", "Rotate-2-pass"):  # the current one, and four back
        refused = _change(b, current, used)
        assert refused.status_code == 422 and "不能与最近5次使用过的密码相同" in text_of(refused)
    assert _change(b, current, PASSWORD + "-A").status_code == 302  # six back may return …
    assert _change(b, PASSWORD + "-A", "Rotate-1-pass").status_code == 302  # … and so may this


def test_a_password_older_than_ninety_days_must_be_changed_first(app, make, session, clock):
    user = make.user(Role.filler, unit=make.unit())
    fresh = _fresh(session, user.id)
    fresh.password_changed_at = clock.now() - dt.timedelta(days=89)
    session.commit()
    assert _in(app, user.username).get(HOME).status_code == 200
    clock.advance(dt.timedelta(days=2))
    b = _in(app, user.username)
    gate = b.get("/projects")
    assert gate.status_code == 302 and gate.headers["Location"].startswith("/password?next=")
    page = text_of(b.get(gate.headers["Location"]))
    assert "您的密码已使用超过90天，请修改密码后继续" in page
    assert b.get("/notifications").status_code == 302  # every page waits for it
    b.get("/password")
    assert b.post("/password?next=/projects", {"current": PASSWORD, "new": "Fresh-pass-1",
                                                "confirm": "Fresh-pass-1"}).headers[
        "Location"
    ] == "/projects"  # fmt: skip
    assert b.get("/projects").status_code == 200


def test_the_policy_is_a_setting(db, clock, make, session):
    config = Config(DATABASE_URL=db.engine.url.render_as_string(hide_password=False),
                    SECRET_KEY="t", PASSWORD_MAX_AGE_DAYS=30, PASSWORD_HISTORY=2)  # fmt: skip
    app = create_app(config, clock=clock, database=db)
    user = make.user(Role.filler, unit=make.unit())
    fresh = _fresh(session, user.id)
    fresh.password_changed_at = clock.now() - dt.timedelta(days=31)
    session.commit()
    b = _in(app, user.username)
    assert b.get(HOME).status_code == 302
    assert _change(b, PASSWORD, "First-pass-1").status_code == 302
    assert _change(b, "First-pass-1", "Second-pass-1").status_code == 302
    assert _change(b, "Second-pass-1", "Third-pass-1").status_code == 302
    assert _change(b, "Third-pass-1", "Second-pass-1").status_code == 422  # one back
    assert _change(b, "Third-pass-1", "First-pass-1").status_code == 302  # two back: allowed


def test_an_admin_creates_a_user_with_a_one_time_password(app, make, session):
    unit = make.unit()
    admin = make.user(Role.admin)
    a = _in(app, admin.username)
    a.get("/admin/users/new")
    made = a.post("/admin/users/new", {"username": "new_tb", "display_name": "新填报人",
                                       "unit_id": str(unit.id)})  # fmt: skip
    page = text_of(made)
    assert made.status_code == 200 and "仅显示这一次" in page
    one_time = re.search(r"<code>([^<]+)</code>", page).group(1)
    assert passwords.problems(one_time, "new_tb") == []
    newcomer = _in(app, "new_tb", one_time)
    assert newcomer.get(HOME).headers["Location"].startswith("/password")
    assert "首次登录或密码已被安全管理员重置" in text_of(newcomer.get("/password"))
    assert _change(newcomer, one_time, "Mine-own-2026").status_code == 302
    assert newcomer.get(HOME).status_code == 200
    user = session.scalar(select(User).where(User.username == "new_tb"))
    assert not user.must_change_password


def test_an_admin_reset_issues_a_one_time_password_and_ends_sessions(app, make, session):
    user = make.user(Role.filler, unit=make.unit())
    admin = make.user(Role.security_admin)  # 三员分立: resets are the 安全管理员's
    victim = _in(app, user.username)
    a = _in(app, admin.username)
    page = text_of(a.get(f"/admin/users/{user.id}"))
    assert "重置密码" in page and 'name="password"' not in page  # no password field for admins
    a.get(f"/admin/users/{user.id}")
    reset = text_of(a.post(f"/admin/users/{user.id}/reset-password", {}))
    one_time = re.search(r"<code>([^<]+)</code>", reset).group(1)
    assert victim.get(HOME).status_code == 302
    old = Browser(app.test_client())
    old.get("/login")
    assert old.post("/login", {"username": user.username, "password": PASSWORD}).status_code == 401
    b = _in(app, user.username, one_time)
    assert b.get(HOME).headers["Location"].startswith("/password")
    assert _change(b, one_time, "After-reset-1").status_code == 302
    assert one_time not in text_of(a.get(f"/admin/users/{user.id}"))  # shown once only
    session.rollback()
    assert "reset_password" in list(session.scalars(select(AuditEvent.action)))
