"""绩效目标调整 in a real browser (issue 17): the 填报人 proposes from the project page to lower
one target and add an indicator, the 单位负责人 signs, finance approves; the versions page shows
what changed; screenshots of each page as its user sees it."""

from __future__ import annotations

import pytest

from tests.e2e.pages import expect, to_workbench
from workflow.evaluation.operations import freeze_approved
from workflow.org.models import Role

pytestmark = pytest.mark.timeout(300)
VIEW = {"viewport": {"width": 1280, "height": 900}}


def _press(page, label: str) -> None:
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("form.action-form").get_by_role("button", name=label, exact=True).click()
    expect(page.locator(".flash.success")).to_contain_text(f"调整申请已{label}")


def test_a_target_lowered_mid_year_becomes_the_second_version(people, make, session):
    unit = make.unit("苏州市应急管理局")
    filler = make.user(Role.filler, unit=unit, name="王芳")
    head = make.user(Role.unit_head, unit=unit, name="郁海成")
    reviewer = make.user(Role.reviewer, name="沈审核")
    project = make.project(unit, state="implementing", creator=filler, submitted_by=filler)
    project.name = "城市安全风险综合监测预警平台"
    session.flush()
    freeze_approved(session, project)
    session.commit()

    unit_filler = people("王芳", **VIEW)
    unit_filler.login(filler.username)
    page = unit_filler.open(f"/projects/{project.id}")
    expect(page.locator("main")).to_contain_text("现行为第 1 版")
    page.get_by_role("button", name="申请调整绩效目标").click()
    expect(page.get_by_role("heading", name="绩效目标调整申请")).to_be_visible()
    page.get_by_label("调整原因").fill("年中预算调整，培训经费压减 20 万元")
    page.get_by_label("培训参与人数调整后目标值").fill("=120人")
    page.get_by_label("培训参与人数调整理由").fill("师资不足，下半年只能开班 3 期")
    page.get_by_label("新增第1项指标类别").select_option("产出")
    page.get_by_label("新增第1项指标名称").fill("预警信息发布条数")
    page.get_by_label("新增第1项目标值").fill("≥500条")
    page.get_by_label("平台建设调整后金额").fill("280")
    page.get_by_label("平台建设金额调整理由").fill("培训经费压减")
    page.get_by_role("button", name="保存调整申请").click()
    expect(page.locator(".flash.success")).to_have_text("调整申请已保存")
    expect(page.locator(".blocked-reasons")).to_contain_text(
        "新增指标「预警信息发布条数」：请填写调整理由"
    )
    unit_filler.shot("调整申请-缺少理由")
    page.get_by_label("新增第1项调整理由").fill("平台上线后新增预警发布")
    page.get_by_role("button", name="保存调整申请").click()
    _press(page, "提交")
    unit_filler.shot("调整申请-已提交")

    unit_head = people("郁海成", **VIEW)
    unit_head.login(head.username)
    page = to_workbench(unit_head)
    waiting = page.locator("#waiting-target_adjustment")
    expect(waiting).to_contain_text("待我办理的调整申请（1）")
    waiting.get_by_role("link", name="去办理").click()
    _press(page, "审核通过并报送")

    finance = people("沈审核", **VIEW)
    finance.login(reviewer.username)
    page = to_workbench(finance)
    page.locator("#waiting-target_adjustment").get_by_role("link", name="去办理").click()
    expect(page.locator("table.grid").first).to_contain_text("师资不足，下半年只能开班 3 期")
    finance.shot("调整申请-财政审核")
    _press(page, "批准调整")
    expect(page.locator(".flash.success")).to_contain_text("绩效目标已更新为第 2 版")
    page.get_by_role("link", name="第 2 版").click()
    diff = page.locator("table.diff")
    expect(diff).to_contain_text("产出·培训参与人数·目标值")
    expect(diff).to_contain_text("=120人")
    expect(diff).to_contain_text("子项目「平台建设」·预算金额（万元）")
    finance.shot("绩效目标版本-差异")

    page = unit_filler.open(f"/projects/{project.id}")
    expect(page.locator("main")).to_contain_text("现行为第 2 版（已调整 1 次）")
    unit_filler.shot("项目概览-第2版")
