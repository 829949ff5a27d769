"""Exports of the largest project the forms take: every field as long as allowed, every table with
the most rows. The XLSX files are made in the request and hold all of it (measured: the 申报表
0.2 s, the 自评表 0.7 s, README 设计); the PDFs are made by the scheduler's renderer, which stops
one at its time limit and says so on the waiting page, once, without retrying."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from tests.web.conftest import text_of
from tests.web.pdfs import fetch_pdf, longest_declaration, text, waiting
from workflow.declaration.form import MAX_ROWS, apply_form
from workflow.declaration.models import DECLARATION_TEXTS, Declaration
from workflow.evaluation import operations as evaluation
from workflow.evaluation.form import MAX_ACTUAL
from workflow.evaluation.models import EVALUATION_FIELDS
from workflow.exports.documents import render_pending
from workflow.exports.models import RenderedDocument
from workflow.lifecycle.operations import fire
from workflow.org.models import Role
from workflow.text import CELL_MAX, NARRATIVE_MAX
from workflow.uow import UnitOfWork


def _declared(make, session, data: dict):
    unit = make.unit(text(200, "单位"))
    filler = make.user(Role.filler, unit=unit)
    project = make.project(unit, state="declared", creator=filler, submitted_by=filler,
                           last_by=make.user(Role.unit_head, unit=unit))  # fmt: skip
    project.name = text(200, "项目")
    apply_form(session.get(Declaration, project.id), data)
    session.commit()
    return project, filler


@pytest.fixture
def longest(make, session, clock):
    """The longest 申报表, approved, and the longest 自评表 saved through its form."""
    project, filler = _declared(make, session, longest_declaration())
    fire(UnitOfWork(session), project, "approve", actor=make.user(Role.reviewer),
         now=clock.now())  # fmt: skip
    project.state = "evaluating"  # implementation happened
    session.commit()
    form = {f.name: text(NARRATIVE_MAX, f.name) for f in EVALUATION_FIELDS}
    form["budget_notes"] = text(NARRATIVE_MAX, "差异")
    for n in range(MAX_ROWS):
        form |= {f"indicators-{n}-actual": text(MAX_ACTUAL, f"{n}"),
                 f"indicators-{n}-explanation": text(CELL_MAX, f"说明{n}"),
                 f"fund_items-{n}-actual": "2"}  # fmt: skip
    evaluation.save_evaluation(UnitOfWork(session), project, form, actor=filler,
                               now=clock.now(), expected_version=None)  # fmt: skip
    return project, filler


def _login(browser, user):
    b = browser()
    b.login(user)
    return b


def _sheet(response):
    assert response.status_code == 200 and "spreadsheetml" in response.mimetype
    return load_workbook(io.BytesIO(response.data)).active


def _values(sheet) -> list:
    return [c.value for row in sheet.iter_rows() for c in row if c.value is not None]


def test_the_longest_declaration_exports_whole_as_xlsx(browser, longest):
    project, filler = longest
    sheet = _sheet(_login(browser, filler).get(f"/projects/{project.id}/declaration.xlsx"))
    values = _values(sheet)
    for f in DECLARATION_TEXTS:
        assert text(NARRATIVE_MAX, f.name) in values, f.name
    for n in (0, MAX_ROWS - 1):  # the first and the last row of each table
        for tag in ("子项目", "指标", "解释", "来源"):
            assert text(CELL_MAX, f"{tag}{n}") in values, (tag, n)
        assert "≥" + text(199, f"目标{n}") in values
    indicator_rows = [r for r in sheet.iter_rows(values_only=True) if r[0] == "产出"]
    assert len(indicator_rows) == MAX_ROWS


def test_the_longest_evaluation_exports_whole_as_xlsx(browser, longest):
    project, filler = longest
    sheet = _sheet(_login(browser, filler).get(f"/projects/{project.id}/evaluation.xlsx"))
    values = _values(sheet)
    for f in EVALUATION_FIELDS:
        assert text(NARRATIVE_MAX, f.name) in values, f.name
    explanations = [text(CELL_MAX, f"说明{n}") for n in range(MAX_ROWS)]
    assert [c.value for c in sheet["F"] if c.value in explanations] == explanations  # 说明
    # The 待核实事项 rows: the 事项 spans B–F and the unit's explanation H–I, as on paper.
    head = next(c.row for c in sheet["A"] if c.value == "类型")
    flags = range(head + 1, sheet.max_row + 1)
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert len(flags) >= MAX_ROWS
    assert all({f"B{n}:F{n}", f"H{n}:I{n}"} <= merged for n in flags)


def test_the_longest_narratives_make_a_declaration_pdf_in_time(browser, make, session, db,
                                                              clock):  # fmt: skip
    """Every narrative at its most (in the form's grid, a table): laid out in seconds, far
    within the limit (an automatic table layout took over 200 s, print.css)."""
    project, filler = _declared(make, session, longest_declaration(rows=4))
    url = f"/projects/{project.id}/declaration.pdf"
    content = fetch_pdf(_login(browser, filler), url, db, clock)  # the default limit, 120 s
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(content.data)).pages
    whole = "".join("".join(p.extract_text().split()) for p in pages)
    for f in DECLARATION_TEXTS:
        assert text(NARRATIVE_MAX, f.name)[-40:] in whole, f.name  # each one's end is there


def test_a_pdf_over_the_time_limit_says_why_once_and_asks_no_more(browser, make, session, db,
                                                                  clock):  # fmt: skip
    project, filler = _declared(make, session, longest_declaration())
    url = f"/projects/{project.id}/declaration.pdf"
    b = _login(browser, filler)
    waiting(b.get(url))
    assert render_pending(db, clock, seconds=1).failed == 1  # a limit it cannot keep
    response = b.get(f"{url}?waiting=1")
    page = text_of(response)
    assert response.status_code == 200 and "Refresh" not in response.headers
    assert "PDF 生成失败" in page
    assert (
        "未能生成：排版超过 1 秒仍未完成，已停止。内容可能过长，请精简过长的文字后再下载。" in page
    )
    assert "已尝试 1 次，不再自动重试" in page
    assert f'href="/projects/{project.id}/declaration/print"' in page  # it can still be printed
    assert "PDF 生成失败" in text_of(b.get(url))  # another click: the same answer, no new job
    assert render_pending(db, clock, seconds=1).failed == 0
    with db.session() as s:
        assert s.execute(select(RenderedDocument.status, RenderedDocument.attempts)).all() == [
            ("failed", 1)
        ]
