"""The 绩效目标申报表 as an XLSX workbook laid out like the paper form. Every value a user typed
is written as text (never as a formula: CWE-1236); amounts are numbers in 万元."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from workflow.declaration.checks import fund_items_sum, source_column_sums
from workflow.declaration.form import to_form
from workflow.declaration.models import (
    DECLARATION_TEXTS,
    FUND_COLUMNS,
    FUND_SOURCES,
    LAST_YEAR_AMOUNTS,
    LAST_YEAR_RATES,
    Declaration,
)
from workflow.projects.models import Project

_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD = PatternFill("solid", fgColor="F3F4F6")
_WRAP = Alignment(wrap_text=True, vertical="top")
WIDTHS = {"A": 22, "B": 18, "C": 26, "D": 16, "E": 30, "F": 24}


def declaration_xlsx(project: Project, declaration: Declaration) -> bytes:
    """The workbook's bytes."""
    book = Workbook()
    sheet = book.active
    sheet.title = "绩效目标申报表"
    for column, width in WIDTHS.items():
        sheet.column_dimensions[column].width = width
    writer = _Writer(sheet)
    _header(writer, project, to_form(declaration))
    _money(writer, project, declaration)
    _indicators(writer, to_form(declaration))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class _Writer:
    def __init__(self, sheet: Worksheet) -> None:
        self.sheet, self.row = sheet, 1

    def cell(self, column: int, value, *, head: bool = False):
        cell = self.sheet.cell(row=self.row, column=column)
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            cell.value, cell.number_format = value, "#,##0.00####"
        else:
            cell.value = "" if value is None else str(value)
            cell.data_type = "s"  # text, even when it starts with = + - @
        cell.border, cell.alignment = _BOX, _WRAP
        if head:
            cell.font, cell.fill = Font(bold=True), _HEAD
        return cell

    def line(self, label: str, value, span: int = 6) -> None:
        self.cell(1, label, head=True)
        self.cell(2, value)
        if span > 2:
            self.sheet.merge_cells(start_row=self.row, start_column=2, end_row=self.row,
                                   end_column=span)  # fmt: skip
        self.row += 1

    def values(self, values: list, *, head: bool = False) -> None:
        for column, value in enumerate(values, start=1):
            self.cell(column, value, head=head)
        self.row += 1


def _header(w: _Writer, project: Project, data: dict) -> None:
    title = w.cell(1, "苏州市级财政支出项目绩效目标申报表")
    title.font, title.alignment = Font(bold=True, size=14), Alignment(horizontal="center")
    w.sheet.merge_cells("A1:F1")
    w.row += 1
    w.line("申报单位名称", f"{project.unit.code} {project.unit.name}")
    w.line("项目名称", project.name)
    for key, label in (("project_type", "项目类型"), ("project_attribute", "项目属性"),
                       ("government_procurement", "是否政府采购"),
                       ("government_service_purchase", "是否政府购买服务")):  # fmt: skip
        w.line(label, data[key])
    w.line("项目负责人", "、".join(p["name"] for p in data["leaders"]))
    w.line("联系人及联系电话", "、".join(f"{c['name']}：{c['phone']}" for c in data["contacts"]))
    w.line("项目年度", project.year)
    for f in DECLARATION_TEXTS[:4]:
        w.line(f.label, data[f.name])


def _money(w: _Writer, project: Project, d: Declaration) -> None:
    w.values(["本项目上年度市级财政资金使用情况", *(label for _, label in LAST_YEAR_AMOUNTS),
              *(label for _, label in LAST_YEAR_RATES)], head=True)  # fmt: skip
    w.values(["", *(getattr(d, key) for key, _ in (*LAST_YEAR_AMOUNTS, *LAST_YEAR_RATES))])
    w.values(["项目资金构成", "子项目名称", "预算金额（万元）"], head=True)
    for item in d.fund_items:
        w.values(["", item.name, item.amount])
    w.values(["", "合计", fund_items_sum(d)], head=True)
    w.values(["项目资金来源（万元）", *(label for _, label in FUND_COLUMNS)], head=True)
    rows = {s.source: s for s in d.fund_sources}
    for key, label in FUND_SOURCES:
        w.values([label, *(getattr(rows.get(key), col, None) for col, _ in FUND_COLUMNS)])
    sums = source_column_sums(d)
    w.values(["合计", *(sums[col] for col, _ in FUND_COLUMNS)], head=True)


def _indicators(w: _Writer, data: dict) -> None:
    for f in DECLARATION_TEXTS[4:7]:
        w.line(f.label, data[f.name])
    w.values(["分解目标：类别", "对应子项目名称", "指标名称", "目标值", "指标解释", "目标值来源"],
             head=True)  # fmt: skip
    for i in data["indicators"]:
        w.values([i["category"], i["sub_projects"].replace("\n", "、"), i["name"], i["target"],
                  i["explanation"], i["evidence"]])  # fmt: skip
    w.line(DECLARATION_TEXTS[7].label, data["other_notes"])
    w.line("填报单位负责人", data["unit_head_name"])
    w.line("填报人", data["filled_by"])
    w.line("填报日期", data["filled_on"])
