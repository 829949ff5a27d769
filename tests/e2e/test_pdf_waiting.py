"""A PDF link in a browser without JavaScript: the page says 「正在生成 PDF…」 and asks again by
itself (HTTP Refresh), the scheduler's renderer makes the PDF, the page downloads it and says so;
the next click downloads at once. A PDF that cannot be made says why; so does one stopped at the
renderer's time limit."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from tests.e2e.pages import expect, tab
from tests.web.pdfs import longest_declaration
from workflow.declaration.form import apply_form
from workflow.declaration.models import Declaration
from workflow.exports.documents import MAX_ATTEMPTS, RETRY_AFTER, render_pending
from workflow.org.models import Role

pytestmark = pytest.mark.timeout(300)


@pytest.fixture
def declared(make):
    unit = make.unit("苏州市公安局")
    filler = make.user(Role.filler, unit=unit, name="李明")
    project = make.project(unit, state="declared", creator=filler, submitted_by=filler)
    return project, filler


def _text(content: bytes) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


def test_the_pdf_link_waits_on_a_page_then_downloads_without_javascript(people, declared, db,
                                                                       clock):  # fmt: skip
    project, filler = declared
    person = people("填报人", java_script_enabled=False)
    person.login(filler.username)
    page = tab(person.open(f"/projects/{project.id}"), "申报表")
    page.get_by_role("link", name="下载 PDF").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("正在生成 PDF…")
    expect(page.locator("main")).to_contain_text(f"「{project.name}」的绩效目标申报表 PDF 正在生成")
    page.wait_for_url(re.compile(r"/declaration\.pdf\?waiting=1$"))  # it asked again by itself
    expect(heading).to_have_text("正在生成 PDF…")
    person.shot("正在生成PDF")

    with page.expect_download() as download:
        render_pending(db, clock)  # the scheduler's job
    expect(heading).to_have_text("PDF 已生成")
    person.shot("PDF已生成")
    assert download.value.suggested_filename == f"2026-{project.name}-绩效目标申报表.pdf"
    with open(download.value.path(), "rb") as f:
        content = f.read()
    assert project.name in _text(content) and "新建全市" in _text(content)

    page.get_by_role("link", name="返回项目").click()
    with page.expect_download() as again:  # made for this version: at once
        tab(page, "申报表").get_by_role("link", name="下载 PDF").click()
    with open(again.value.path(), "rb") as f:
        assert f.read() == content


def test_a_pdf_that_cannot_be_made_says_why(people, declared, db, clock):
    project, filler = declared
    person = people("填报人")
    person.login(filler.username)
    page = person.open(f"/projects/{project.id}/declaration.pdf")
    expect(page.get_by_role("heading", level=1)).to_have_text("正在生成 PDF…")

    def broken(html: str) -> bytes:
        raise MemoryError

    for attempt in range(1, MAX_ATTEMPTS + 1):
        render_pending(db, clock, render=broken)
        clock.advance(RETRY_AFTER * attempt)
    expect(page.get_by_role("heading", level=1)).to_have_text("PDF 生成失败")  # refreshed to it
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("内存不足，无法完成排版")
    expect(alert).to_contain_text(f"已尝试 {MAX_ATTEMPTS} 次，不再自动重试")
    person.shot("PDF生成失败")
    page.get_by_role("link", name="打印视图").click()
    expect(page).to_have_title(re.compile("绩效目标申报表"))


def test_a_pdf_stopped_at_its_time_limit_says_so(people, declared, db, clock, session):
    """The longest 申报表 the form takes, against a limit of 1 s (minutes of layout)."""
    project, filler = declared
    apply_form(session.get(Declaration, project.id), longest_declaration())
    session.commit()
    person = people("填报人")
    person.login(filler.username)
    page = person.open(f"/projects/{project.id}/declaration.pdf")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("正在生成 PDF…")
    assert render_pending(db, clock, seconds=1).failed == 1
    expect(heading).to_have_text("PDF 生成失败")  # refreshed to it
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(
        "排版超过 1 秒仍未完成，已停止。内容可能过长，请精简过长的文字后再下载。"
    )
    expect(alert).to_contain_text("已尝试 1 次，不再自动重试")
    expect(page.get_by_role("link", name="打印视图")).to_be_visible()
    person.shot("PDF生成超时")
