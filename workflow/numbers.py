"""Numbers and dates as people type them into the forms, read strictly, with Chinese messages."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from workflow.db import MAX_WAN

_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，－／", "0123456789.,-/")
_AMOUNT = re.compile(r"\d{1,12}(\.\d{1,6})?")
_PERCENT = re.compile(r"\d{1,4}(\.\d{1,2})?")
_DATE_PATTERNS = (
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"),
    re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日"),
)


class NumberError(ValueError):
    """Input that is not the number or date it should be; `message` is for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _clean(raw: str | None) -> str:
    return (raw or "").strip().translate(_FULL_WIDTH).replace(",", "").replace(" ", "")


def parse_wan(raw: str | None, label: str) -> Decimal | None:
    """万元 as typed (「350」「1,435.5」「２１．８６」) -> Decimal; blank -> None; 6 decimals."""
    text = _clean(raw)
    if not text:
        return None
    if text.startswith("-"):
        raise NumberError(f"「{label}」不能为负数")
    if not _AMOUNT.fullmatch(text):
        raise NumberError(f"「{label}」应为数字（单位万元，最多6位小数），现为“{raw.strip()[:30]}”")
    value = Decimal(text)
    if value > MAX_WAN:
        raise NumberError(f"「{label}」数额过大，请核对单位是否为万元")
    return value


def parse_percent(raw: str | None, label: str) -> Decimal | None:
    """A rate in % (「99.5」「100%」) -> Decimal between 0 and 100; blank -> None."""
    text = _clean(raw).rstrip("%％")
    if not text:
        return None
    try:
        if not _PERCENT.fullmatch(text):
            raise InvalidOperation
        value = Decimal(text)
    except InvalidOperation:
        raise NumberError(f"「{label}」应为0–100之间的百分数，现为“{raw.strip()[:30]}”") from None
    if value > 100:
        raise NumberError(f"「{label}」应在0–100之间，现为{value}")
    return value


def parse_date(raw: str | None, label: str) -> dt.date | None:
    """「2021-03-05」「2021/3/5」「2021年3月5日」 -> date; blank -> None."""
    text = _clean(raw)
    if not text:
        return None
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            try:
                return dt.date(*(int(g) for g in match.groups()))
            except ValueError:
                break
    raise NumberError(f"「{label}」应为日期，如 2021-03-05，现为“{raw.strip()[:30]}”")


def show_wan(value: Decimal | None) -> str:
    """万元 for an input box: exact, no exponent, no trailing zeros."""
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
