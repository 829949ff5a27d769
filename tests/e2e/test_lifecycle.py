"""One project's whole life, as four people in four browsers who follow only their 工作台 and
the emails they receive (over a real SMTP server): nobody types an address or browses the list."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
from pypdf import PdfReader
from sqlalchemy import select

from tests.e2e.pages import (
    act,
    download_pdf,
    expect,
    fill_rows,
    follow_mail,
    from_workbench,
    state_is,
    tab,
)
from tests.e2e.pages import to_workbench as home
from workflow.audit.models import AuditEvent
from workflow.exports.documents import render_pending
from workflow.notify.mailer import drain_outbox
from workflow.org.models import Role
from workflow.projects.models import Project

pytestmark = pytest.mark.timeout(600)

PLAN = "2026年3到6月：项目需求确认、系统设计和方案论证\n2026年7到9月：系统开发、部署和试运行"
RETURN = "请补充培训场次的对应子项目说明。\n另：联系人电话请核对。"


@pytest.fixture
def staff(make, session):
    unit = make.unit("苏州市公安局")
    make.unit("苏州市应急管理局")
    people = {
        "admin": make.user(Role.admin, name="系统管理员"),
        "security": make.user(Role.security_admin, name="安全管理员"),
        "head": make.user(Role.unit_head, unit=unit, name="郁海成"),
        "reviewer": make.user(Role.reviewer, name="沈审核"),
    }
    people["head"].email, people["reviewer"].email = "yu@gaj.example", "shen@czj.example"
    session.commit()
    return people


def test_draft_to_archive_by_the_workbench_and_the_mail(
    people,
    staff,
    session,
    db,
    clock,
    start_server,
    mailbox,
):
    name = "“331+”基层消防安全监管平台"
    admin, filler = people("管理员"), people("填报人")
    head, reviewer = people("单位负责人"), people("财政审核人")
    smtp = start_server(mailbox)

    def post() -> None:
        """The scheduler's outbox job: what was queued reaches the SMTP server."""
        drain_outbox(db, smtp, now=clock.now())

    # The 管理员 opens an account for the unit's new 填报人.
    admin.login(staff["admin"].username)
    page = admin.page
    page.get_by_role("link", name="用户管理").click()
    page.get_by_role("link", name="新建用户").click()
    page.get_by_label("用户名").fill("gaj_liming")
    page.get_by_label("姓名").fill("李明")
    page.get_by_label("邮箱").fill("liming@gaj.example")
    page.get_by_label("所属单位").select_option(label="苏州市公安局")
    admin.shot("新建用户")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("main")).to_contain_text("gaj_liming")
    one_time = page.locator(".one-time code").inner_text()  # handed to 李明 in person
    # The 安全管理员 finds the account on their 工作台 and makes it a 填报人 (三员分立).
    guard = people("安全管理员")
    guard.login(staff["security"].username)
    guard.page.get_by_role("link", name="李明（gaj_liming）").click()
    guard.page.get_by_label("填报人").check()
    guard.page.get_by_role("button", name="保存角色").click()
    expect(guard.page.get_by_text("已保存「李明」的角色")).to_be_visible()

    # The 填报人 logs in with it, must set a password of their own first, then lands on an
    # empty 工作台 and creates the project from there.
    page = filler.open("/login")
    page.get_by_label("用户名").fill("gaj_liming")
    page.get_by_label("密码").fill(one_time)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="修改密码")).to_be_visible()
    renew_password(page, one_time, "Liming-2026")
    page.get_by_role("heading", name="工作台", exact=True).wait_for()
    expect(page.locator("#todo")).to_contain_text("目前没有等待您办理的项目")
    filler.shot("工作台-首次登录")
    page.get_by_role("link", name="新建项目").click()
    page.get_by_label("项目名称").fill(name)
    page.get_by_label("项目年度").fill("2026")
    filler.shot("新建项目")
    page.get_by_role("button", name="创建并填写申报表").click()
    page.get_by_label("项目概况").fill("新建全市“331+”消防安全监管平台。")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("尚需补充或更正")
    filler.shot("申报表未填完")

    # The draft waits on the 工作台, its 提交 blocked with the reasons listed.
    page = home(filler)
    item = page.locator("article.todo").filter(has_text=name)
    expect(item.locator("a.button.blocked")).to_have_text("提交")
    expect(item).to_contain_text("「项目类型」未选择")
    filler.shot("工作台-草稿未填完")
    page = from_workbench(filler, name)
    state_is(page, "填报中")
    expect(page.locator("form.action-form").get_by_role("button", name="提交")).to_be_disabled()
    expect(page.locator(".blocked-reasons")).to_contain_text("「项目类型」")
    filler.shot("提交被阻止")

    # The rest of the form, rows added with the page's own buttons.
    page.locator(".blocked-reasons").get_by_role("link", name="填写申报表").click()
    page.get_by_label("项目类型").select_option("信息化工程及维护类")
    page.get_by_label("项目属性").select_option("部门预算项目")
    page.get_by_role("group", name="是否政府采购").get_by_label("是").check()
    page.get_by_role("group", name="是否政府购买服务").get_by_label("否").check()
    fill_rows(page, "leaders", [{"name": "郁海成"}, {"name": "毛华"}])
    fill_rows(page, "contacts", [{"name": "李明", "phone": "13404236559"}])
    page.get_by_label("项目设立依据（相关批文名称）").fill(
        "全市构筑消防安全“331”治理机制动员部署会。"
    )
    page.get_by_label("项目设立的必要性").fill("落实层级应用，形成监管闭环。")
    page.get_by_label("保证项目实施的制度、措施").fill("按规定流程签订合同，按合同约定支付款项。")
    fill_rows(page, "fund_items", [{"name": "平台建设", "amount": "300"},
                                   {"name": "平台运维", "amount": "30"},
                                   {"name": "人员培训", "amount": "20"}])  # fmt: skip
    page.get_by_label("市级财政资金项目投资总额").fill("500")
    page.get_by_label("市级财政资金本年度计划数").fill("350")
    page.get_by_label("项目实施计划").fill(PLAN)
    page.get_by_label("项目总目标").fill("实现对全市331领域场所单位的消防安全监管闭环。")
    page.get_by_label("年度绩效目标").fill("完成平台建设并上线运行。")
    fill_rows(page, "indicators", [
        {"category": "产出", "sub_projects": "平台建设", "name": "培训参与人数",
         "target": "=200人"},
        {"category": "产出", "sub_projects": "人员培训", "name": "培训场次", "target": "≥4次"},
        {"category": "结果", "sub_projects": "平台建设\n平台运维", "name": "隐患推送率",
         "target": "≥95%"},
        {"category": "影响力", "sub_projects": "平台运维", "name": "群众满意度",
         "target": "≥90%"},
    ])  # fmt: skip
    # 填报单位负责人, 填报人 and 填报日期 are not typed: the history writes them.
    expect(page.locator("tr.signatures")).to_contain_text("提交时由系统填写")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".flash.success")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_count(0)
    filler.shot("申报表已填完")
    page.get_by_role("link", name="返回项目").click()
    act(page, "提交")
    state_is(page, "待单位审核")
    home(filler, shot="工作台-已提交")
    expect(filler.page.locator("#handled")).to_contain_text("在 单位负责人 处，已 0 个工作日")

    # The 单位负责人 is told by email, follows the link, logs in on the way, and returns it.
    post()
    page = follow_mail(head, mailbox, "yu@gaj.example", "李明已提交",
                       username=staff["head"].username)  # fmt: skip
    state_is(page, "待单位审核")
    head.shot("邮件链接-待单位审核")
    act(page, "退回修改", RETURN)
    state_is(page, "填报中")

    # The 填报人 finds the return and its comment in full on the 工作台 (and in the mail).
    post()
    returned = [m for m in mailbox.messages() if m["To"] == "liming@gaj.example"]
    assert "郁海成已退回修改，待您办理：提交" in returned[-1]["Subject"]
    assert RETURN in returned[-1].get_content()
    page = home(filler)
    item = page.locator("article.todo").filter(has_text=name)
    expect(item.locator(".arrival")).to_contain_text("郁海成「退回修改」")
    expect(item.locator(".arrival blockquote")).to_have_text(RETURN)
    filler.shot("工作台-被退回")
    # 我的消息: one line per message under its project; the full text on its own page.
    page.locator("header.top nav").get_by_role("link", name=re.compile("^我的消息")).click()
    group = page.locator(".inbox-group").filter(has_text=name)
    expect(group.locator("li.unread")).to_have_count(1)
    filler.shot("我的消息")
    group.get_by_role("link", name=re.compile("^郁海成已退回修改")).click()
    expect(page.locator(".message-body")).to_contain_text("请补充培训场次的对应子项目说明")
    filler.shot("消息全文")
    page = tab(from_workbench(filler, name), "申报表")
    page.get_by_role("link", name="编辑申报表").click()
    page.get_by_label("项目设立的必要性").fill("落实层级应用，形成监管闭环；培训覆盖各区。")
    page.get_by_role("button", name="保存").click()
    page.get_by_role("link", name="返回项目").click()
    act(page, "提交")

    # The 单位负责人 signs from the 工作台; the 财政审核人 is mailed and approves.
    page = home(head)
    page = from_workbench(head, name, shot="工作台-待签")
    act(page, "审核通过并申报")
    state_is(page, "已申报（待财政审核）")
    post()
    page = follow_mail(reviewer, mailbox, "shen@czj.example", "郁海成已审核通过并申报",
                       username=staff["reviewer"].username)  # fmt: skip
    home(reviewer, shot="工作台-待财政审核")
    page = from_workbench(reviewer, name)
    act(page, "批复通过", "同意")
    state_is(page, "财政已批复")
    post()
    approved = [m for m in mailbox.messages() if m["To"] == "liming@gaj.example"]
    assert "沈审核已批复通过，待您办理：开始实施" in approved[-1]["Subject"]

    # Milestones from the 实施计划 are checked and confirmed; implementation starts.
    page = home(filler)
    item = page.locator("article.todo").filter(has_text=name)
    expect(item).to_contain_text("项目实施计划的里程碑尚未确认")
    filler.shot("工作台-已批复")
    page = from_workbench(filler, name)
    expect(page.locator(".blocked-reasons")).to_contain_text("里程碑")  # blocked until confirmed
    tab(page, "里程碑").get_by_role("link", name="核对并确认", exact=True).click()
    rows = page.locator("table.milestones [data-row]")
    expect(rows.nth(0).get_by_label("名称")).to_have_value(re.compile("^项目需求确认"))
    expect(rows.nth(1).get_by_label("计划完成日期")).to_have_value("2026-09-30")
    # The 实施计划 said nothing of acceptance and retention: the 填报人 adds both.
    rows.nth(2).get_by_label("类别").select_option(label="验收")
    rows.nth(2).get_by_label("名称").fill("项目终验")
    rows.nth(2).get_by_label("计划完成日期").fill("2026-11-30")
    rows.nth(3).get_by_label("类别").select_option(label="质保金支付")
    rows.nth(3).get_by_label("名称").fill("支付质保金")
    rows.nth(3).get_by_label("起算节点").select_option(label="项目终验")  # 「项目终验 之后 2 年」
    rows.nth(3).get_by_label("间隔", exact=True).fill("2")
    rows.nth(3).get_by_label("支付比例").fill("5")
    page.get_by_role("button", name="保存里程碑").click()
    expect(page.locator("table.milestones")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_count(0)
    filler.shot("核对里程碑")
    page.get_by_role("button", name="确认里程碑").click()
    expect(page.locator(".flash.success")).to_contain_text("里程碑已确认")
    expect(page.locator("main")).to_contain_text("项目终验后2年")
    act(page, "开始实施")
    state_is(page, "实施中")

    # An actual date is recorded, once it has passed (a date after today is refused).
    clock.advance(dt.datetime(2026, 6, 29, 1, 30, tzinfo=dt.UTC) - clock.now())
    page.reload()  # months later: the session has ended, the login leads back to the project
    expect(page.get_by_text("已自动退出，请重新登录")).to_be_visible()
    filler.login("gaj_liming", "Liming-2026", here=True)
    renew_password(page, "Liming-2026", "Liming-2026-06")  # and the password is 119 days old
    tab(page, "里程碑").get_by_role("link", name="查看与登记").click()
    first = page.locator("table.timeline-table tbody tr").first
    first.get_by_label("实际日期").fill("2026-06-28")
    first.get_by_label("备注").fill("方案论证会已召开")
    first.get_by_role("button", name="登记").click()
    expect(page.locator("table.timeline-table tbody tr").first).to_contain_text("已完成")
    filler.shot("登记实际日期")

    # The year is over: the 工作台 asks for the self-evaluation and shows what went unrecorded.
    clock.advance(dt.datetime(2027, 1, 4, 1, 30, tzinfo=dt.UTC) - clock.now())
    page = filler.open("/login")
    page.get_by_label("用户名").fill("gaj_liming")
    page.get_by_label("密码").fill("Liming-2026-06")
    page.get_by_role("button", name="登录").click()
    renew_password(page, "Liming-2026-06", "Liming-2027-01")
    page = home(filler)
    expect(page.locator("article.todo").filter(has_text=name)).to_contain_text("开始自评")
    expect(page.locator("#overdue")).to_contain_text("项目终验")  # due 2026-11-30
    filler.shot("工作台-年度结束")
    page = from_workbench(filler, name)

    # The self-evaluation: figures, actuals, narrative.
    act(page, "开始自评")
    tab(page, "自评表").locator(".tab-tools").get_by_role("link", name="填写自评表").click()
    for label, value in (("年初预算数", "350"), ("财政拨款数", "350"), ("实际支付数", "340")):
        page.get_by_label(label, exact=True).fill(value)
    for n, value in enumerate(("290", "30", "20")):
        page.locator(f'[name="fund_items-{n}-actual"]').fill(value)
    rows = page.locator("table.evaluation tbody tr")
    for row in rows.all():
        target = row.locator("td").nth(2).inner_text()
        actual = target if target.startswith(("=", "≥")) else "完成"
        if "以下" in target:
            actual = "10%"
        row.get_by_label("实际完成值").fill(actual.lstrip("≥"))
    page.get_by_label("项目实施情况").fill("平台按计划建成并上线运行。")
    page.get_by_label("项目管理成效").fill("建立了周例会和验收制度。")
    page.get_by_label("存在的问题及原因").fill("部分区县数据接入晚于计划。")
    page.get_by_label("进一步加强项目管理的建议").fill("加强数据接入协调。")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".flash.success")).to_contain_text("自评表已保存")
    expect(page.locator(".flash.error")).to_contain_text("不一致")  # 350 appropriated, 340 paid
    page.get_by_label("差异说明").fill("结余10万元为运维合同尾款，按合同于次年支付。")
    page.get_by_role("button", name="保存").click()
    filler.shot("自评表")
    page.get_by_role("link", name="返回项目").click()
    act(page, "提交自评")

    post()
    page = follow_mail(
        head, mailbox, "yu@gaj.example", "李明已提交自评", username=staff["head"].username
    )  # months on: logs in again
    act(page, "审核通过")
    state_is(page, "已自评（待财政复核）")

    post()
    page = follow_mail(
        reviewer,
        mailbox,
        "shen@czj.example",
        "待您办理：退回自评、归档",
        username=staff["reviewer"].username,
    )
    # The reviewer sees every flag at once: here the 10 万元 paid short of the appropriation,
    # with the unit's explanation.
    review = tab(page, "自评表").locator("section.review")
    expect(review).to_contain_text("资金数据不一致")
    expect(review).to_contain_text("已说明：结余10万元为运维合同尾款")
    reviewer.shot("财政复核自评")
    act(page, "归档")
    state_is(page, "已归档")
    reviewer.shot("已归档")

    # The history names every step and its actor.
    history = tab(page, "办理记录").locator(".history li")
    steps = [
        ("新建项目", "李明"), ("提交", "李明"), ("退回修改", "郁海成"), ("提交", "李明"),
        ("审核通过并申报", "郁海成"), ("批复通过", "沈审核"), ("确认里程碑", "李明"),
        ("开始实施", "李明"), ("开始自评", "李明"), ("提交自评", "李明"),
        ("审核通过", "郁海成"), ("归档", "沈审核"),
    ]  # fmt: skip
    shown = [li.locator("div").first.inner_text() for li in history.all()]
    transitions = [s for s in shown if not s.startswith(("修改", "登记"))]
    assert transitions == [f"{label} · {actor}" for label, actor in steps]
    project = session.scalar(select(Project).where(Project.name == name))
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.project_id == project.id)
    ).all()
    assert actions.count("submit") == 2 and actions[-1] == "archive"
    # The whole dossier as one PDF, the 自评表 as XLSX, from the archived project's page.
    # It is made by the scheduler's renderer while a page waits for it, then downloaded.
    content = download_pdf(page, page.get_by_role("link", name="下载项目档案 PDF"),
                           lambda: render_pending(db, clock))  # fmt: skip
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    for part in (name, "项目需求确认", "平台按计划建成并上线运行", "沈审核", "归档"):
        assert part in text, part
    page.get_by_role("link", name="返回项目").click()
    with page.expect_download() as xlsx:
        tab(page, "自评表").get_by_role("link", name="下载自评表 XLSX").click()
    assert xlsx.value.suggested_filename.endswith("绩效自评表.xlsx")
    with open(xlsx.value.path(), "rb") as f:
        cells = [c.value for row in openpyxl.load_workbook(io.BytesIO(f.read())).active.iter_rows()
                 for c in row if c.value is not None]  # fmt: skip
    assert "群众满意度" in cells and "加强数据接入协调。" in cells
    # Archived: nobody is offered an action, nor a form to edit.
    expect(page.get_by_text("当前没有您可以办理的操作")).to_be_visible()
    home(reviewer, shot="工作台-归档后")
    page = home(filler)
    expect(page.locator("#todo")).to_contain_text("目前没有等待您办理的项目")
    expect(page.locator("#handled")).to_contain_text("已办结")
    filler.shot("工作台-已办结")
    page.locator("#handled").get_by_role("link", name=name).click()
    expect(tab(page, "申报表").get_by_role("link", name="下载 PDF")).to_be_visible()
    expect(page.get_by_role("link", name="编辑申报表")).to_have_count(0)
    expect(tab(page, "自评表").get_by_role("link", name="下载自评表 XLSX")).to_be_visible()
    expect(page.get_by_role("link", name="填写自评表")).to_have_count(0)


def renew_password(page, current: str, new: str) -> None:
    """The 修改密码 page every page leads to, for a one-time or an expired password."""
    expect(page.get_by_role("heading", name="修改密码")).to_be_visible()
    page.get_by_label("当前密码").fill(current)
    page.get_by_label("新密码", exact=True).fill(new)
    page.get_by_label("确认新密码").fill(new)
    page.get_by_role("button", name="修改密码").click()
    expect(page.get_by_text("密码已修改")).to_be_visible()
