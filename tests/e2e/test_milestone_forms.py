"""The milestones page as a 填报人 uses it: rows edited and confirmed with one click (nothing
typed is dropped), a 质保金 entered as 「项目终验 之后 3 年」 with its amount following from its
share, and a 登记 that keeps a bad amount and its date beside the message and refuses a date
after today. Screenshots at 1440 and 1024 pixels wide."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from tests.conftest import COMPLETE_DECLARATION
from tests.e2e.pages import expect, tab
from workflow.declaration.form import apply_form
from workflow.declaration.models import Declaration
from workflow.lifecycle.operations import fire
from workflow.milestones import operations as ops
from workflow.org.models import Role
from workflow.projects.models import Project
from workflow.uow import UnitOfWork

pytestmark = pytest.mark.timeout(300)
PLAN = (
    "1、2026年1到2月：项目需求确认、系统设计和方案论证；\n"
    "2、2026年3到4月：完成公开招标并签订合同；\n"
    "3、2026年5月支付合同首付款30%；\n"
    "4、2026年11月项目终验。"
)


@pytest.fixture
def approved(make, session, clock):
    """A project of 350 万元 approved by finance: four milestones proposed from its plan."""
    unit = make.unit("苏州市应急管理局")
    filler = make.user(Role.filler, unit=unit, name="李明")
    head = make.user(Role.unit_head, unit=unit, name="郁海成")
    project = make.project(unit, state="declared", creator=filler, submitted_by=filler,
                           last_by=head, complete=False)  # fmt: skip
    apply_form(session.get(Declaration, project.id),
               {**COMPLETE_DECLARATION, "implementation_plan": PLAN})  # fmt: skip
    project.amount = Decimal("350")
    session.commit()
    fire(UnitOfWork(session), project, "approve", actor=make.user(Role.reviewer), now=clock.now())
    return project, filler, head


def _confirmed(session, project_id: int) -> bool:
    session.rollback()  # a new read: what the server wrote since
    session.expire_all()
    return session.get(Project, project_id).milestones_confirmed_at is not None


@pytest.mark.parametrize("width", [1440, 1024])
def test_edits_are_confirmed_in_one_click_and_a_release_is_said_as_people_say_it(
    people, approved, session, width
):
    project, filler, _ = approved
    person = people(f"填报人-{width}", viewport={"width": width, "height": 900})
    person.login(filler.username)
    page = person.open(f"/projects/{project.id}?tab=milestones")
    page.get_by_role("link", name="核对并确认", exact=True).click()
    rows = page.locator("table.milestones tbody > tr[data-row]")
    expect(rows).to_have_count(6)  # four proposed, two blank
    expect(page.locator(".milestone-hints")).to_contain_text("项目申报金额（350.00 万元）")

    # Corrections to two proposed rows, and the 质保金 the plan left out, typed in a blank row.
    rows.nth(1).get_by_label("名称").fill("完成公开招标并签订采购合同")
    rows.nth(3).get_by_label("计划完成日期").fill("2026-12-15")
    release = rows.nth(4)
    release.get_by_label("类别").select_option(label="质保金支付")
    release.get_by_label("名称").fill("支付质保金")
    release.get_by_label("起算节点").select_option(label="项目终验")
    release.get_by_label("间隔", exact=True).fill("3")
    expect(release.get_by_label("间隔单位")).to_have_value("years")  # 年
    release.get_by_label("支付比例").fill("5")
    release.get_by_label("金额").fill("约17.5")  # a slip: not a number
    person.shot("修改后直接确认")
    page.get_by_role("button", name="确认里程碑").click()

    # Refused: every value typed is still there, the message names the row as numbered.
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("「第5行（支付质保金）·金额」应为数字")
    expect(alert.locator("li")).to_have_count(1)
    expect(rows.nth(1).get_by_label("名称")).to_have_value("完成公开招标并签订采购合同")
    expect(rows.nth(3).get_by_label("计划完成日期")).to_have_value("2026-12-15")
    expect(release.get_by_label("起算节点")).to_have_value("4")
    expect(release.get_by_label("类别")).to_have_value("warranty_release")
    expect(release.get_by_label("间隔", exact=True)).to_have_value("3")
    expect(release.get_by_label("金额")).to_have_value("约17.5")
    expect(release.locator("p.problem")).to_contain_text("应为数字")
    assert not _confirmed(session, project.id)
    person.shot("确认被拒-内容都在")

    release.get_by_label("金额").fill("")  # let the share give it
    page.get_by_role("button", name="确认里程碑").click()
    expect(page.locator(".flash.success")).to_contain_text("里程碑已确认（表中的修改已一并保存）")
    assert _confirmed(session, project.id)
    section = page.locator("table.milestones-read")
    expect(section).to_contain_text("完成公开招标并签订采购合同")
    expect(section).to_contain_text("2026-12-15")
    expect(section).to_contain_text("项目终验后3年（待项目终验完成后确定）")
    expect(section.locator("tr", has_text="支付质保金")).to_contain_text("17.50")
    expect(section.locator("tr", has_text="支付质保金")).to_contain_text("支付比例 5%")
    expect(section.locator("tr", has_text="首付款")).to_contain_text("105.00")  # 30 % of 350
    person.shot("已确认")
    saved = ops.milestones_of(session, project)
    assert [m.title for m in saved] == [
        "项目需求确认、系统设计和方案论证", "完成公开招标并签订采购合同", "支付合同首付款30%",
        "项目终验", "支付质保金",
    ]  # fmt: skip
    assert (saved[4].anchor.title, saved[4].offset_years, saved[4].amount) == (
        "项目终验",
        3,
        Decimal("17.5"),
    )


@pytest.mark.parametrize("width", [1440, 1024])
def test_a_refused_record_keeps_the_date_and_the_amount_typed(people, approved, session, clock,
                                                              width):  # fmt: skip
    project, filler, head = approved
    rows = ops.to_rows(ops.milestones_of(session, project))
    ops.save_and_confirm(UnitOfWork(session), project, rows, actor=filler, now=clock.now(),
                         expected_version=None)  # fmt: skip
    fire(UnitOfWork(session), project, "start_implementation", actor=head, now=clock.now())
    person = people(f"填报人-{width}", viewport={"width": width, "height": 900})
    person.login(filler.username)
    page = person.open(f"/projects/{project.id}")
    tab(page, "里程碑").get_by_role("link", name="查看与登记").click()
    table = page.locator("table.timeline-table")
    expect(table.locator("thead")).to_contain_text("计划支付（万元）")
    payment = table.locator("tbody tr", has_text="首付款")
    expect(payment).to_contain_text("105.00")

    payment.get_by_label("实际日期").fill("2026-02-27")
    payment.get_by_label("实际支付金额").fill("10５万")
    payment.get_by_label("备注").fill("已按合同支付首付款")
    payment.get_by_role("button", name="登记").click()
    payment = page.locator("table.timeline-table tbody tr", has_text="首付款")
    expect(page.get_by_role("alert")).to_contain_text("实际支付金额（万元）」应为数字")
    expect(payment.get_by_label("实际日期")).to_have_value("2026-02-27")
    expect(payment.get_by_label("实际支付金额")).to_have_value("10５万")
    expect(payment.get_by_label("备注")).to_have_value("已按合同支付首付款")
    expect(payment.locator("p.problem")).to_contain_text("应为数字")
    expect(payment.get_by_label("实际支付金额")).to_be_focused()
    person.shot("登记-金额有误")

    payment.get_by_label("实际支付金额").fill("105")
    payment.get_by_label("实际日期").fill("2026-03-05")  # not yet: today is 2026-03-02
    payment.get_by_role("button", name="登记").click()
    payment = page.locator("table.timeline-table tbody tr", has_text="首付款")
    expect(page.get_by_role("alert")).to_contain_text(
        re.compile("实际日期」2026-03-05晚于今天（2026-03-02）")
    )
    expect(payment.get_by_label("实际日期")).to_have_value("2026-03-05")
    expect(payment.get_by_label("实际支付金额")).to_have_value("105")
    person.shot("登记-日期晚于今天")
    session.rollback()
    session.expire_all()
    assert ops.milestones_of(session, project)[2].actual_date is None

    payment.get_by_label("实际日期").fill("2026-02-27")
    payment.get_by_role("button", name="登记").click()
    expect(page.locator(".flash.success")).to_contain_text("已登记「支付合同首付款30%」的完成情况")
    payment = page.locator("table.timeline-table tbody tr", has_text="首付款")
    expect(payment).to_contain_text("已完成")
    expect(payment).to_contain_text("105.00")
    person.shot("登记-已完成")


def test_without_javascript_a_new_row_is_chosen_as_anchor_after_a_save(people, approved):
    project, filler, _ = approved
    person = people("填报人-无脚本", java_script_enabled=False)
    person.login(filler.username)
    page = person.open(f"/projects/{project.id}/milestones")
    expect(page.get_by_role("button", name="添加一行")).to_be_hidden()  # it needs JavaScript
    rows = page.locator("table.milestones tbody > tr[data-row]")
    rows.nth(4).get_by_label("类别").select_option(label="验收")
    rows.nth(4).get_by_label("名称").fill("档案验收")
    rows.nth(4).get_by_label("计划完成日期").fill("2026-12-20")
    anchors = rows.nth(5).get_by_label("起算节点").locator("option")
    saved = ["项目需求确认、系统设计和方案论证", "完成公开招标并签订合同", "支付合同首付款30%",
             "项目终验"]  # fmt: skip
    expect(anchors).to_have_text(["—", *saved])  # 档案验收 is not saved yet
    page.get_by_role("button", name="保存里程碑").click()
    expect(page.locator(".flash.success")).to_contain_text("里程碑已保存")
    release = rows.nth(5)
    release.get_by_label("类别").select_option(label="质保金支付")
    release.get_by_label("名称").fill("支付质保金")
    release.get_by_label("起算节点").select_option(label="档案验收")  # saved: now in the list
    release.get_by_label("间隔", exact=True).fill("18")
    release.get_by_label("间隔单位").select_option(label="个月")
    release.get_by_label("支付比例").fill("5")
    person.shot("无脚本-保存后选择")
    page.get_by_role("button", name="确认里程碑").click()
    expect(page.locator(".flash.success")).to_contain_text("里程碑已确认")
    expect(page.locator("table.milestones-read")).to_contain_text("档案验收后18个月")


def test_a_row_added_on_the_page_is_numbered_and_offered_at_once(people, approved, session):
    project, filler, _ = approved
    person = people("填报人")
    person.login(filler.username)
    page = person.open(f"/projects/{project.id}/milestones")
    rows = page.locator("table.milestones tbody > tr[data-row]")
    page.get_by_role("button", name="添加一行").click()
    expect(rows).to_have_count(7)
    added = rows.nth(6)
    expect(added.locator("td.number")).to_have_text("7")
    added.get_by_label("类别").select_option(label="验收")
    added.get_by_label("名称").fill("档案验收")
    added.get_by_label("计划完成日期").fill("2026-12-20")
    release = rows.nth(4)
    release.get_by_label("类别").select_option(label="质保金支付")
    release.get_by_label("名称").fill("支付质保金")
    release.get_by_label("起算节点").select_option(label="档案验收")  # typed, not saved yet
    release.get_by_label("间隔", exact=True).fill("2")
    page.get_by_role("button", name="确认里程碑").click()
    expect(page.locator(".flash.success")).to_contain_text("里程碑已确认")
    expect(page.locator("table.milestones-read")).to_contain_text("档案验收后2年")
    session.rollback()  # a new read: what the server wrote since
    saved = ops.milestones_of(session, project)
    assert [m.title for m in saved][4:] == ["支付质保金", "档案验收"]
    assert saved[4].anchor is saved[5]
