"""The web pages: login, scoping, actions through `fire`, the history, CSRF, errors in Chinese."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import func, select

from tests.conftest import COMPLETE_DECLARATION, COMPLETE_EVALUATION, PASSWORD, flat
from tests.web.conftest import text_of
from web.projects import routes as project_routes
from workflow.audit.models import AuditEvent
from workflow.org import operations as org_ops
from workflow.org.models import LoginFailure, Role
from workflow.projects.models import Project


@pytest.fixture
def people(make):
    unit, other = make.unit("苏州市公安局"), make.unit("苏州市应急管理局")
    return {
        "unit": unit,
        "other": other,
        "filler": make.user(Role.filler, unit=unit, name="李明"),
        "head": make.user(Role.unit_head, unit=unit, name="郁海成"),
        "reviewer": make.user(Role.reviewer, name="沈审核"),
        "admin": make.user(Role.admin, name="管理员"),
        "other_filler": make.user(Role.filler, unit=other, name="王芳"),
    }


def test_anonymous_users_are_sent_to_login(browser):
    b = browser()
    response = b.get("/projects")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert "登录" in text_of(b.get("/login"))


def test_bad_credentials_get_one_generic_message(browser, people):
    b = browser()
    wrong_password = b.login(people["filler"], "not-the-password")
    unknown_user = b.post("/login", {"username": "nobody", "password": "whatever1"})
    for response in (wrong_password, unknown_user):
        assert response.status_code == 401
        assert "用户名或密码错误" in text_of(response)


def test_an_unknown_name_costs_the_same_argon2_check_as_a_wrong_password(
    browser, people, session, monkeypatch
):
    """The answer's time must not tell whether a name exists: every refused login, whatever
    the name, verifies one argon2 hash at the hasher's cost (a stand-in when there is no user)."""
    checked = []
    hasher = org_ops._hasher
    monkeypatch.setattr(org_ops, "_hasher", _Counting(hasher, checked))
    people["other_filler"].is_active = False
    session.commit()
    b = browser()
    attempts = {
        "wrong password": (people["filler"].username, "not-the-password"),
        "unknown name": ("nobody", "whatever1"),
        "disabled account": (people["other_filler"].username, PASSWORD),
    }
    for what, (username, password) in attempts.items():
        checked.clear()
        response = b.post("/login", {"username": username, "password": password})
        assert response.status_code == 401, what
        assert len(checked) == 1, what
        assert checked[0].startswith(hasher.hash("x").rsplit("$", 2)[0]), what  # same cost


class _Counting:
    """The app's hasher, noting the hash each verification is made against."""

    def __init__(self, hasher, checked: list[str]) -> None:
        self.hasher, self.checked = hasher, checked

    def verify(self, stored: str, password: str) -> bool:
        self.checked.append(stored)
        return self.hasher.verify(stored, password)

    def hash(self, password: str) -> str:
        return self.hasher.hash(password)


def test_repeated_failures_lock_the_account_and_are_recorded(browser, people, session):
    b = browser()
    for _ in range(5):
        b.login(people["filler"], "wrong-password")
    locked = b.login(people["filler"])  # even the right password, for now
    assert locked.status_code == 401 and "暂时锁定" in text_of(locked)
    count = session.scalar(select(func.count()).where(LoginFailure.username == "user3"))
    assert count == 6
    other = browser()
    assert other.login(people["head"]).status_code == 302  # other accounts are not affected


def test_the_lock_lifts_after_the_window(browser, people, clock):
    import datetime as dt

    b = browser()
    for _ in range(5):
        b.login(people["filler"], "wrong-password")
    clock.advance(dt.timedelta(minutes=16))
    assert b.login(people["filler"]).status_code == 302


def test_a_unit_user_gets_404_for_another_units_project(browser, people, make):
    theirs = make.project(people["other"], creator=people["other_filler"])
    mine = make.project(people["unit"], creator=people["filler"])
    b = browser()
    b.login(people["filler"])
    assert b.get(f"/projects/{theirs.id}").status_code == 404
    assert b.get(f"/projects/{theirs.id}/declaration").status_code == 404
    assert b.post(f"/projects/{theirs.id}/actions/submit").status_code == 404
    listing = text_of(b.get("/projects"))
    assert mine.name in listing and theirs.name not in listing


def test_reviewers_do_not_see_drafts(browser, people, make):
    draft = make.project(people["unit"], creator=people["filler"])
    declared = make.project(people["unit"], state="declared", creator=people["filler"])
    b = browser()
    b.login(people["reviewer"])
    listing = text_of(b.get("/projects"))
    assert declared.name in listing and draft.name not in listing
    assert b.get(f"/projects/{draft.id}").status_code == 404


