"""The project list as XLSX: exactly the rows the filters show, values never formulas (every
text a user typed is written as text: CWE-1236), amounts as numbers in 万元."""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Font

from workflow.clock import CHINA
from workflow.lifecycle.spec import LifecycleSpec
from workflow.projects.models import Project

HEADINGS = ("项目名称", "申报单位", "年度", "申报金额（万元）", "状态", "更新时间")
WIDTHS = (40, 28, 8, 16, 20, 18)


def project_list_xlsx(
    projects: Sequence[Project], spec: LifecycleSpec, *, title: str, truncated: bool
) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "项目列表"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(HEADINGS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    # The row number is counted here: `sheet.max_row` scans every cell written so far, which
    # made 10,000 rows (EXPORT_LIMIT) take 48 s instead of under two.
    for row, p in enumerate(projects, start=3):
        sheet.append([p.name, p.unit.name, p.year, float(p.amount), spec.state_label(p.state),
                      p.updated_at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")])  # fmt: skip
        for cell in (sheet.cell(row, 1), sheet.cell(row, 2)):
            cell.data_type = "s"  # text, even when it starts with = + - @
        sheet.cell(row, 4).number_format = "#,##0.00"
    if truncated:
        sheet.append([f"（仅导出前 {len(projects)} 行，请缩小筛选范围）"])
    for n, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[chr(64 + n)].width = width
    sheet.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
