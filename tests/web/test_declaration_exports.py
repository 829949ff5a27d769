"""The print view and the XLSX download hold every value, escaped, never as a formula."""

from __future__ import annotations

import io
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from tests.conftest import COMPLETE_DECLARATION
from tests.web.conftest import text_of
from tests.web.pdfs import fetch_pdf
from workflow.declaration.form import apply_form
from workflow.declaration.models import Declaration
from workflow.org.models import Role

HOSTILE = {
    "summary": '=HYPERLINK("http://evil","点我")',
    "basis": "+SUM(A1:A9)",
    "necessity": "-2+3",
    "safeguards": "@cmd|' /C calc'!A0",
    "annual_goal": "<script>alert('x')</script>完成平台建设",
}


@pytest.fixture
def declared(make, session):
    unit = make.unit("苏州市公安局")
    filler = make.user(Role.filler, unit=unit)
    project = make.project(unit, state="declared", creator=filler, submitted_by=filler)
    apply_form(session.get(Declaration, project.id), {**COMPLETE_DECLARATION, **HOSTILE})
    session.commit()
    return project, make.user(Role.reviewer), make.user(Role.unit_head, unit=unit)


def _cells(content: bytes) -> list:
    sheet = load_workbook(io.BytesIO(content)).active
    return [c for row in sheet.iter_rows() for c in row if c.value not in (None, "")]


@pytest.mark.parametrize("who", [1, 2])
def test_xlsx_holds_every_value_and_no_formula(browser, declared, who):
    project, *viewers = declared
    b = browser()
    b.login(viewers[who - 1])
    response = b.get(f"/projects/{project.id}/declaration.xlsx")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    cells = _cells(response.data)
    texts = {c.value for c in cells if isinstance(c.value, str)}
    numbers = [c.value for c in cells if isinstance(c.value, int | float | Decimal)]
    for value in HOSTILE.values():
        assert value in texts
    assert all(c.data_type != "f" for c in cells)
    for expected in (project.name, "郁海成、毛华", "李明：13404236559、陈彤：15168809631",
                     "平台建设", "平台运维", "培训参与人数", "=200人", "≥95%", "平台建设、平台运维",
                     "信息化工程及维护类", "部门预算项目", "是", "否", "原始凭证"):  # fmt: skip
        assert expected in texts, expected
    assert {300, 50, 350, 500} <= {int(n) for n in numbers}


def test_print_view_is_the_whole_form_escaped(browser, declared):
    project, reviewer, _ = declared
    b = browser()
    b.login(reviewer)
    page = text_of(b.get(f"/projects/{project.id}/declaration/print"))
    assert "苏州市级财政支出项目绩效目标申报表" in page and project.name in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;完成平台建设" in page
    assert "<script>alert" not in page
    for expected in ("培训参与人数", "=200人", "350.00", "13404236559", "市级财政资金"):
        assert expected in page, expected


def test_another_unit_cannot_download(browser, declared, make):
    project, *_ = declared
    stranger = make.user(Role.filler, unit=make.unit())
    b = browser()
    b.login(stranger)
    assert b.get(f"/projects/{project.id}/declaration.xlsx").status_code == 404
    assert b.get(f"/projects/{project.id}/declaration/print").status_code == 404
    assert b.get(f"/projects/{project.id}/declaration.pdf").status_code == 404


def test_pdf_holds_the_chinese_text(browser, declared, db, clock):
    from pypdf import PdfReader

    project, reviewer, _ = declared
    b = browser()
    b.login(reviewer)
    response = fetch_pdf(b, f"/projects/{project.id}/declaration.pdf", db, clock)
    name = quote(f"{project.year}-{project.name}-绩效目标申报表.pdf")
    assert f"filename*=UTF-8''{name}" in response.headers["Content-Disposition"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    compact = "".join(text.split())
    for expected in (project.name, "苏州市级财政支出项目绩效目标申报表", "培训参与人数",
                     "隐患推送率", "群众满意度", "预算执行率", "苏州市公安局"):  # fmt: skip
        assert expected in compact, expected


def test_the_pdf_gives_the_indicator_explanation_room_to_read(browser, make, session, db, clock):
    """指标解释 holds a line of text in the PDF, not two or three characters a line."""
    from pypdf import PdfReader

    unit = make.unit()
    filler = make.user(Role.filler, unit=unit)
    project = make.project(unit, creator=filler)
    explanation = (
        "考察项目单位的内部财务管理制度会计核算制度的完整性和合法性是否符合有关财务管理制度的规定"
    )
    rows = [{**COMPLETE_DECLARATION["indicators"][0], "explanation": explanation}]
    apply_form(session.get(Declaration, project.id), {**COMPLETE_DECLARATION, "indicators": rows})
    session.commit()
    b = browser()
    b.login(filler)
    response = fetch_pdf(b, f"/projects/{project.id}/declaration.pdf", db, clock)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    lines = [line.strip() for line in text.splitlines()]
    longest = max(len(line) for line in lines if line and line in explanation)
    assert longest >= 12, longest  # with equal columns it was 6


class _Rows(HTMLParser):
    """The cells of each row of the outermost `table.official`, as (tag, colspan) lists."""

    def __init__(self) -> None:
        super().__init__()
        self.depth, self.rows = 0, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.depth += 1 if self.depth or "official" in (attrs.get("class") or "") else 0
        elif self.depth == 1 and tag == "tr":
            self.rows.append([])
        elif self.depth == 1 and tag in ("th", "td"):
            self.rows[-1].append((tag, int(attrs.get("colspan") or 1)))

    def handle_endtag(self, tag):
        if tag == "table" and self.depth:
            self.depth -= 1


def test_every_row_of_the_paper_form_spans_its_whole_width(browser, declared):
    """The grid is laid out fixed (print.css: an automatic layout of long text takes WeasyPrint
    minutes), so its columns come from the first row: a row with a cell too few leaves a hole
    at the form's right edge."""
    project, reviewer, _ = declared
    b = browser()
    b.login(reviewer)
    rows = _Rows()
    rows.feed(text_of(b.get(f"/projects/{project.id}/declaration/print")))
    widths = {sum(span for _, span in row) for row in rows.rows if row}
    assert len(rows.rows) > 15 and widths == {6}, widths