def test_a_post_without_csrf_token_is_refused(browser, people, make, session):
    project = make.project(people["unit"], creator=people["filler"])
    b = browser()
    b.login(people["filler"])
    response = b.post(f"/projects/{project.id}/actions/submit", csrf=False)
    assert response.status_code == 400 and "安全令牌" in text_of(response)
    session.rollback()  # a fresh snapshot, then reload
    session.refresh(project)
    assert project.state == "draft"


def test_a_blocked_action_shows_its_reasons(browser, people, make):
    project = make.project(people["unit"], creator=people["filler"], complete=False)
    b = browser()
    b.login(people["filler"])
    page = text_of(b.get(f"/projects/{project.id}"))
    assert 'disabled data-trigger="submit"' in page
    assert "「项目负责人」未填写" in page and "「年度绩效目标」未填写" in page
    response = b.post(f"/projects/{project.id}/actions/submit", {"version": "1"})
    assert response.status_code == 409 and "「项目概况」未填写" in text_of(response)


def test_a_stale_page_gets_409_and_changes_nothing(browser, people, make, session):
    project = make.project(people["unit"], state="declared", creator=people["filler"],
                           submitted_by=people["filler"], last_by=people["head"])  # fmt: skip
    first, second = browser(), browser()
    first.login(people["reviewer"])
    second.login(people["reviewer"])
    first.get(f"/projects/{project.id}")
    second.get(f"/projects/{project.id}")
    approved = first.post(f"/projects/{project.id}/actions/approve", {"version": "1"})
    assert approved.status_code == 302
    conflict = second.post(
        f"/projects/{project.id}/actions/refuse", {"version": "1", "comment": "不予支持"}
    )
    assert conflict.status_code == 409 and "已被他人修改" in text_of(conflict)
    session.rollback()  # a fresh snapshot, then reload
    session.refresh(project)
    assert (project.state, project.version) == ("approved", 2)


def test_new_project_with_a_bad_year_is_refused_in_chinese(browser, people, session):
    b = browser()
    b.login(people["filler"])
    b.get("/projects/new")
    response = b.post("/projects/new", {"name": "<script>alert(1)</script>", "year": "二〇二六"})
    page = text_of(response)
    assert response.status_code == 422
    assert "「项目年度」应为 2000–2100 之间的四位年份" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert session.scalar(select(func.count()).select_from(Project)) == 0


def test_a_wrong_declaration_is_saved_as_typed_with_every_problem_shown(
    browser, people, make, session
):
    project = make.project(people["unit"], creator=people["filler"], complete=False)
    b = browser()
    b.login(people["filler"])
    b.get(f"/projects/{project.id}/declaration")
    typed = {**COMPLETE_DECLARATION, "name": "<script>alert(1)</script>", "year": "二〇二六",
             "summary": "概况" * 1000,
             "fund_items": [{"name": "平台建设", "amount": "三百"},
                            {"name": "", "amount": "-5"}]}  # fmt: skip
    saved = b.post(f"/projects/{project.id}/declaration", {**flat(typed), "version": "1"})
    assert saved.status_code == 302
    page = text_of(b.get(saved.headers["Location"]))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    for shown in ("二〇二六", "三百", "-5", "概况" * 1000, "13404236559"):
        assert shown in page, shown
    assert "「项目年度」“二〇二六”无法识别" in page
    assert "「资金构成第1行预算金额」应为数字（单位万元，最多6位小数），现为“三百”" in page
    assert "资金构成第2行未填写子项目名称" in page
    session.rollback()  # end the read snapshot (SQLite WAL) to see what the requests wrote
    session.expire_all()
    assert session.get(Project, project.id).year == 2026  # the old year stays until corrected


def test_every_action_post_goes_through_fire(browser, people, make, monkeypatch):
    calls = []
    real_fire = project_routes.fire

    def spy(*args, **kwargs):
        calls.append(args[2])
        return real_fire(*args, **kwargs)

    monkeypatch.setattr(project_routes, "fire", spy)
    project = make.project(people["unit"], creator=people["filler"])
    b = browser()
    b.login(people["filler"])
    b.get(f"/projects/{project.id}")
    b.post(f"/projects/{project.id}/actions/submit", {"version": "1"})
    b.post(f"/projects/{project.id}/actions/approve", {"version": "2"})  # wrong role: refused
    b.post(f"/projects/{project.id}/actions/no_such_trigger", {"version": "2"})
    assert calls == ["submit", "approve", "no_such_trigger"]


