"""The declaration as form data: plain strings keyed like the form's inputs, read from and written
to the models. Saving keeps everything typed: what cannot be read as a number or date is kept
verbatim in `Declaration.unparsed` and reported by the checks until corrected."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from workflow.declaration.models import (
    DECLARATION_TEXTS,
    FUND_COLUMNS,
    FUND_SOURCES,
    INDICATOR_DIRECTIONS,
    LAST_YEAR_AMOUNTS,
    LAST_YEAR_RATES,
    Declaration,
    DeclarationPerson,
    FundItem,
    FundSource,
    Indicator,
)
from workflow.errors import InvalidInput, Problem
from workflow.numbers import NumberError, parse_date, parse_percent, parse_wan, show_wan
from workflow.text import CELL_MAX, NARRATIVE_MAX, clean

MAX_TEXT = NARRATIVE_MAX  # characters in one narrative field (workflow/text.py)
MAX_ROWS = 200
SOURCE_KEYS = [key for key, _ in FUND_SOURCES] + ["total"]
ROW_FIELDS = {
    "leaders": ("name",),
    "contacts": ("name", "phone"),
    "fund_items": ("name", "amount"),
    "indicators": (
        "category",
        "sub_projects",
        "name",
        "target",
        "direction",
        "explanation",
        "evidence",
    ),
}
_SCALARS = (
    "project_type",
    "project_attribute",
    "government_procurement",
    "government_service_purchase",
    "unit_head_name",
    "filled_by",
    "filled_on",
    "fund_items_total",
    *(f.name for f in DECLARATION_TEXTS),
    *(key for key, _ in LAST_YEAR_AMOUNTS),
    *(key for key, _ in LAST_YEAR_RATES),
)
_YES_NO = {"是": True, "否": False, "": None}


def split_names(text: str) -> list[str]:
    """对应子项目 as typed: one name a line (or separated by ；)."""
    parts = text.replace("；", "\n").replace(";", "\n").splitlines()
    return [p.strip() for p in parts if p.strip()]


def to_form(declaration: Declaration) -> dict[str, Any]:
    """The form's values as strings, with anything unreadable shown back as it was typed."""
    d = declaration
    data: dict[str, Any] = {name: getattr(d, name) or "" for name in _SCALARS}
    for key, _ in LAST_YEAR_AMOUNTS:
        data[key] = show_wan(getattr(d, key))
    for key, _ in LAST_YEAR_RATES:
        data[key] = show_wan(getattr(d, key))
    data["fund_items_total"] = show_wan(d.fund_items_total)
    data["filled_on"] = d.filled_on.isoformat() if d.filled_on else ""
    for key in ("government_procurement", "government_service_purchase"):
        data[key] = {True: "是", False: "否", None: ""}[getattr(d, key)]
    data["leaders"] = [{"name": p.name} for p in d.leaders]
    data["contacts"] = [{"name": p.name, "phone": p.phone} for p in d.contacts]
    data["fund_items"] = [{"name": f.name, "amount": show_wan(f.amount)} for f in d.fund_items]
    by_source = {s.source: s for s in d.fund_sources}
    data["fund_sources"] = {
        key: {col: show_wan(getattr(by_source.get(key), col, None)) for col, _ in FUND_COLUMNS}
        for key in SOURCE_KEYS
    }
    # 方向 only when the unit chose one: 自动 rows read back exactly as typed before issue 15.
    data["indicators"] = [
        {"category": i.category, "sub_projects": "\n".join(json.loads(i.sub_projects)),
         "name": i.name, "target": i.target, "explanation": i.explanation,
         "evidence": i.evidence} | _direction_of(i)
        for i in d.indicators
    ]  # fmt: skip
    for path, raw in json.loads(d.unparsed or "{}").items():
        _put(data, path, raw)
    return data


def _direction_of(indicator) -> dict[str, str]:
    # getattr: the benchmark builds stand-in rows without the column (bench/generate.py).
    direction = getattr(indicator, "direction", "")
    return {"direction": direction} if direction else {}


def _put(data: dict[str, Any], path: str, value: str) -> None:
    parts = path.split("-")
    if len(parts) == 1:
        data[path] = value
    elif parts[0] == "fund_sources" and len(parts) == 3:
        data["fund_sources"].setdefault(parts[1], {})[parts[2]] = value
    elif parts[0] in ROW_FIELDS and len(parts) == 3 and parts[1].isdigit():
        rows = data[parts[0]]
        index = int(parts[1])
        if index < len(rows):
            rows[index][parts[2]] = value


