"""Text as typed, made storable: NUL bytes removed (PostgreSQL refuses them), line ends unified,
surrounding blanks trimmed; and row numbers as messages write them."""

from __future__ import annotations

from collections.abc import Iterable

# The longest free text a field takes, in characters, stated once: the forms' checks, the pages'
# maxlength and so the work of laying out a PDF are bounded by these. The five seed forms'
# longest narrative is 1,160 characters.
NARRATIVE_MAX = 5_000  # 项目概况, 设立依据, 实施计划, 绩效目标, 自评的各段说明 …
CELL_MAX = 1_000  # one cell of a table: 指标名称, 指标解释, 子项目名称, 偏差说明 …
COMMENT_MAX = 2_000  # an 意见 on an action, a milestone's 备注


def clean(value: object) -> str:
    return str(value or "").replace("\x00", "").replace("\r\n", "\n").strip()


def one_line(text: str) -> str:
    """Text on one line, its runs of whitespace (line breaks, tabs) as single spaces: for a mail
    subject, where a line break makes the header invalid, and for names quoted in messages."""
    return " ".join(text.split())


def rows_label(rows: Iterable[int]) -> str:
    """Row numbers as the form shows them (1-based), as people write them: 第3行, 第2、5行,
    第15–19行 — one message for one cause, however many rows it touches."""
    runs: list[list[int]] = []
    for n in sorted(set(rows)):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    parts = (f"{r[0]}–{r[-1]}" if len(r) > 2 else "、".join(map(str, r)) for r in runs)
    return "第" + "、".join(parts) + "行"