def _act(b, project_id, trigger, comment=""):
    page = b.get(f"/projects/{project_id}")
    assert page.status_code == 200
    import re

    version = re.search(r'name="version" value="(\d+)"', text_of(page)).group(1)
    response = b.post(f"/projects/{project_id}/actions/{trigger}",
                      {"version": version, "comment": comment})  # fmt: skip
    assert response.status_code == 302, text_of(response)
    return b.get(f"/projects/{project_id}")


# An actual value for each of COMPLETE_DECLARATION's four indicators.
ACTUALS = {
    f"indicators-{n}-actual": actual for n, actual in enumerate(["=100%", "=200人", "96%", "92%"])
}


# The money as spent: 350 planned, appropriated and paid; the two 子项目 as declared.
BUDGET = {"budget_initial": "350", "appropriated": "350", "paid": "350",
          "fund_items-0-actual": "300", "fund_items-1-actual": "50"}  # fmt: skip


def test_a_project_goes_through_its_whole_life_on_the_web(browser, people, session):
    filler, head, reviewer = browser(), browser(), browser()
    filler.login(people["filler"])
    head.login(people["head"])
    reviewer.login(people["reviewer"])

    filler.get("/projects/new")
    created = filler.post("/projects/new", {"name": "“331+”基层消防安全监管平台", "year": "2026"})
    assert created.status_code == 302
    project_id = int(created.headers["Location"].split("/")[-2])
    filler.get(f"/projects/{project_id}/declaration")
    saved = filler.post(f"/projects/{project_id}/declaration",
                        {"name": "“331+”基层消防安全监管平台", "year": "2026", "version": "1",
                         **flat(COMPLETE_DECLARATION)})  # fmt: skip
    assert saved.status_code == 302
    _act(filler, project_id, "submit")
    _act(head, project_id, "return_to_filler", "请补充实施计划的时间节点")
    _act(filler, project_id, "submit")
    _act(head, project_id, "declare")
    _act(reviewer, project_id, "approve", "同意")
    filler.get(f"/projects/{project_id}")
    page = filler.post(f"/projects/{project_id}/milestones/confirm", {"version": "7"})
    assert page.status_code == 302
    _act(filler, project_id, "start_implementation")
    _act(filler, project_id, "begin_evaluation")
    filler.get(f"/projects/{project_id}/evaluation")
    evaluation = {"version": "10", **COMPLETE_EVALUATION, **ACTUALS, **BUDGET}
    assert filler.post(f"/projects/{project_id}/evaluation", evaluation).status_code == 302
    _act(filler, project_id, "submit_evaluation")
    _act(head, project_id, "sign_evaluation")
    _act(reviewer, project_id, "return_evaluation", "请补充问题分析")
    _act(filler, project_id, "submit_evaluation")
    _act(head, project_id, "sign_evaluation")
    final = text_of(_act(reviewer, project_id, "archive"))

    assert "已归档" in final
    # Every target met, but only 预算执行率 (6) of the 26 投入 points was declared: 60 of 80.
    assert "<dt>自评得分</dt><dd>60.00 / 80 · 中</dd>" in final  # in the page's header
    assert "等级：中" in text_of(reviewer.get(f"/projects/{project_id}?tab=evaluation"))
    final = text_of(reviewer.get(f"/projects/{project_id}?tab=history"))
    for text in ("新建项目", "提交", "退回修改", "审核通过并申报", "批复通过", "确认里程碑",
                 "开始实施", "开始自评", "提交自评", "审核通过", "退回自评", "归档",
                 "请补充实施计划的时间节点", "请补充问题分析", "李明", "郁海成", "沈审核",
                 "待单位审核 → 填报中", "已自评（待财政复核） → 已归档"):  # fmt: skip
        assert text in final, text
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.project_id == project_id)
        .order_by(AuditEvent.seq)
    ).all()  # fmt: skip
    assert actions == [
        "create", "submit", "return_to_filler", "submit", "declare",
        "approve", "confirm_milestones", "start_implementation", "begin_evaluation",
        "submit_evaluation", "sign_evaluation", "return_evaluation", "submit_evaluation",
        "sign_evaluation", "archive",
    ]  # fmt: skip
    assert filler.get(f"/projects/{project_id}/declaration").status_code == 403


def test_edits_after_a_return_are_in_the_history(browser, people, make):
    project = make.project(people["unit"], creator=people["filler"])
    head, filler = browser(), browser()
    head.login(people["head"])
    filler.login(people["filler"])
    _act(filler, project.id, "submit")
    _act(head, project.id, "return_to_filler", "联系电话有误")
    filler.get(f"/projects/{project.id}/declaration")
    saved = filler.post(
        f"/projects/{project.id}/declaration",
        {"name": project.name, "year": "2026", "amount": "350", "version": "3",
         **flat({**COMPLETE_DECLARATION,
                 "contacts": [{"name": "李明", "phone": "13912345678"}]})},
    )  # fmt: skip
    assert saved.status_code == 302
    page = text_of(filler.get(f"/projects/{project.id}?tab=history"))
    assert "修改申报表" in page and "联系电话有误" in page
    assert "13404236559" in page and "13912345678" in page and "联系人第1行·联系电话" in page


