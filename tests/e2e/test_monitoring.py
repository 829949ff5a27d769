"""绩效运行监控 in a real browser (issue 17): finance opens a round; the unit's 填报人 finds the
监控表 in the 工作台, fills it with one indicator far behind (red), cannot submit until its 偏差原因
is given, then submits; the 单位负责人 signs; finance returns it once, the unit corrects and sends
it again, finance accepts; the round shows the light and the count; the 自评表 later shows what
the round found."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from tests.e2e.pages import expect, to_workbench
from workflow.evaluation.operations import freeze_approved
from workflow.exports.documents import render_pending
from workflow.exports.models import RenderedDocument
from workflow.org.models import Role

pytestmark = pytest.mark.timeout(300)
VIEW = {"viewport": {"width": 1280, "height": 900}}
# what the unit types: 120 万元 budget, 20 paid by 28 February (2/12 of the year: on time);
# 培训参与人数 forecast at 80 of 200 (40 %: red), the others on course
ROWS = {
    "预算执行率": ("17%", "100%", "确定能"),
    "培训参与人数": ("30人", "80人", "完全不可能"),
    "隐患推送率": ("96%", "96%", "确定能"),
    "群众满意度": ("92%", "92%", "确定能"),
}


def _fill(page, executed: str) -> None:
    page.get_by_label("截至监控时点执行数（万元）").fill(executed)
    page.get_by_label("全年预计执行数（万元）").fill("120")
    for row in page.locator("fieldset.indicator-row").all():
        name = next(n for n in ROWS if n in row.locator("legend").inner_text())
        actual, forecast, likelihood = ROWS[name]
        row.get_by_label("截至监控时点实际完成值").fill(actual)
        row.get_by_label("全年预计完成值").fill(forecast)
        row.get_by_label("完成目标可能性").select_option(likelihood)


def _press(page, label: str, comment: str = "") -> None:
    form = page.locator("form.action-form")
    if comment:
        form.get_by_label("办理意见（退回时必填）").fill(comment)
    page.once("dialog", lambda dialog: dialog.accept())
    form.get_by_role("button", name=label, exact=True).click()
    expect(page.locator(".flash.success")).to_contain_text(f"监控表已{label}")


def _open_from_workbench(person, name: str, shot: str):
    page = to_workbench(person)
    waiting = page.locator("#waiting-monitoring_report")
    expect(waiting).to_contain_text("待我办理的监控表（1）")
    expect(waiting).to_contain_text(name)
    person.shot(shot)
    waiting.get_by_role("link", name="去办理").click()
    return page


def test_a_round_from_opening_to_acceptance(people, make, session, db, clock):
    unit = make.unit("苏州市应急管理局")
    filler = make.user(Role.filler, unit=unit, name="王芳")
    head = make.user(Role.unit_head, unit=unit, name="郁海成")
    reviewer = make.user(Role.reviewer, name="沈审核")
    project = make.project(unit, state="implementing", creator=filler, submitted_by=filler)
    project.name, project.amount = "城市安全风险综合监测预警平台", Decimal(120)
    session.flush()
    freeze_approved(session, project)
    session.commit()

    finance = people("沈审核", **VIEW)
    finance.login(reviewer.username)
    page = finance.page
    page.locator("header.top nav").get_by_role("link", name="绩效运行监控").click()
    page.get_by_role("link", name="开展监控").click()
    page.get_by_label("监控名称").fill("2026年1—2月绩效运行监控")
    page.get_by_label("数据截止日期").fill("2026-02-28")
    page.get_by_label("填报截止日期").fill("2026-03-20")
    finance.shot("开展监控")
    page.get_by_role("button", name="开展监控并通知各单位").click()
    expect(page.locator(".flash.success")).to_contain_text(
        "已开展「2026年1—2月绩效运行监控」：1 个项目的监控表已生成"
    )
    expect(page.locator("main")).to_contain_text("城市安全风险综合监测预警平台")
    finance.shot("监控批次-已开展")

    unit_filler = people("王芳", **VIEW)
    unit_filler.login(filler.username)
    page = _open_from_workbench(unit_filler, project.name, "工作台-待填监控表")
    expect(page.get_by_role("heading", name="绩效运行监控表")).to_be_visible()
    _fill(page, "20")
    page.get_by_role("button", name="保存并重新计算预警").click()
    expect(page.locator(".flash.success")).to_have_text("监控表已保存，预警灯已按所填数据重新计算")
    red = page.locator("fieldset.indicator-row").filter(has_text="培训参与人数")
    expect(red.locator(".light-red")).to_be_visible()
    expect(red).to_contain_text("全年预计80人，目标“=200人”，预计完成 40.00%，红灯")
    submit = page.locator("form.action-form").get_by_role("button", name="提交", exact=True)
    expect(submit).to_be_disabled()
    expect(page.locator(".blocked-reasons")).to_contain_text(
        "第2项指标「培训参与人数」为红灯，请填写偏差原因、具体说明和纠偏措施"
    )
    unit_filler.shot("监控表-红灯未说明不能提交")
    red.get_by_label("偏差原因（必填）").select_option("人员保障")
    red.get_by_label("具体说明").fill("培训师资未按期到位，上半年仅开班 1 期")
    red.get_by_label("纠偏措施").fill("与市应急管理培训中心签订师资协议，9 月前补开 3 期")
    page.get_by_role("button", name="保存并重新计算预警").click()
    expect(submit).to_be_enabled()
    _press(page, "提交")
    expect(page.locator(".badge.mstate-unit_review")).to_have_text("待单位审核")
    unit_filler.shot("监控表-已提交")

    unit_head = people("郁海成", **VIEW)
    unit_head.login(head.username)
    page = _open_from_workbench(unit_head, project.name, "工作台-待审核监控表")
    expect(page.locator("main")).to_contain_text("与市应急管理培训中心签订师资协议")
    _press(page, "审核通过并报送")

    page = _open_from_workbench(finance, project.name, "工作台-待财政审核监控表")
    _press(page, "退回修改", "截至2月底执行数与国库集中支付系统数据不符，请核对后重报。")
    finance.shot("监控表-财政退回")

    page = _open_from_workbench(unit_filler, project.name, "工作台-退回后")
    page.get_by_label("截至监控时点执行数（万元）").fill("21.5")
    page.get_by_role("button", name="保存并重新计算预警").click()
    expect(page.locator(".flash.success")).to_be_visible()
    _press(page, "提交")
    page = _open_from_workbench(unit_head, project.name, "工作台-再次审核")
    _press(page, "审核通过并报送")
    page = _open_from_workbench(finance, project.name, "工作台-再次财政审核")
    _press(page, "审核通过")
    history = page.locator("section").filter(has_text="办理记录")
    expect(history).to_contain_text("截至2月底执行数与国库集中支付系统数据不符")
    expect(history).to_contain_text("修改监控表")
    finance.shot("监控表-已审核")

    page = finance.open("/monitoring")
    expect(page.locator("table.grid")).to_contain_text("2026年1—2月绩效运行监控")
    page.get_by_role("link", name="2026年1—2月绩效运行监控").click()
    expect(page.locator(".light-tile-red .tile-count")).to_have_text("1")
    expect(page.locator(".light-tile-green .tile-count")).to_have_text("0")
    expect(page.locator("main p.muted").first).to_contain_text("已报送财政 1 份")
    finance.shot("监控批次-红灯1")

    # at the year's end the 自评表 carries what the round found
    project.state = "evaluating"
    session.commit()
    page = finance.open(f"/projects/{project.id}?tab=evaluation")
    carried = page.locator(".paper-monitoring")
    expect(carried).to_contain_text("2026年1—2月绩效运行监控（数据截止 2026-02-28）：预警 红灯")
    expect(carried).to_contain_text("与市应急管理培训中心签订师资协议")
    finance.shot("自评表-带入运行监控")

    # the dashboard counts the red light, with its chart and the table beneath
    page = finance.open("/dashboard?year=2026")
    chart = page.locator("#by-light img")
    expect(chart).to_be_visible()
    assert chart.evaluate("img => img.complete && img.naturalWidth > 200")  # drawn, not broken
    red_row = page.locator("#by-light table tr").filter(has_text="红灯")
    expect(red_row).to_contain_text("1")
    expect(red_row).to_contain_text("120.00")
    expect(page.locator("#by-unit")).to_contain_text("苏州市应急管理局")
    finance.shot("监控看板")

    # the round's report: its PDF is made by the renderer; what it lays out is looked at too
    page.get_by_role("link", name="监控报告 PDF").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("正在生成 PDF…")
    expect(page.locator("main")).to_contain_text("「2026年1—2月绩效运行监控」的绩效运行监控报告")
    session.rollback()
    queued = session.scalars(select(RenderedDocument)).one()
    report = people("报告版式", **VIEW)
    report.page.set_content(queued.html)  # the HTML the renderer lays out, as it is
    expect(report.page.locator("body")).to_contain_text("五、红灯、黄灯项目的偏差原因和纠偏措施")
    report.shot("监控报告-PDF版式")
    with page.expect_download() as download:
        render_pending(db, clock)  # the scheduler's job
    assert download.value.suggested_filename == "2026年1—2月绩效运行监控-绩效运行监控报告.pdf"
    with open(download.value.path(), "rb") as f:
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(f.read())).pages)
    for words in ("按预警灯统计", "监控表（份）", "时间进度", "城市安全风险综合监测预警平台"):
        assert words in text.replace("\n", ""), words
