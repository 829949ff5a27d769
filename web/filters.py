"""Template filters and globals: money, time and role names as Chinese users read them."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from workflow.clock import CHINA
from workflow.evaluation.scoring import display
from workflow.org.models import ROLE_LABELS


def wan(value: Decimal | None) -> str:
    """万元 shown with two decimals and thousands separators (stored exactly, shown rounded)."""
    if value is None:
        return ""
    return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"


def money_text(text: str | None) -> str:
    """An amount as the form holds it (a string) shown with two decimals; what is not a number
    (something typed that could not be read) is shown as it was typed."""
    try:
        return wan(Decimal(text)) if text else ""
    except (ArithmeticError, ValueError):
        return text or ""


def china_time(value: dt.datetime | None) -> str:
    return value.astimezone(CHINA).strftime("%Y-%m-%d %H:%M") if value else ""


def china_seconds(value: dt.datetime | None) -> str:
    """To the second, where the order of events matters (the audit trail, the login log)."""
    return value.astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def reject_keys(mapping: dict, *keys: str) -> dict:
    """The query arguments without some (the page cursor, when the filter changes)."""
    return {k: v for k, v in mapping.items() if k not in keys}


def role_names(user) -> str:
    return "、".join(ROLE_LABELS[r] for r in sorted(user.roles))


def points(value, places: int = 2) -> str:
    """A score or weight as people read it: two decimals, half up."""
    return display(value, places)


def distinct(problems) -> list:
    """Problems with each message once: one cause that touches several rows is one line."""
    seen, kept = set(), []
    for p in problems:
        if p.message not in seen:
            seen.add(p.message)
            kept.append(p)
    return kept


def register(app) -> None:
    app.jinja_env.filters["distinct"] = distinct
    app.jinja_env.filters["points"] = points
    app.jinja_env.filters["wan"] = wan
    app.jinja_env.filters["money_text"] = money_text
    app.jinja_env.filters["china_time"] = china_time
    app.jinja_env.filters["china_seconds"] = china_seconds
    app.jinja_env.filters["reject_keys"] = reject_keys
    app.jinja_env.globals["role_names"] = role_names