def test_edits_of_a_draft_never_submitted_are_not_audited(browser, people, make, session):
    project = make.project(people["unit"], creator=people["filler"])
    filler = browser()
    filler.login(people["filler"])
    filler.get(f"/projects/{project.id}/declaration")
    saved = filler.post(
        f"/projects/{project.id}/declaration",
        {"name": project.name, "year": "2026", "amount": "350", "version": "1",
         **flat({**COMPLETE_DECLARATION, "summary": "改过的概况"})},
    )  # fmt: skip
    assert saved.status_code == 302
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == 0
    assert "改过的概况" in text_of(filler.get(f"/projects/{project.id}"))


def test_security_headers_and_cookie_flags(browser, people):
    b = browser()
    response = b.login(people["filler"])
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    page = b.get("/projects")
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["X-Content-Type-Options"] == "nosniff"


def test_unknown_pages_are_chinese_404s(browser, people):
    b = browser()
    b.login(people["filler"])
    response = b.get("/projects/999999")
    assert response.status_code == 404 and "页面不存在" in text_of(response)


def test_two_reviewers_clicking_at_once_get_one_success_and_one_409(app, people, make, session):
    import threading

    from tests.web.conftest import Browser

    project = make.project(people["unit"], state="declared", creator=people["filler"],
                           submitted_by=people["filler"], last_by=people["head"])  # fmt: skip
    second_reviewer = make.user(Role.reviewer, name="周复核")
    tabs = [Browser(app.test_client()), Browser(app.test_client())]
    tabs[0].login(people["reviewer"])
    tabs[1].login(second_reviewer)
    for tab in tabs:
        tab.get(f"/projects/{project.id}")
    barrier, statuses = threading.Barrier(2), []

    def click(tab, trigger, comment):
        barrier.wait()
        response = tab.post(f"/projects/{project.id}/actions/{trigger}",
                            {"version": "1", "comment": comment})  # fmt: skip
        statuses.append(response.status_code)

    threads = [threading.Thread(target=click, args=(tabs[0], "approve", "同意")),
               threading.Thread(target=click, args=(tabs[1], "refuse", "不予支持"))]  # fmt: skip
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(statuses) == [302, 409]
    session.rollback()  # a fresh snapshot, then reload
    session.refresh(project)
    assert project.version == 2 and project.state in ("approved", "refused")
    decided = session.scalar(select(func.count()).where(AuditEvent.project_id == project.id))
    assert decided == 1


def test_a_real_form_typed_into_the_page_comes_back_field_by_field(browser, people, make):
    from workflow.demo import seed_form_data

    project = make.project(people["unit"], creator=people["filler"], complete=False)
    b = browser()
    b.login(people["filler"])
    b.get(f"/projects/{project.id}/declaration")
    seed = seed_form_data("000")
    saved = b.post(f"/projects/{project.id}/declaration", {**flat(seed), "version": "1"})
    assert saved.status_code == 302
    page = html.unescape(text_of(b.get(f"/projects/{project.id}/declaration")))
    for key in ("name", "summary", "basis", "necessity", "safeguards", "implementation_plan",
                "overall_goal", "annual_goal"):  # fmt: skip
        assert seed[key] in page, key
    for row in seed["indicators"]:
        for column in ("name", "target", "explanation", "evidence"):
            assert row[column] in page, (row["name"], column)
    for person in seed["contacts"]:
        assert f'value="{person["phone"]}"' in page
    detail = text_of(b.get(f"/projects/{project.id}?tab=declaration"))
    assert "350.00" in detail and "500.00" in detail  # amounts shown with two decimals
    assert 'data-trigger="submit"' in detail and 'disabled data-trigger="submit"' not in detail


def test_an_over_long_name_is_refused_with_everything_typed_kept(browser, people, make):
    project = make.project(people["unit"], creator=people["filler"])
    b = browser()
    b.login(people["filler"])
    b.get(f"/projects/{project.id}/declaration")
    typed = {**COMPLETE_DECLARATION, "name": "项" * 201, "summary": "新写的概况"}
    response = b.post(f"/projects/{project.id}/declaration", {**flat(typed), "version": "1"})
    page = text_of(response)
    assert response.status_code == 422
    assert "「项目名称」内容过长（不能超过 200 字）" in page
    assert "项" * 201 in page and "新写的概况" in page
