"""The finance dashboard's tables as XLSX: by light, by unit, the 质保金 releases due, the
self-evaluation grades. Values,
never formulas: every text is written as text (CWE-1236), amounts as numbers of 万元."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font


def dashboard_xlsx(board, labels: dict[str, str]) -> bytes:
    book = Workbook(write_only=True)
    title = f"{board.year} 年度" + (f"「{board.chosen.name}」" if board.chosen else "")
    _sheet(book, "按预警灯", f"{title}监控表按预警灯（已报送财政）",
           ("预警", "监控表（份）", "年度预算数（万元）"),
           [[labels[r.light], r.count, float(r.budget)] for r in board.by_light])  # fmt: skip
    _sheet(book, "按单位", f"{title}各单位监控表",
           ("单位", "监控表（份）", "已报送财政", "未报送", "年度预算数（万元）", "执行数（万元）",
            "执行率（%）", *(labels[k] for k in ("red", "yellow", "green", "blue"))),
           [[u.name, u.total, u.sent, u.waiting, float(u.budget), float(u.executed),
             round(float(u.rate), 2) if u.rate is not None else "",
             *(u.lights.get(k, 0) for k in ("red", "yellow", "green", "blue"))]
            for u in board.by_unit])  # fmt: skip
    _sheet(book, "质保金", f"未来 90 天到期的质保金支付（共 {board.release_count} 笔）",
           ("项目", "单位", "事项", "到期日", "金额（万元）"),
           [[r.project_name, r.unit_name, r.title, r.deadline.isoformat(),
             float(r.amount) if r.amount is not None else ""] for r in board.releases])  # fmt: skip
    _sheet(book, "自评等级", f"{board.year} 年度单位已审核的自评表按等级（共 {board.graded} 份）",
           ("等级", "自评表（份）", "平均得分率（%）"),
           [[g.grade, g.count, round(float(g.rate), 2) if g.rate is not None else ""]
            for g in board.grades])  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet(book, name, title, headings, rows) -> None:
    sheet = book.create_sheet(name)
    sheet.column_dimensions["A"].width = 36
    sheet.append([_cell(sheet, title, bold=True)])
    sheet.append([_cell(sheet, h, bold=True) for h in headings])
    for row in rows:
        sheet.append([_cell(sheet, v) for v in row])


def _cell(sheet, value, *, bold: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # text, even when it starts with = + - @
    if bold:
        cell.font = Font(bold=True)
    return cell
