"""The 绩效指标库 in a browser: finance finds an indicator by type and name and marks it 核心指标;
the 系统管理员 adds one and sees the form's own messages."""

from __future__ import annotations

import re

import pytest

from tests.e2e.pages import expect
from workflow.library import operations as library
from workflow.org.models import Role
from workflow.uow import UnitOfWork

pytestmark = pytest.mark.timeout(300)


def test_finance_marks_a_core_indicator_and_the_admin_adds_one(people, make, session, clock):
    library.seed_default(session, now=clock.now())
    session.commit()
    reviewer = make.user(Role.reviewer, name="沈审核")
    admin = make.user(Role.admin, name="系统管理员")

    shen = people("reviewer", viewport={"width": 1280, "height": 900})
    shen.login(reviewer.username)
    page = shen.page
    page.get_by_role("link", name="指标库").click()
    page.get_by_label("项目类型").select_option("信息化工程及维护类")
    page.get_by_label("类别").select_option("投入")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("table.grid tbody")).to_contain_text("业务运维体系健全性")
    shen.shot("library-filtered")
    page.get_by_role("link", name="预算执行率").click()
    page.locator("#core li").filter(has_text="信息化工程及维护类").get_by_role(
        "button", name="设为核心指标").click()  # fmt: skip
    expect(page.get_by_text("已将「预算执行率」设为信息化工程及维护类的核心指标")).to_be_visible()
    shen.shot("core-marked")

    keeper = people("admin")
    keeper.login(admin.username)
    page = keeper.open("/library/new?category=产出")
    page.get_by_label("指标名称").fill("系统上线模块数")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("请至少选择一个适用的项目类型")).to_be_visible()
    keeper.shot("refused")
    page.get_by_label("默认目标值").fill("≥5个")
    page.get_by_label("信息化工程及维护类").check()
    page.get_by_role("button", name="保存").click()
    expect(page.locator("table.grid tbody")).to_contain_text("系统上线模块数")
    keeper.shot("added")


def test_a_declaration_starts_from_the_library_and_a_core_indicator_is_required(
    people, make, session, clock
):
    """A new 信息化工程及维护类 declaration starts with that type's 投入 rows; finance's 核心指标
    missing blocks 提交 with its reason; searching the library and adding the entry fills a row."""
    library.seed_default(session, now=clock.now())
    session.commit()
    unit = make.unit("苏州市应急管理局")
    filler = make.user(Role.filler, unit=unit, name="王芳")
    reviewer = make.user(Role.reviewer, name="沈审核")
    core = next(e for e in library.entries(session, library.Filter(q="应急管理水平")))
    library.set_core(UnitOfWork(session), core.id, "信息化工程及维护类", True, actor=reviewer,
                     now=clock.now())  # fmt: skip

    wang = people("filler", viewport={"width": 1400, "height": 900})
    wang.login(filler.username)
    page = wang.open("/projects/new")
    page.get_by_label("项目名称").fill("应急指挥平台运维")
    page.get_by_label("项目年度").fill("2027")
    page.get_by_label("项目类型").select_option("信息化工程及维护类")
    wang.shot("new-with-type")
    page.get_by_role("button", name="创建并填写申报表").click()
    names = page.locator("textarea[name$='-name']")
    expect(names.filter(has_text="业务运维体系健全性")).to_have_count(1)
    expect(names.filter(has_text="工程变更合规性")).to_have_count(0)
    project_id = int(re.search(r"/projects/(\d+)/", page.url).group(1))

    page = wang.open(f"/projects/{project_id}")
    expect(page.locator("#actions")).to_contain_text(
        "缺少财政要求的信息化工程及维护类核心指标：「应急管理水平」（影响力）")  # fmt: skip
    wang.shot("blocked-by-core")

    page = wang.open(f"/projects/{project_id}/declaration")
    page.locator("#library_search").fill("应急管理水平")
    expect(page.locator("#library_pick option")).to_have_count(2)
    page.get_by_role("button", name="加入分解目标").click()
    expect(page.get_by_text("已从指标库添加「应急管理水平」")).to_be_visible()
    row = page.locator("tr[data-row]").filter(
        has=page.locator("textarea[name$='-name']", has_text="应急管理水平"))  # fmt: skip
    expect(row.locator("select[name$='-category']")).to_have_value("影响力")
    wang.shot("added-from-library")
    page = wang.open(f"/projects/{project_id}")
    expect(page.locator("#actions")).not_to_contain_text("核心指标")


def test_finance_adds_an_approved_projects_indicator_to_the_library(people, make, session, clock):
    from workflow.evaluation.operations import freeze_approved

    library.seed_default(session, now=clock.now())
    unit = make.unit("苏州市公安局")
    filler = make.user(Role.filler, unit=unit)
    reviewer = make.user(Role.reviewer, name="沈审核")
    project = make.project(unit, state="implementing", creator=filler)
    freeze_approved(session, project)
    session.commit()
    shen = people("reviewer", viewport={"width": 1280, "height": 900})
    shen.login(reviewer.username)
    page = shen.open(f"/projects/{project.id}?tab=declaration")
    row = page.locator("#promote tr").filter(has_text="群众满意度")
    row.get_by_role("button", name="加入指标库").click()
    expect(page.get_by_text("已将「群众满意度」加入指标库")).to_be_visible()
    expect(page.locator("#promote tr").filter(has_text="群众满意度")).to_contain_text("已在指标库")
    shen.shot("promoted")