def apply_form(declaration: Declaration, data: Mapping[str, Any]) -> None:
    """Write form data into the declaration and its rows, keeping unreadable values verbatim.
    Raises InvalidInput only for what cannot be kept at all (a field over MAX_TEXT)."""
    _check_lengths(data)
    unparsed: dict[str, str] = {}
    d = declaration
    for f in DECLARATION_TEXTS:
        setattr(d, f.name, _text(data, f.name))
    for name in ("project_type", "project_attribute"):
        setattr(d, name, _text(data, name))
    # The signature block comes from the history (declaration/signatures.py); a form read
    # from paper may bring what was written on it, a page does not send it.
    for name in ("unit_head_name", "filled_by"):
        if name in data:
            setattr(d, name, _text(data, name))
    for name in ("government_procurement", "government_service_purchase"):
        setattr(d, name, _YES_NO.get(_text(data, name)))
    for key, label in LAST_YEAR_AMOUNTS:
        setattr(d, key, _read(parse_wan, data.get(key), label, key, unparsed))
    for key, label in LAST_YEAR_RATES:
        setattr(d, key, _read(parse_percent, data.get(key), label, key, unparsed))
    d.fund_items_total = _read(
        parse_wan, data.get("fund_items_total"), "资金构成合计", "fund_items_total", unparsed
    )
    if "filled_on" in data:
        d.filled_on = _read(parse_date, data.get("filled_on"), "填报日期", "filled_on", unparsed)
    d.people = _people(data)
    d.fund_items = _fund_items(data, unparsed)
    d.fund_sources = _fund_sources(data, unparsed)
    d.indicators = _indicators(data)
    d.unparsed = json.dumps(unparsed, ensure_ascii=False, sort_keys=True)


def _text(data: Mapping[str, Any], key: str) -> str:
    return clean(data.get(key))


def _read(parse, raw, label: str, path: str, unparsed: dict[str, str]):
    try:
        return parse(raw, label)
    except NumberError:
        unparsed[path] = clean(raw)
        return None


def _rows(data: Mapping[str, Any], kind: str) -> list[dict[str, str]]:
    """The non-blank rows of one table, in order (blank rows are the form's spare lines)."""
    rows = []
    for row in list(data.get(kind) or [])[:MAX_ROWS]:
        cleaned = {f: _text(row, f) for f in ROW_FIELDS[kind]}
        if any(cleaned.values()):
            rows.append(cleaned)
    return rows


def _people(data) -> list[DeclarationPerson]:
    leaders = [DeclarationPerson(kind="leader", name=r["name"], phone="")
               for r in _rows(data, "leaders")]  # fmt: skip
    contacts = [DeclarationPerson(kind="contact", name=r["name"], phone=r["phone"])
                for r in _rows(data, "contacts")]  # fmt: skip
    for position, person in enumerate(leaders + contacts):
        person.position = position
    return leaders + contacts


def _fund_items(data, unparsed) -> list[FundItem]:
    items = []
    for i, row in enumerate(_rows(data, "fund_items")):
        label = f"资金构成第{i + 1}行预算金额"
        amount = _read(parse_wan, row["amount"], label, f"fund_items-{i}-amount", unparsed)
        items.append(FundItem(position=i, name=row["name"], amount=amount))
    return items


def _fund_sources(data, unparsed) -> list[FundSource]:
    table = data.get("fund_sources") or {}
    sources = []
    for key in SOURCE_KEYS:
        row = table.get(key) or {}
        values = {
            col: _read(parse_wan, row.get(col), label, f"fund_sources-{key}-{col}", unparsed)
            for col, label in FUND_COLUMNS
        }
        if any(v is not None for v in values.values()):
            sources.append(FundSource(source=key, **values))
    return sources


def _indicators(data) -> list[Indicator]:
    return [
        Indicator(
            position=i, category=row["category"], name=row["name"],
            sub_projects=json.dumps(split_names(row["sub_projects"]), ensure_ascii=False),
            target=row["target"], direction=_direction(row["direction"]),
            explanation=row["explanation"], evidence=row["evidence"],
        )
        for i, row in enumerate(_rows(data, "indicators"))
    ]  # fmt: skip


_DIRECTIONS = {key: key for key, _ in INDICATOR_DIRECTIONS} | {
    label: key for key, label in INDICATOR_DIRECTIONS
}


def _direction(typed: str) -> str:
    """越高越好 / 越低越好 / 自动 (or their stored values); anything else is 自动."""
    return _DIRECTIONS.get(typed, "")


# Fields with short columns, by the last part of their path: longer input is refused, not cut.
SHORT_FIELDS = {
    "project_type": 40,
    "project_attribute": 40,
    "unit_head_name": 100,
    "filled_by": 100,
    "phone": 100,
    "target": 200,
    "category": 16,
}


def _limit(path: str) -> int:
    key = path.rsplit("-", 1)[-1]
    if key == "name" and path.startswith(("leaders", "contacts")):
        return 100
    if path.startswith(("indicators-", "fund_items-")):  # a cell of a table
        return SHORT_FIELDS.get(key) or CELL_MAX
    return SHORT_FIELDS.get(key) or MAX_TEXT


def _check_lengths(data: Mapping[str, Any]) -> None:
    from workflow.declaration.snapshot import path_label  # it reads this module's row fields

    problems = [
        Problem(
            path, f"「{path_label(path)}」内容过长（不能超过 {_limit(path)} 字），请精简后再保存"
        )
        for path, value in _walk(data)
        if isinstance(value, str) and len(value.strip()) > _limit(path)
    ]
    if problems:
        raise InvalidInput(problems)


def _walk(data: Any, prefix: str = ""):
    if isinstance(data, Mapping):
        for key, value in data.items():
            yield from _walk(value, f"{prefix}-{key}" if prefix else str(key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _walk(value, f"{prefix}-{i}")
    else:
        yield prefix, data
