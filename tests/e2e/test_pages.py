"""Browser checks beside the lifecycle: two tabs on one project, the print view, the downloads."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import openpyxl
import pytest
from pypdf import PdfReader

from tests.e2e.pages import act, download_pdf, expect, state_is, tab
from workflow.exports.documents import render_pending
from workflow.org.models import Role
from workflow.projects.models import Project

pytestmark = pytest.mark.timeout(300)


@pytest.fixture
def declared(make):
    unit = make.unit("苏州市公安局")
    filler = make.user(Role.filler, unit=unit, name="李明")
    head = make.user(Role.unit_head, unit=unit, name="郁海成")
    project = make.project(unit, state="declared", creator=filler, submitted_by=filler,
                           last_by=head)  # fmt: skip
    reviewers = [make.user(Role.reviewer, name=n) for n in ("沈审核", "周审核")]
    return project, filler, reviewers


def test_two_reviewers_in_two_tabs_the_second_gets_409(people, declared, session):
    project, _, (shen, zhou) = declared
    first, second = people("沈审核"), people("周审核")
    for person, user in ((first, shen), (second, zhou)):
        person.login(user.username)
        person.open(f"/projects/{project.id}")
        state_is(person.page, "已申报（待财政审核）")
    act(first.page, "批复通过", "同意")
    # The second reviewer's page is stale: their 退回修改 must not undo the approval.
    page = second.page
    page.locator("form.action-form").get_by_label(re.compile("^办理意见")).fill("请补充依据")
    page.once("dialog", lambda dialog: dialog.accept())  # 确定要「退回修改」吗？
    with page.expect_response(re.compile(r"/actions/return_for_revision$")) as answer:
        page.get_by_role("button", name="退回修改", exact=True).click()
    assert answer.value.status == 409
    expect(page.get_by_role("heading", level=1)).to_contain_text("409")
    expect(page.locator("main")).to_contain_text("已被他人修改")
    second.shot("409")
    session.expire_all()
    assert session.get(Project, project.id).state == "approved"
    page.goto(f"{second.base}/projects/{project.id}")
    state_is(page, "财政已批复")


def test_print_view_and_downloads_from_the_project_page(people, declared, db, clock):
    project, filler, _ = declared
    person = people("填报人")
    person.login(filler.username)
    page = tab(person.open(f"/projects/{project.id}"), "申报表")

    page.get_by_role("link", name="打印视图").click()
    expect(page).to_have_title(re.compile("绩效目标申报表"))
    expect(page.locator("body")).to_contain_text("平台建设")
    assert page.evaluate("getComputedStyle(document.querySelector('.hidden-print')).display") != (
        "none"
    )
    page.emulate_media(media="print")
    # The print stylesheet hides the page's own links on paper. The emulated media reached the
    # page's styles a moment late now and then (twice in full runs this stop): wait for it.
    expect(page.locator(".hidden-print").first).to_be_hidden()
    page.emulate_media(media="screen")
    person.shot("打印视图")
    tab(page.get_by_role("link", name="返回项目").click() or page, "申报表")

    with page.expect_download() as xlsx:
        page.get_by_role("link", name="下载 XLSX").click()
    assert xlsx.value.suggested_filename.endswith(".xlsx")
    with open(xlsx.value.path(), "rb") as f:
        book = openpyxl.load_workbook(io.BytesIO(f.read()))
    cells = [c.value for row in book.active.iter_rows() for c in row if c.value is not None]
    assert project.name in cells and "平台建设" in cells

    # The PDF is made by the scheduler's renderer while the page waits for it.
    content = download_pdf(page, page.get_by_role("link", name="下载 PDF"),
                           lambda: render_pending(db, clock))  # fmt: skip
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert project.name in text and "新建全市" in text


@pytest.mark.parametrize("width", [1440, 1024])
def test_the_list_is_searched_filtered_sorted_and_exported(people, make, session, width):
    unit, other = make.unit("苏州市公安局"), make.unit("苏州市应急管理局")
    filler = make.user(Role.filler, unit=unit)
    reviewer = make.user(Role.reviewer, name="沈审核")
    for owner, name, year, amount in [
        (unit, "“331+”消防安全监管平台", 2026, "350"), (unit, "执法记录仪购置", 2026, "120"),
        (other, "应急广播系统（消防联动）", 2026, "640"), (unit, "消防车辆维保", 2025, "95"),
    ]:  # fmt: skip
        p = make.project(owner, state="declared", creator=filler)
        p.name, p.year, p.amount = name, year, Decimal(amount)
    session.commit()
    person = people(f"财政审核人-{width}", viewport={"width": width, "height": 900})
    person.login(reviewer.username)
    page = person.page
    page.locator("header.top nav").get_by_role("link", name="项目列表").click()
    page.get_by_label("项目名称").fill("消防")
    page.get_by_label("年度").select_option("2026")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("main")).to_contain_text("共 2 个项目，名称含「消防」")
    page.get_by_role("link", name=re.compile("^金额")).click()  # the largest first
    assert re.search(r"q=%E6%B6%88%E9%98%B2.*year=2026.*sort=-amount", page.url)
    names = page.locator("table.grid tbody tr td:first-child").all_inner_texts()
    assert names == ["应急广播系统（消防联动）", "“331+”消防安全监管平台"]
    person.shot(f"{width}-筛选后的列表")
    with page.expect_download() as xlsx:
        page.get_by_role("link", name="导出 XLSX").click()
    with open(xlsx.value.path(), "rb") as f:
        sheet = openpyxl.load_workbook(io.BytesIO(f.read())).active
    assert [sheet.cell(r, 1).value for r in (3, 4)] == names and sheet.max_row == 4
