"""Downloading a PDF as a person does now: the link answers 「正在生成 PDF…」 and asks again; the
scheduler's renderer makes it; the next ask gets the file."""

from __future__ import annotations

from tests.web.conftest import text_of
from workflow.exports.documents import render_pending


def waiting(response) -> str:
    """The waiting page's text, after checking it is one that asks again by itself."""
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = text_of(response)
    assert "正在生成 PDF…" in page, page
    assert response.headers["Refresh"].startswith("2; url=/projects/")
    return page


def fetch_pdf(b, url: str, db, clock):
    """The PDF at `url`: first the waiting page, then the renderer (the function the scheduler
    job runs), then the file."""
    waiting(b.get(url))
    render_pending(db, clock)
    response = b.get(url)
    assert response.status_code == 200 and response.mimetype == "application/pdf", text_of(response)
    return response


SENTENCE = "按计划完成平台建设与运维，资金使用规范，绩效目标全部达成。"


def text(length: int, tag: str = "") -> str:
    """Chinese text of exactly `length` characters, starting with `tag` (cells differ)."""
    return (tag + SENTENCE * (length // len(SENTENCE) + 1))[:length]


def longest_declaration(rows: int | None = None) -> dict:
    """The 申报表 form with every field as long as it may be (workflow/text.py, SHORT_FIELDS)
    and every table with `rows` rows (the form's most by default)."""
    from tests.conftest import COMPLETE_DECLARATION
    from workflow.declaration.form import MAX_ROWS
    from workflow.declaration.models import DECLARATION_TEXTS
    from workflow.text import CELL_MAX, NARRATIVE_MAX

    rows = MAX_ROWS if rows is None else rows
    data = {
        **COMPLETE_DECLARATION,
        **{f.name: text(NARRATIVE_MAX, f.name) for f in DECLARATION_TEXTS},
    }
    data["leaders"] = [{"name": text(100, f"负责人{n}")} for n in range(rows)]
    data["contacts"] = [
        {"name": text(100, f"联系人{n}"), "phone": text(100, f"电话{n}")} for n in range(rows)
    ]
    data["fund_items"] = [
        {"name": text(CELL_MAX, f"子项目{n}"), "amount": "1"} for n in range(rows)
    ]
    data["indicators"] = [
        {"category": "产出", "sub_projects": text(CELL_MAX, f"对应{n}"),
         "name": text(CELL_MAX, f"指标{n}"), "target": "≥" + text(199, f"目标{n}"),
         "explanation": text(CELL_MAX, f"解释{n}"), "evidence": text(CELL_MAX, f"来源{n}")}
        for n in range(rows)
    ]  # fmt: skip
    return data
