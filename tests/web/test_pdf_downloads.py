"""PDF links never make a PDF inside the request: the first ask queues it once and answers
「正在生成 PDF…」 (asking again by itself, no JavaScript), the scheduler's renderer makes it, and
from then on this version is served at once. A changed project is a new version; a failing
render says why and stops after its last attempt; who may see what is unchanged."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from sqlalchemy import func, select

from tests.conftest import COMPLETE_DECLARATION
from tests.web.conftest import text_of
from tests.web.pdfs import fetch_pdf, waiting
from workflow.declaration.form import apply_form
from workflow.declaration.models import Declaration
from workflow.exports.documents import MAX_ATTEMPTS, RETRY_AFTER, render_pending
from workflow.exports.models import RenderedDocument
from workflow.org.models import Role
from workflow.projects.models import Project


@pytest.fixture
def declared(make):
    unit = make.unit("苏州市公安局")
    filler = make.user(Role.filler, unit=unit)
    project = make.project(unit, state="declared", creator=filler, submitted_by=filler)
    return project, filler, make.user(Role.reviewer)


def _login(browser, user):
    b = browser()
    b.login(user)
    return b


def _documents(db) -> list[tuple[str, str]]:
    with db.session() as s:
        query = select(RenderedDocument.kind, RenderedDocument.status)
        return [tuple(r) for r in s.execute(query.order_by(RenderedDocument.id))]


def _text(response) -> str:
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(response.data)).pages
    return "".join("".join(p.extract_text().split()) for p in pages)


def test_asking_again_while_it_is_made_queues_no_second_job(browser, declared, db, clock):
    project, filler, reviewer = declared
    url = f"/projects/{project.id}/declaration.pdf"
    page = waiting(_login(browser, filler).get(url))
    assert project.name in page and "绩效目标申报表" in page
    assert f'href="{url}?waiting=1"' in page  # the plain link, for a browser that will not refresh
    clock.advance(dt.timedelta(minutes=2))
    page = waiting(_login(browser, reviewer).get(f"{url}?waiting=1"))  # another person, later
    assert "已等待约 2 分钟" in page and "生成服务未运行" in page
    assert _documents(db) == [("declaration", "pending")]


def test_a_pdf_made_is_served_at_once_and_the_waiting_page_turns_into_it(browser, declared, db,
                                                                        clock):  # fmt: skip
    project, filler, reviewer = declared
    url = f"/projects/{project.id}/declaration.pdf"
    b = _login(browser, filler)
    fetch_pdf(b, url, db, clock)
    ready = b.get(f"{url}?waiting=1")  # the waiting page's next turn: it says so, then downloads
    assert ready.mimetype == "text/html" and "PDF 已生成" in text_of(ready)
    assert ready.headers["Refresh"] == f"0; url={url}"
    response = _login(browser, reviewer).get(url)  # anyone who may see it: at once
    assert (
        response.mimetype == "application/pdf" and response.headers["Cache-Control"] == "no-store"
    )
    assert project.name in _text(response)
    assert _documents(db) == [("declaration", "ready")]


def test_a_changed_project_is_a_new_pdf_and_the_old_one_is_not_served(browser, declared, db,
                                                                      clock, session):  # fmt: skip
    project, filler, _ = declared
    url = f"/projects/{project.id}/declaration.pdf"
    b = _login(browser, filler)
    assert "新建全市" in _text(fetch_pdf(b, url, db, clock))
    apply_form(session.get(Declaration, project.id),
               {**COMPLETE_DECLARATION, "summary": "改建指挥中心大屏。"})  # fmt: skip
    session.commit()
    waiting(b.get(url))  # not the PDF of the old text
    assert _documents(db) == [("declaration", "ready"), ("declaration", "pending")]
    render_pending(db, clock)
    text = _text(b.get(url))
    assert "改建指挥中心大屏" in text and "新建全市" not in text
    assert _documents(db) == [("declaration", "ready")]  # the old version is gone


def test_a_failing_render_shows_why_and_stops_after_its_last_attempt(browser, declared, db,
                                                                    clock):  # fmt: skip
    project, filler, _ = declared
    url = f"/projects/{project.id}/declaration.pdf"
    b = _login(browser, filler)
    waiting(b.get(url))
    calls = []

    def broken(html: str) -> bytes:
        calls.append(html)
        raise ValueError("no layout")

    render_pending(db, clock, render=broken)
    page = waiting(b.get(url))
    assert "上次生成失败：排版出错（ValueError）" in page
    assert f"已尝试 1 次，最多 {MAX_ATTEMPTS} 次" in page
    for attempt in range(2, MAX_ATTEMPTS + 1):
        clock.advance(RETRY_AFTER * attempt)
        render_pending(db, clock, render=broken)
    response = b.get(url)
    page = text_of(response)
    assert response.status_code == 200 and "Refresh" not in response.headers  # asks no more
    assert "PDF 生成失败" in page and "排版出错（ValueError）" in page
    assert f"已尝试 {MAX_ATTEMPTS} 次，不再自动重试" in page
    assert f'href="/projects/{project.id}/declaration/print"' in page  # a way to print it still
    clock.advance(dt.timedelta(days=1))
    render_pending(db, clock, render=broken)
    assert len(calls) == MAX_ATTEMPTS


@pytest.mark.parametrize("path", ["declaration.pdf", "evaluation.pdf", "dossier.pdf"])
def test_who_cannot_see_the_project_gets_404_for_the_pdf_and_its_waiting_page(
    browser, make, db, clock, path
):
    project, filler = make.evaluating()
    stranger = make.user(Role.filler, unit=make.unit())
    url = f"/projects/{project.id}/{path}"
    b = _login(browser, stranger)
    for address in (url, f"{url}?waiting=1"):
        assert b.get(address).status_code == 404, address
    assert _documents(db) == []  # nothing queued for them
    fetch_pdf(_login(browser, filler), url, db, clock)
    for address in (url, f"{url}?waiting=1"):
        assert b.get(address).status_code == 404, address


def test_a_reviewer_gets_404_for_a_draft_pdf(browser, make, db):
    unit = make.unit()
    filler = make.user(Role.filler, unit=unit)
    draft = make.project(unit, creator=filler)
    b = _login(browser, make.user(Role.reviewer))
    assert b.get(f"/projects/{draft.id}/declaration.pdf").status_code == 404
    assert b.get(f"/projects/{draft.id}/dossier.pdf?waiting=1").status_code == 404
    assert _documents(db) == []


def test_the_dossier_is_one_version_whatever_the_time_of_asking(browser, make, db, clock,
                                                               session):  # fmt: skip
    """Its 导出时间 is the time this version was first asked for, not part of the version."""
    project, filler = make.evaluating()
    url = f"/projects/{project.id}/dossier.pdf"
    b = _login(browser, filler)
    first = fetch_pdf(b, url, db, clock)
    assert "导出时间2026-03-0209:30" in _text(first)
    clock.advance(dt.timedelta(hours=3))  # the same day in Suzhou
    b = _login(browser, filler)  # three hours idle: the session ended
    again = b.get(url)
    assert again.mimetype == "application/pdf" and again.data == first.data
    project = session.get(Project, project.id)
    project.name = "更名后的项目"
    session.commit()
    waiting(b.get(url))
    render_pending(db, clock)
    text = _text(b.get(url))
    assert "更名后的项目" in text and "导出时间2026-03-0212:30" in text
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(RenderedDocument)) == 1


def test_the_waiting_page_is_in_the_site_layout_and_escapes_the_name(browser, make, session):
    unit = make.unit()
    filler = make.user(Role.filler, unit=unit)
    project = make.project(unit, creator=filler)
    project.name = "<b>大屏</b>项目"
    session.commit()
    page = waiting(_login(browser, filler).get(f"/projects/{project.id}/declaration.pdf"))
    assert "&lt;b&gt;大屏&lt;/b&gt;项目" in page and "<b>大屏" not in page
    assert re.search(r"<title>正在生成 PDF · ", page) and 'class="top"' in page  # base.html
    assert f'href="/projects/{project.id}">返回项目</a>' in page
