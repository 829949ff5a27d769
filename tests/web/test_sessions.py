"""Sessions end on the server (等保 8.1.4.1 身份鉴别 / 登录超时): a cookie saved before logout is
refused after it; a session ends after 30 minutes idle and 12 hours in all (both settable);
the session changes at login; every attempt, logout and timeout is in the login log, kept at
least 180 days; a name is locked per address, so a stranger cannot lock its owner out, and an
administrator can lift the lock."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from tests.conftest import PASSWORD
from tests.web.conftest import Browser, StatementCounter, text_of
from web import create_app
from web.config import Config
from workflow.audit.models import AuditEvent
from workflow.org import sessions
from workflow.org.models import LoginRecord, LoginSession, Role, User
from workflow.uow import UnitOfWork

HOME = "/"


def _browser(app, address="10.0.0.1") -> Browser:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return Browser(client)


def _logged_in(app, user, address="10.0.0.1") -> Browser:
    b = _browser(app, address)
    assert b.login(user).status_code == 302
    return b


def _session_cookie(b: Browser) -> str:
    return b.client.get_cookie("session").value


def _with_cookie(app, value: str) -> Browser:
    b = _browser(app)
    b.client.set_cookie("session", value)
    return b


def _log(session) -> list[tuple[str, str, str]]:
    session.rollback()
    rows = session.execute(
        select(LoginRecord.username, LoginRecord.result, LoginRecord.remote_addr).order_by(
            LoginRecord.id
        )
    )
    return [tuple(r) for r in rows]


def test_a_cookie_saved_before_logout_is_refused_after_it(app, make, session):
    user = make.user(Role.filler, unit=make.unit())
    b = _logged_in(app, user)
    saved = _session_cookie(b)
    assert _with_cookie(app, saved).get(HOME).status_code == 200  # the copy works while logged in
    b.get(HOME)
    assert b.post("/logout", {}).status_code == 302
    replay = _with_cookie(app, saved).get(HOME)
    assert replay.status_code == 302 and "/login" in replay.headers["Location"]
    assert b.get(HOME).status_code == 302
    assert [r[1] for r in _log(session)] == ["ok", "logout"]
    session.rollback()
    assert session.scalar(select(LoginSession.ended_at)) is not None


def test_a_session_ends_after_thirty_minutes_idle(app, make, session, clock):
    user = make.user(Role.filler, unit=make.unit())
    b = _logged_in(app, user)
    for _ in range(4):  # active for two hours: each request keeps it alive
        clock.advance(dt.timedelta(minutes=29))
        assert b.get(HOME).status_code == 200
    clock.advance(dt.timedelta(minutes=31))
    gone = b.get(HOME)
    assert gone.status_code == 302 and "/login" in gone.headers["Location"]
    page = text_of(b.get(gone.headers["Location"]))
    assert "已自动退出，请重新登录" in page
    assert [r[1] for r in _log(session)] == ["ok", "expired"]
    assert b.login(user).status_code == 302 and b.get(HOME).status_code == 200


def test_a_session_ends_after_twelve_hours_however_busy(app, make, clock):
    user = make.user(Role.filler, unit=make.unit())
    b = _logged_in(app, user)
    for _ in range(12 * 3):
        clock.advance(dt.timedelta(minutes=20))
        assert b.get(HOME).status_code == 200
    clock.advance(dt.timedelta(minutes=1))
    assert b.get(HOME).status_code == 302


def test_the_timeouts_are_settings(db, clock, make):
    config = Config(
        DATABASE_URL=db.engine.url.render_as_string(hide_password=False),
        SECRET_KEY="test-secret",
        SESSION_IDLE_MINUTES=5,
        SESSION_MAX_HOURS=1,
    )
    app = create_app(config, clock=clock, database=db)
    user = make.user(Role.filler, unit=make.unit())
    b = _logged_in(app, user)
    clock.advance(dt.timedelta(minutes=6))
    assert b.get(HOME).status_code == 302
    b = _logged_in(app, user)
    for _ in range(15):
        clock.advance(dt.timedelta(minutes=4))
        assert b.get(HOME).status_code == 200
    clock.advance(dt.timedelta(minutes=1))
    assert b.get(HOME).status_code == 302  # an hour and a minute


def test_the_session_changes_at_login_and_nothing_planted_before_survives(app, make):
    user = make.user(Role.filler, unit=make.unit())
    b = _browser(app)
    with b.client.session_transaction() as planted:  # what an attacker would fix beforehand
        planted["_user_id"] = "chosen-by-the-attacker"
        planted["note"] = "kept?"
    assert b.login(user).status_code == 302
    with b.client.session_transaction() as now:
        first = now["_user_id"]
        assert first != "chosen-by-the-attacker" and "note" not in now
    b.get(HOME)
    assert b.post("/logout", {}).status_code == 302
    b.login(user)
    with b.client.session_transaction() as now:
        assert now["_user_id"] != first


def test_a_change_to_the_account_ends_its_sessions(app, make, session, clock):
    user = make.user(Role.filler, unit=make.unit())
    b = _logged_in(app, user)
    fresh = session.get(User, user.id)
    fresh.session_version += 1  # what a password, role, unit or activation change does
    session.commit()
    assert b.get(HOME).status_code == 302


def test_resuming_a_session_is_one_statement_and_a_write_at_most_once_a_minute(
    app, make, clock, db
):
    user = make.user(Role.filler, unit=make.unit())
    b = _logged_in(app, user)
    b.get("/notifications")
    with StatementCounter(db) as first:
        b.get("/notifications")
    clock.advance(dt.timedelta(seconds=61))
    with StatementCounter(db) as touched:
        b.get("/notifications")
    with StatementCounter(db) as again:
        b.get("/notifications")
    assert touched.count == first.count + 1 == again.count + 1
    resuming = [s for s in first.statements if "login_sessions" in s]
    assert len(resuming) == 1 and "JOIN users" in resuming[0] and "user_roles" in resuming[0]
    assert any(s.startswith("UPDATE login_sessions") for s in touched.statements)


def test_the_login_log_has_every_attempt_with_its_address(app, make, session):
    unit = make.unit()
    user = make.user(Role.filler, unit=unit)
    gone = make.user(Role.filler, unit=unit)
    gone_row = session.get(User, gone.id)
    gone_row.is_active = False
    session.commit()
    b = _browser(app, "192.0.2.7")
    b.login(user, "wrong-password")
    b.get("/login")
    b.post("/login", {"username": "nobody-here", "password": PASSWORD})
    b.login(gone)
    b.login(user)
    assert _log(session) == [
        (user.username, "wrong_password", "192.0.2.7"),
        ("nobody-here", "unknown_name", "192.0.2.7"),
        (gone.username, "disabled", "192.0.2.7"),
        (user.username, "ok", "192.0.2.7"),
    ]


def test_the_daily_clean_up_keeps_the_login_log_180_days(uow, session, make, clock):
    user = make.user(Role.filler, unit=make.unit())
    start = clock.now()
    for days in (0, 100, 179, 181, 400):
        sessions.record(session, user.username, "ok", now=start - dt.timedelta(days=days),
                        remote_addr="10.0.0.1", user=user)  # fmt: skip
    session.commit()
    token = sessions.start(UnitOfWork(session), user, now=start - dt.timedelta(days=3),
                           remote_addr="10.0.0.1")  # fmt: skip
    sessions.start(UnitOfWork(session), user, now=start, remote_addr="10.0.0.1")
    policy = sessions.SessionPolicy()
    # a setting below 180 days is raised to 180
    sessions.prune(UnitOfWork(session), policy, now=start, keep_days=30)
    kept = sorted((start - at).days for at in session.scalars(select(LoginRecord.at)))
    assert kept == [0, 0, 3, 100, 179]  # with the two logins, of today and three days ago
    assert session.scalar(select(func.count()).select_from(LoginSession)) == 1
    assert sessions.resume(UnitOfWork(session), token, policy, now=start).user is None


def test_a_stranger_cannot_lock_the_owner_out_and_an_admin_can_unlock(app, make, session):
    reviewer = make.user(Role.reviewer)
    admin = make.user(Role.security_admin)  # unlocking is the 安全管理员's
    stranger = _browser(app, "203.0.113.9")
    for _ in range(5):
        stranger.login(reviewer, "guess")
    refused = stranger.login(reviewer)  # even the right password, from the stranger's address
    assert refused.status_code == 401 and "已暂时锁定" in text_of(refused)
    owner = _logged_in(app, reviewer, "10.1.1.1")  # the owner, from their own office
    assert owner.get(HOME).status_code == 200
    page = text_of(_logged_in(app, admin, "10.1.1.2").get(f"/admin/users/{reviewer.id}"))
    assert "203.0.113.9" in page and "解除锁定" in page
    a = _logged_in(app, admin, "10.1.1.2")
    a.get(f"/admin/users/{reviewer.id}")
    assert a.post(f"/admin/users/{reviewer.id}/unlock", {}).status_code == 302
    assert stranger.login(reviewer).status_code == 302
    session.rollback()
    assert session.scalar(select(AuditEvent.action).order_by(AuditEvent.seq.desc())) == (
        "unlock_user"
    )


def test_the_scheduler_cleans_up_daily(db, session, make, clock):
    from workflow.lifecycle.machine import get_lifecycle
    from workflow.scheduler import Jobs, build

    user = make.user(Role.filler, unit=make.unit())
    sessions.record(session, user.username, "ok", now=clock.now() - dt.timedelta(days=181),
                    remote_addr="10.0.0.1", user=user)  # fmt: skip
    session.commit()
    jobs = Jobs(db=db, clock=clock, spec=get_lifecycle().spec, smtp=None, base_url="http://j")
    assert "housekeeping" in {job.id for job in build(jobs).get_jobs()}
    assert jobs.housekeeping() == 1
    session.rollback()
    assert session.scalar(select(func.count()).select_from(LoginRecord)) == 0


def test_every_request_of_a_timed_out_session_says_it_timed_out(app, make, clock):
    """Another tab's request (or the page's icon) may be the one to find the session timed
    out; the page the user then opens still tells them why they must log in again."""
    user = make.user(Role.filler, unit=make.unit())
    b = _logged_in(app, user)
    clock.advance(dt.timedelta(minutes=31))
    first = b.get("/favicon.ico")  # ends the session
    assert first.status_code in (302, 404)
    again = b.get("/projects")
    assert again.status_code == 302 and "/login" in again.headers["Location"]
    assert "已自动退出" in text_of(b.get(again.headers["Location"]))
    b.get("/login")
    assert b.login(user).status_code == 302
    b.get("/notifications")  # this session's token
    assert b.post("/logout").status_code == 302
    assert "已自动退出" not in text_of(b.get(b.get("/projects").headers["Location"]))
