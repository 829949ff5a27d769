"""The 安全管理员 and the 安全审计员 in a real browser: the policy page refuses what is out of
bounds and keeps what is in; the auditor finds an approval in the trail by person and action,
exports it, reads the login log, and sees the chain's last check."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook

from tests.e2e.pages import expect
from workflow.lifecycle.machine import get_lifecycle
from workflow.lifecycle.operations import fire
from workflow.org.models import Role
from workflow.scheduler import Jobs
from workflow.uow import UnitOfWork

pytestmark = pytest.mark.timeout(300)


def test_the_security_admin_tightens_the_policy(people, make):
    officer = make.user(Role.security_admin, name="安全管理员")
    guard = people("security")
    guard.login(officer.username)
    page = guard.open("/admin/policy")
    expect(page.get_by_text("目前使用服务器配置的默认值")).to_be_visible()
    page.get_by_label("无操作自动退出").fill("600")
    page.get_by_label("密码有效期").fill("60")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("「无操作自动退出」应为5–120分钟")).to_be_visible()
    guard.shot("policy-refused")
    page.get_by_label("无操作自动退出").fill("15")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("安全策略已保存，即时生效")).to_be_visible()
    expect(page.get_by_label("无操作自动退出")).to_have_value("15")
    expect(page.get_by_label("密码有效期")).to_have_value("60")
    guard.shot("policy-saved")


def test_the_auditor_finds_an_approval_and_exports_it(people, make, session, clock, db,
                                                      tmp_path):  # fmt: skip
    unit = make.unit("苏州市公安局")
    filler = make.user(Role.filler, unit=unit, name="李明")
    head = make.user(Role.unit_head, unit=unit, name="郁海成")
    reviewer = make.user(Role.reviewer, name="沈审核")
    auditor = make.user(Role.auditor, name="安全审计员")
    project = make.project(unit, creator=filler)
    project.name = "“331+”基层消防安全监管平台"
    session.commit()
    for trigger, actor in (("submit", filler), ("declare", head), ("approve", reviewer)):
        clock.advance(dt.timedelta(hours=3))
        fire(UnitOfWork(session), project, trigger, actor=actor, now=clock.now(),
             comment="同意" if actor is reviewer else "")  # fmt: skip
    Jobs(db=db, clock=clock, spec=get_lifecycle().spec, smtp=None, base_url="http://j",
         checkpoint_path=tmp_path / "checkpoints").checkpoint()  # fmt: skip

    eye = people("auditor", viewport={"width": 1280, "height": 900})
    eye.login(auditor.username)
    page = eye.page
    expect(page.locator("ul.duties")).to_contain_text("近24小时登录失败 0 次")
    expect(page.get_by_role("link", name="项目列表")).to_have_count(0)
    eye.shot("auditor-workbench")
    page.get_by_role("link", name="审计记录").first.click()
    expect(page.locator("#chain-check")).to_contain_text("校验通过")
    expect(page.locator("#chain-check")).to_contain_text("共校验 3 条记录")
    page.get_by_label("操作人").fill("沈审核")
    page.get_by_label("操作", exact=True).select_option(label="批复通过")
    page.get_by_role("button", name="筛选").click()
    rows = page.locator("table.grid tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("沈审核")
    expect(rows.first).to_contain_text("同意")
    eye.shot("trail-filtered")
    with page.expect_download() as download:
        page.get_by_role("link", name="导出 Excel").click()
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "操作人：沈审核" in rows[0][0] and len(rows) == 3 and rows[2][2] == "沈审核"
    page.get_by_role("link", name="登录日志").first.click()
    expect(page.locator("table.grid tbody")).to_contain_text(auditor.username)
    expect(page.locator("table.grid tbody")).to_contain_text("登录成功")
    eye.shot("login-log")
    expect(page).to_have_url(re.compile(r"/audit/logins$"))


def test_the_demos_three_officers_each_find_their_work(people, session, clock):
    """`make run`'s demo: the 系统管理员, the 安全管理员 and the 安全审计员 each land on a 工作台 of
    their own duties, with the navigation of their duties only."""
    from workflow.demo import DEMO_PASSWORD, load_demo

    load_demo(session, clock)
    navigation = {
        "admin": ["单位管理", "用户管理", "评分模板", "邮件发件箱"],
        "secadmin": ["用户与角色", "安全策略"],
        "auditor": ["审计记录", "登录日志"],
    }
    for username, links in navigation.items():
        person = people(username)
        person.login(username, DEMO_PASSWORD)
        nav = person.page.locator("header.top nav")
        for link in links:
            expect(nav.get_by_role("link", name=link)).to_be_visible()
        expect(nav.get_by_role("link", name="项目列表")).to_have_count(0)
        expect(person.page.locator("ul.duties > li").first).to_be_visible()
        person.shot("workbench")
