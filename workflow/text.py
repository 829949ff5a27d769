"""Text as typed, made storable: NUL bytes removed (PostgreSQL refuses them), line ends unified,
surrounding blanks trimmed; and row numbers as messages write them."""

from __future__ import annotations

from collections.abc import Iterable


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
