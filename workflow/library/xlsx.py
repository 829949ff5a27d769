"""The 绩效指标库 as XLSX, out and back in: the same columns both ways, so an exported file edited
in Excel imports again. Text stays text (CWE-1236); a file is read within bounds (size, rows)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from workflow.errors import Problem
from workflow.library.models import DIRECTIONS, LibraryIndicator

HEADINGS = ("类别", "指标名称", "默认目标值", "计量单位", "方向", "指标解释", "目标值来源",
            "适用项目类型", "核心指标（项目类型）", "状态")  # fmt: skip
WIDTHS = (8, 28, 14, 10, 12, 50, 30, 36, 30, 8)
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2_000


def export_xlsx(entries: Sequence[LibraryIndicator], *, title: str) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("绩效指标库")
    for n, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[chr(64 + n)].width = width
    sheet.freeze_panes = "A3"
    sheet.append([_cell(sheet, title, bold=True)])
    sheet.append([_cell(sheet, h, bold=True) for h in HEADINGS])
    for e in entries:
        values = (e.category, e.name, e.target, e.unit, DIRECTIONS.get(e.direction, ""),
                  e.explanation, e.evidence, "、".join(e.project_types), "、".join(e.core_types),
                  "停用" if e.retired_at else "使用中")  # fmt: skip
        sheet.append([_cell(sheet, v) for v in values])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(sheet, value, *, bold: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    return cell


def read_xlsx(content: bytes) -> tuple[list[tuple[int, dict]], list[Problem]]:
    """The rows of an exported (or alike) file as (row number, values); or what keeps it from
    being read. Blank rows are skipped; the heading row is found by its 「指标名称」."""
    if len(content) > MAX_BYTES:
        return [], [Problem("file", f"文件过大（最大 {MAX_BYTES // 1024 // 1024} MB）")]
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError):
        return [], [Problem("file", "无法读取该文件，请上传由本系统导出或格式相同的 .xlsx 文件")]
    sheet = book.worksheets[0]
    rows, heading = [], None
    for number, row in enumerate(sheet.iter_rows(values_only=True, max_col=len(HEADINGS)), 1):
        texts = ["" if v is None else str(v).strip() for v in row]
        if heading is None:
            if "指标名称" in texts:
                heading = {name: texts.index(name) for name in HEADINGS if name in texts}
            continue
        if not any(texts):
            continue
        if len(rows) >= MAX_ROWS:
            book.close()
            return [], [Problem("file", f"行数过多（最多 {MAX_ROWS} 行）")]
        get = {name: texts[i] if i < len(texts) else "" for name, i in heading.items()}.get
        rows.append((number, {
            "category": get("类别", ""), "name": get("指标名称", ""),
            "target": get("默认目标值", ""), "unit": get("计量单位", ""),
            "direction": get("方向", ""), "explanation": get("指标解释", ""),
            "evidence": get("目标值来源", ""), "project_types": get("适用项目类型", ""),
            "retired": get("状态", "") == "停用",
        }))  # fmt: skip
    book.close()
    if heading is None:
        return [], [Problem("file", "文件中没有找到「指标名称」列，请使用导出的文件作为模板")]
    return rows, []
