"""How much of a form an import recovered: every field a careful person reads (a non-empty
expected value) compared with what was read, text without regard to line breaks and spaces,
amounts as numbers; and what was read where the form has nothing (spurious)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

MONEY = re.compile(r"^(fund_items-\d+-amount|fund_items_total|fund_sources-.*|ly_.*)$")


@dataclass
class Score:
    matched: int = 0
    total: int = 0
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # path, expected, read
    spurious: list[tuple[str, str]] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.matched / self.total if self.total else 1.0

    def __add__(self, other: Score) -> Score:
        return Score(self.matched + other.matched, self.total + other.total,
                     self.misses + other.misses, self.spurious + other.spurious)  # fmt: skip


def leaves(data, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    if isinstance(data, dict):
        for k, v in data.items():
            out |= leaves(v, f"{prefix}-{k}" if prefix else str(k))
    elif isinstance(data, list):
        for n, v in enumerate(data):
            out |= leaves(v, f"{prefix}-{n}")
    else:
        out[prefix] = "" if data is None else str(data)
    return out


def same(path: str, expected: str, read: str) -> bool:
    if MONEY.match(path):
        try:
            return Decimal(expected.replace(",", "")) == Decimal(read.replace(",", ""))
        except InvalidOperation:
            pass
    return re.sub(r"\s", "", expected) == re.sub(r"\s", "", read)


def score(expected: dict, read: dict, *, ignore: tuple[str, ...] = ()) -> Score:
    want, got = leaves(expected), leaves(read)
    result = Score()
    for path, value in want.items():
        if any(path.startswith(i) for i in ignore) or not value.strip():
            if (
                value.strip() == ""
                and got.get(path, "").strip()
                and not any(path.startswith(i) for i in ignore)
            ):
                result.spurious.append((path, got[path]))
            continue
        result.total += 1
        if same(path, value, got.get(path, "")):
            result.matched += 1
        else:
            result.misses.append((path, value, got.get(path, "")))
    return result
