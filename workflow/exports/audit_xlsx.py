"""The 安全审计员's exports: the audit trail and the login log as XLSX, exactly the rows the
filters keep (at most trail.EXPORT_LIMIT), every text written as text (CWE-1236). Written in
openpyxl's write-only mode: memory does not grow with the rows."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from workflow.clock import CHINA
from workflow.org.models import LOGIN_RESULTS

EVENT_HEADINGS = ("序号", "时间", "操作人", "操作", "项目编号", "状态变化", "意见", "详情", "哈希")
EVENT_WIDTHS = (10, 20, 14, 18, 10, 28, 40, 50, 20)
LOGIN_HEADINGS = ("时间", "用户名", "结果", "来源地址")
LOGIN_WIDTHS = (20, 20, 16, 20)


def events_xlsx(events: Sequence, states: dict[str, str], *, title: str, truncated: bool) -> bytes:
    rows = (
        [e.seq, _time(e.at), e.actor_name, e.label, e.project_id or "",
         _change(e, states), e.comment, e.details, e.hash[:16]]
        for e in events
    )  # fmt: skip
    return _book("审计记录", title, EVENT_HEADINGS, EVENT_WIDTHS, rows, len(events), truncated)


def logins_xlsx(records: Sequence, *, title: str, truncated: bool) -> bytes:
    rows = (
        [_time(r.at), r.username, LOGIN_RESULTS.get(r.result, r.result), r.remote_addr]
        for r in records
    )
    return _book("登录日志", title, LOGIN_HEADINGS, LOGIN_WIDTHS, rows, len(records), truncated)


def _time(at) -> str:
    return at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S")


def _change(event, states: dict[str, str]) -> str:
    if not (event.from_state or event.to_state):
        return ""
    return "→".join(states.get(s, s or "") for s in (event.from_state, event.to_state))


def _book(name, title, headings, widths, rows: Iterable[list], count: int, truncated: bool):
    book = Workbook(write_only=True)
    sheet = book.create_sheet(name)
    for n, width in enumerate(widths, start=1):
        sheet.column_dimensions[chr(64 + n)].width = width
    sheet.freeze_panes = "A3"
    sheet.append([_cell(sheet, title, bold=True, size=13)])
    sheet.append([_cell(sheet, h, bold=True) for h in headings])
    for row in rows:
        sheet.append([_cell(sheet, v) for v in row])
    if truncated:
        sheet.append([_cell(sheet, f"（仅导出前 {count} 行，请缩小筛选范围）")])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(sheet, value, *, bold: bool = False, size: int | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # text, even when it starts with = + - @
    if bold or size:
        cell.font = Font(bold=bold, size=size)
    return cell
