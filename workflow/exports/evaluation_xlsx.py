"""The 绩效自评表 as an XLSX workbook laid out like the paper form: the budget figures, the
子项目, every indicator with the score the rules give beside the unit's claim, the subtotals, the
total and grade, the narrative and 待核实事项. Values, never formulas (CWE-1236): every user
value is written as text, amounts and scores as numbers (万元 and points, two decimals shown)."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.worksheet import Worksheet

from workflow.evaluation.models import BUDGET_FIELDS
from workflow.evaluation.scoring import display
from workflow.exports.evaluation_report import EvaluationReport

_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD = PatternFill("solid", fgColor="F3F4F6")
_FLAG = PatternFill("solid", fgColor="FFF7ED")
_WRAP = Alignment(wrap_text=True, vertical="top")
MONEY = "#,##0.00####"  # two decimals shown, up to the six kept
POINTS = "0.00"
WIDTHS = {"A": 14, "B": 26, "C": 14, "D": 10, "E": 14, "F": 26, "G": 11, "H": 11, "I": 36}
LAST = len(WIDTHS)
EMPTY = "尚未填写，暂无得分"
INDICATOR_HEADS = ("类别", "指标名称", "目标值", "权重", "实际完成值", "说明", "规则得分", "自评分",
                   "评分依据")  # fmt: skip


def evaluation_xlsx(report: EvaluationReport) -> bytes:
    """The workbook's bytes."""
    book = Workbook()
    sheet = book.active
    sheet.title = "绩效自评表"
    for column, width in WIDTHS.items():
        sheet.column_dimensions[column].width = width
    _print_setup(sheet)
    w = _Writer(sheet)
    _header(w, report)
    _budget(w, report)
    _fund_items(w, report)
    _indicators(w, report)
    _narrative(w, report)
    _flags(w, report)
    _merge(sheet, w.merges)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _print_setup(sheet: Worksheet) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"


def _merge(sheet: Worksheet, ranges: list[str]) -> None:
    """Merge every range at once, as openpyxl's own reader does with a file's merged cells:
    `merge_cells` compares each new range with every earlier one, and the longest 自评表 (200
    indicators, 400 flags: 818 merges) spent 0.9 s there; this way, 0.07 s."""
    merged = [MergedCellRange(sheet, r) for r in ranges]
    for m in merged:
        sheet._clean_merge_range(m)  # the reader's own step: covered cells become MergedCells
    sheet.merged_cells = MultiCellRange(merged)


class _Writer:
    def __init__(self, sheet: Worksheet) -> None:
        self.sheet, self.row = sheet, 1
        self.merges: list[str] = []  # merged at the end (see _merge)

    def cell(self, column: int, value, *, fmt: str = MONEY, head: bool = False, to: int = 0):
        """One cell (merged across to column `to`): numbers as numbers, the rest as text."""
        cell = self.sheet.cell(row=self.row, column=column)
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            cell.value, cell.number_format = value, fmt
        else:
            cell.value = "" if value is None else str(value)
            cell.data_type = "s"  # text, even when it starts with = + - @
        cell.border, cell.alignment = _BOX, _WRAP  # a merge gives its edges the same border
        if head:
            cell.font, cell.fill = Font(bold=True), _HEAD
        if to > column:
            first, last = get_column_letter(column), get_column_letter(to)
            self.merges.append(f"{first}{self.row}:{last}{self.row}")
        return cell

    def line(self, label: str, value) -> None:
        self.cell(1, label, head=True)
        self.cell(2, value, to=LAST)
        self.row += 1

    def values(self, values: list, *, fmt: str = MONEY, head: bool = False) -> None:
        for column, value in enumerate(values, start=1):
            self.cell(column, value, fmt=fmt, head=head)
        self.row += 1


def _points(value: Decimal | None) -> Decimal | None:
    """A score as people read it (two places, half up), so the cell holds what it shows."""
    return None if value is None else Decimal(display(value))


