"""The project list's XLSX at its cap: EXPORT_LIMIT rows with the longest names, every one of them
in the file as text, and the note that more were left out. (It is made in the request: 1.5 s for
10,000 rows of 200-character names, README 设计; it took 48 s when each row asked the sheet for
its last row, which openpyxl finds by scanning every cell.)"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from types import SimpleNamespace

from openpyxl import load_workbook

from workflow.exports.project_list_xlsx import project_list_xlsx
from workflow.lifecycle.machine import get_lifecycle
from workflow.projects.listing import EXPORT_LIMIT

NAME = "苏州市消防安全监管平台建设与运维项目"


def _name(n: int, length: int = 200) -> str:
    return (f"{n}" + NAME * (length // len(NAME) + 1))[:length]


def test_the_list_at_its_cap_exports_every_row_as_text():
    units = [SimpleNamespace(name=_name(n)) for n in range(50)]
    when = dt.datetime(2026, 3, 2, 1, 30, tzinfo=dt.UTC)
    projects = [
        SimpleNamespace(name=_name(n), unit=units[n % 50], year=2026, amount=Decimal("12345.67"),
                        state="declared", updated_at=when)
        for n in range(EXPORT_LIMIT)
    ]  # fmt: skip
    projects[0].name = "=HYPERLINK(" + projects[0].name  # looks like a formula: stays text
    content = project_list_xlsx(projects, get_lifecycle().spec, title="项目列表", truncated=True)
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    rows = list(sheet.iter_rows(min_row=3))
    assert len(rows) == EXPORT_LIMIT + 1
    assert [r[0].value for r in rows[:-1]] == [p.name for p in projects]
    assert {r[0].data_type for r in rows[:-1]} == {"s"}
    assert rows[-1][0].value == f"（仅导出前 {EXPORT_LIMIT} 行，请缩小筛选范围）"
