"""What a user sees of the session rules in a real browser: an idle session sends them to the
login page with the reason, a throttled login says 「登录尝试过于频繁，请稍后再试」, and an
administrator sees a locked account and lifts the lock."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.conftest import PASSWORD
from tests.e2e.pages import expect
from workflow.org.models import Role

pytestmark = pytest.mark.timeout(300)


def _fail(live_app, username: str, times: int, *, numbered: bool = False) -> None:
    """Failed logins from the browser's address (loopback), as another tab would make them;
    `numbered`: on as many names (username1, username2 …)."""
    client = live_app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    for i in range(times):
        name = f"{username}{i}" if numbered else username
        answer = client.post("/login", data={"csrf_token": token, "username": name,
                                             "password": "wrong-password"})  # fmt: skip
        assert answer.status_code == 401


def test_an_idle_session_ends_with_the_reason_on_the_login_page(people, make, clock):
    filler = make.user(Role.filler, unit=make.unit("苏州市应急管理局"), name="王芳")
    wang = people("wang")
    wang.login(filler.username)
    clock.advance(dt.timedelta(minutes=31))
    page = wang.open("/projects")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    expect(page.get_by_text("已自动退出，请重新登录")).to_be_visible()
    wang.shot("idle-session-ended")
    wang.login(filler.username, here=True)
    expect(page).to_have_url(re.compile(r"/projects$"))  # back where the user was going


def test_a_throttled_login_says_so(people, make, live_app):
    filler = make.user(Role.filler, unit=make.unit("苏州市应急管理局"), name="王芳")
    _fail(live_app, "somebody", 20, numbered=True)  # the address's allowance is spent
    wang = people("wang")
    page = wang.open("/login")
    page.get_by_label("用户名").fill(filler.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_text("登录尝试过于频繁，请稍后再试")).to_be_visible()
    expect(page.get_by_label("用户名")).to_have_value(filler.username)
    wang.shot("throttled")


def test_an_administrator_sees_a_locked_account_and_unlocks_it(people, make, live_app):
    reviewer = make.user(Role.reviewer, name="沈审核")
    admin = make.user(Role.security_admin, name="安全管理员")
    _fail(live_app, reviewer.username, 5)
    boss = people("admin")
    boss.login(admin.username)
    page = boss.page  # the lock waits on the 安全管理员's 工作台
    expect(page.locator("ul.duties")).to_contain_text("1 个账号正处于登录锁定")
    boss.shot("security-admin-workbench")
    page.get_by_role("link", name=re.compile(reviewer.username)).click()
    expect(page.get_by_text("已在以下地址暂时锁定")).to_be_visible()
    expect(page.get_by_text("127.0.0.1")).to_be_visible()
    boss.shot("locked-account")
    page.get_by_role("button", name="解除锁定").click()
    expect(page.get_by_text("已解除「沈审核」的登录锁定")).to_be_visible()
    expect(page.get_by_text("已在以下地址暂时锁定")).to_have_count(0)
    boss.shot("unlocked")
    shen = people("shen")
    shen.login(reviewer.username)  # from the same address, at once


def test_a_new_user_sets_their_own_password_at_first_login(people, make):
    """The 系统管理员 creates the account and hands over the one-time password, the 安全管理员
    finds it on their 工作台 and grants its role; the user must set their own password before
    anything else, and the page says what a password needs."""
    make.unit("苏州市应急管理局")
    admin = make.user(Role.admin, name="系统管理员")
    security = make.user(Role.security_admin, name="安全管理员")
    boss = people("admin")
    boss.login(admin.username)
    page = boss.open("/admin/users/new")
    page.get_by_label("用户名").fill("wangfang")
    page.get_by_label("姓名").fill("王芳")
    page.get_by_label("所属单位").select_option(label="苏州市应急管理局")
    expect(page.get_by_label("填报人")).to_have_count(0)  # roles are not the 系统管理员's
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("仅显示这一次")).to_be_visible()
    one_time = page.locator(".one-time code").inner_text()
    boss.shot("one-time-password")

    guard = people("security")
    guard.login(security.username)
    page = guard.page
    expect(page.locator("ul.duties")).to_contain_text("1 个账号待分配角色")
    page.get_by_role("link", name="王芳（wangfang）").click()
    page.get_by_label("填报人").check()
    guard.shot("grant-role")
    page.get_by_role("button", name="保存角色").click()
    expect(page.get_by_text("已保存「王芳」的角色")).to_be_visible()
    guard.shot("role-granted")

    wang = people("wang")
    login = wang.open("/login")
    login.get_by_label("用户名").fill("wangfang")
    login.get_by_label("密码").fill(one_time)
    login.get_by_role("button", name="登录").click()
    expect(login).to_have_url(re.compile(r"/password"))
    expect(login.get_by_text("首次登录或密码已被安全管理员重置")).to_be_visible()
    login.get_by_label("当前密码").fill(one_time)
    login.get_by_label("新密码", exact=True).fill("wangfang2026")
    login.get_by_label("确认新密码").fill("wangfang2026")
    login.get_by_role("button", name="修改密码").click()
    expect(login.get_by_text("密码不能包含用户名")).to_be_visible()
    wang.shot("password-refused")
    login.get_by_label("当前密码").fill(one_time)
    login.get_by_label("新密码", exact=True).fill("Yingji-2026")
    login.get_by_label("确认新密码").fill("Yingji-2026")
    login.get_by_role("button", name="修改密码").click()
    expect(login.get_by_text("密码已修改")).to_be_visible()
    expect(login.get_by_role("heading", name="工作台", exact=True)).to_be_visible()
    wang.shot("password-set")