def _header(w: _Writer, r: EvaluationReport) -> None:
    title = w.cell(1, r.sheet.form_title, to=LAST)
    title.font, title.alignment = Font(bold=True, size=14), Alignment(horizontal="center")
    w.row += 1
    w.cell(1, "项目名称", head=True)
    w.cell(2, r.project.name, to=6)
    w.cell(7, "项目年份", head=True)
    w.cell(8, r.project.year, fmt="0", to=LAST)
    w.row += 1
    w.line("项目主管部门（单位）", r.project.unit.name)


def _budget(w: _Writer, r: EvaluationReport) -> None:
    e, f = r.evaluation, r.figures
    labels = dict(BUDGET_FIELDS)
    w.values(["市级预算执行情况（万元）", labels["budget_initial"], labels["budget_adjustment"],
              labels["appropriated"], "指标结余数"], head=True)  # fmt: skip
    w.values(["", e.budget_initial, e.budget_adjustment, e.appropriated, f.unspent_quota])
    w.values(["市级财政资金使用情况（万元）", labels["appropriated"], labels["paid"],
              "资金结余、结转数", "其中：结转数", "财政收回数"], head=True)  # fmt: skip
    w.values(["", e.appropriated, e.paid, f.balance, e.carried_over, e.recovered])
    w.line("差异说明", e.budget_notes)


def _fund_items(w: _Writer, r: EvaluationReport) -> None:
    w.values(["项目资金构成", "子项目名称", "批复金额（万元）", "实际金额（万元）"], head=True)
    for item in r.fund_rows:
        w.values(["", item.name, item.approved, item.actual])
    w.values(["", "合计", r.approved_total, r.figures.items_total], head=True)


def _basis(row) -> str:
    """The engine's reading of the actual, then why it scores what it does."""
    return f"{row.reading}。{row.reason}" if row.reading else row.reason


def _indicators(w: _Writer, r: EvaluationReport) -> None:
    """The 绩效指标 rows, subtotals and total; an empty 自评表 (no 实际完成值 yet) shows no
    score, total or grade, only 「尚未填写，暂无得分」."""
    sheet = r.sheet
    w.cell(1, f"项目绩效实现情况（{display(sheet.points, 0)}分）", head=True, to=LAST)
    w.row += 1
    w.values(list(INDICATOR_HEADS), head=True)
    for row in sheet.rows:
        i = row.input
        weight, score = (_points(row.weight), _points(row.score)) if row.scored else ("—", "—")
        w.values([row.category, i.name, i.target, weight, i.actual, i.explanation,
                  score if r.filled else "—", _points(row.claimed),
                  _basis(row) if r.filled else ""], fmt=POINTS)  # fmt: skip
        if row.differs and r.filled:
            for column in (7, 8):
                w.sheet.cell(row=w.row - 1, column=column).fill = _FLAG
    for s in r.subtotals:
        w.values([f"{s.category}小计", "", "", _points(s.weight), "", "",
                  _points(s.score) if r.filled else "—", _points(s.claimed), ""],
                 fmt=POINTS, head=True)  # fmt: skip
    if r.filled:
        total = [_points(sheet.total), _points(sheet.claimed_total), f"等级：{sheet.grade}"]
    else:
        total = ["—", _points(sheet.claimed_total), EMPTY]
    w.values(["合计", "", "", _points(sheet.points), "", "", *total], fmt=POINTS, head=True)


def _narrative(w: _Writer, r: EvaluationReport) -> None:
    for label, text in (*r.goals, *r.narrative):
        w.line(label, text)


def _flags(w: _Writer, r: EvaluationReport) -> None:
    w.cell(1, "待核实事项", head=True, to=LAST)
    w.row += 1
    if not r.flags:
        w.line("", "未发现需核实的事项")
        return
    w.cell(1, "类型", head=True)
    w.cell(2, "事项", head=True, to=6)
    w.cell(7, "是否已说明", head=True)
    w.cell(8, "单位说明", head=True, to=LAST)
    w.row += 1
    for flag in r.flags:
        w.cell(1, flag.kind_label)
        w.cell(2, flag.message, to=6)
        w.cell(7, {True: "已说明", False: "未说明", None: "—"}[flag.explained])
        w.cell(8, flag.explanation, to=LAST)
        w.row += 1
