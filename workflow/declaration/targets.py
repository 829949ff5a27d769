"""目标值 as people type them into the 分解目标 table, read strictly.

A target is either quantitative -- an operator, one non-negative number and a unit ("≥150天",
"15%及其以下", "=110平方米") -- or qualitative: a known word or a short phrase built only from known
words ("合规", "健全有效"). `parse_target` turns the typed text into a `Target` or raises
`TargetError` with a Chinese message that quotes what the user typed; it never raises anything else,
because the checks run it over whatever a form happens to contain.

Pure standard library on purpose: the web layer, scoring and the checks all share this reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

MAX_LENGTH = 50
MAX_PERCENT = Decimal(1000)


class Direction(StrEnum):
    """Which way of the target is better; scoring must respect it (资金节约率 15%及以下)."""

    higher = "higher"
    lower = "lower"


class Operator(StrEnum):
    eq = "="
    ge = "≥"
    gt = ">"
    le = "≤"
    lt = "<"


class TargetError(ValueError):
    """A 目标值 that cannot be read; `message` is Chinese, for the user, and quotes the text."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Target:
    raw: str
    operator: Operator
    value: Decimal | None
    unit: str
    word: str | None
    direction: Direction

    @property
    def is_qualitative(self) -> bool:
        return self.value is None

    def __str__(self) -> str:
        if self.word is not None:
            return self.word
        return f"{self.operator}{self.value:f}{self.unit}"


# Full-width ASCII (＝＞＜％０-９．) sits at a fixed offset from ASCII. The full-width comma is left
# out: in Chinese text "，" separates items, so "100，200" is two numbers, not one hundred thousand.
_FULL_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F) if c != 0xFF0C}
_FULL_WIDTH.update({0x3000: " ", ord("≧"): "≥", ord("≦"): "≤", ord("⩾"): "≥", ord("⩽"): "≤"})

_SYMBOLS = {">=": Operator.ge, "=>": Operator.ge, "<=": Operator.le, "=<": Operator.le}
_SYMBOLS |= {op.value: op for op in Operator}
_PREFIX_WORDS = {
    **dict.fromkeys(("不低于", "不少于", "不小于", "至少"), Operator.ge),
    **dict.fromkeys(("不高于", "不多于", "不大于", "不超过", "最多"), Operator.le),
    **dict.fromkeys(("大于", "高于", "超过"), Operator.gt),
    **dict.fromkeys(("小于", "低于"), Operator.lt),
}
# Longest first, so ">=" is not read as ">" followed by a stray "=".
_PREFIXES = sorted((_PREFIX_WORDS | _SYMBOLS).items(), key=lambda item: -len(item[0]))
# Longest first, so "15%及其以下" is not read as "15%及其" and the strict "以下".
_SUFFIXES = {
    "及其以下": Operator.le,
    "及以下": Operator.le,
    "以内": Operator.le,
    "以下": Operator.lt,
    "及其以上": Operator.ge,
    "及以上": Operator.ge,
    "以上": Operator.gt,
}

# Grades below 较好 (一般, 较差, 差) are left out: nobody declares them as a goal.
# fmt: off
WORDS = frozenset((
    "合规", "健全", "规范", "充分", "资产明确", "明确", "建立", "落实", "完整", "稳定", "安全",
    "现代化", "完善", "完成", "好", "较好", "良好", "优秀", "达标", "有效", "及时", "准确", "合格",
    "完备", "齐全", "到位", "高效", "可靠", "满意", "通过", "正常", "提升", "提高", "改善", "明显",
    "显著", "规范化", "标准化", "清晰", "顺利",
))
# fmt: on
CONJUNCTIONS = ("并且", "且", "并", "、")

# Units are a closed set of characters so that "100合规" or "100这是什么" is not read as a unit.
_UNIT_CHARS = (
    "人次个天项套份平方立公里千米万亿元角分小时钟秒年月日周台家户件册本篇张条座所处间辆架株棵亩顷"
    "吨斤克升页部门批场期名位支队节课堂片块栋幢层床艘根把组盏只头口段工作宗起例款栏类种"
)
# ASCII digits only: \d would also admit e.g. Arabic-Indic digits, which nobody types here.
_NUMBER = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"
_QUANTITY = re.compile(rf"(?P<num>{_NUMBER})(?P<unit>%|[{_UNIT_CHARS}]{{1,5}})?")


def _alternation(options) -> str:
    return "|".join(re.escape(o) for o in sorted(options, key=len, reverse=True))


# A regex rather than a hand-written scan: a phrase is accepted exactly when it splits into known
# words and conjunctions ("健全有效", "规范、完整"), and backtracking finds the split if one exists.
_PHRASE = re.compile(
    rf"(?:{_alternation(WORDS)})(?:(?:{_alternation(CONJUNCTIONS)})?(?:{_alternation(WORDS)}))*"
)

_HINT = "应为运算符+数值+单位（如 ≥150天、≤15%），或定性描述（如 合规、健全）"


def parse_target(text: str) -> Target:
    """Read a typed 目标值; raise TargetError (and only that) when it is not one."""
    if not isinstance(text, str):
        raise TargetError(f"目标值“{'' if text is None else text}”无法识别：{_HINT}")
    body = _normalize(text)
    if not body:
        raise TargetError(f"目标值“{text}”为空：{_HINT}")
    if len(body) > MAX_LENGTH:
        raise TargetError(f"目标值“{text}”过长（{len(body)}字）：不应超过{MAX_LENGTH}字，{_HINT}")
    body, suffix = _split_suffix(body)
    body, prefix = _split_prefix(body)
    operator = _combine(text, prefix, suffix)
    quantity = _QUANTITY.fullmatch(body)
    if quantity:
        return _quantitative(text, operator, quantity)
    if suffix is None and prefix in (None, Operator.eq) and _PHRASE.fullmatch(body):
        return Target(text, Operator.eq, None, "", body, Direction.higher)
    raise TargetError(_diagnose(text, body, prefix is not None or suffix is not None))


def _normalize(text: str) -> str:
    text = text.translate(_FULL_WIDTH).strip()
    # Spaces between parts ("≥ 95 %") are noise, but a space between two digits separates two
    # numbers ("100 200") and must survive so that the number pattern rejects it.
    return re.sub(r"\s+", _keep_space_between_digits, text)


def _keep_space_between_digits(match: re.Match[str]) -> str:
    text, start, end = match.string, match.start(), match.end()
    between_digits = start > 0 and end < len(text) and text[start - 1].isdigit()
    return " " if between_digits and text[end].isdigit() else ""


def _split_suffix(body: str) -> tuple[str, Operator | None]:
    for suffix, operator in _SUFFIXES.items():
        if body.endswith(suffix) and len(body) > len(suffix):
            return body[: -len(suffix)], operator
    return body, None


def _split_prefix(body: str) -> tuple[str, Operator | None]:
    for prefix, operator in _PREFIXES:
        if body.startswith(prefix):
            return body[len(prefix) :], operator
    return body, None


def _combine(text: str, prefix: Operator | None, suffix: Operator | None) -> Operator:
    # Forms put "=" before every number out of habit, so "=15%及以下" means ≤; a real conflict
    # ("≥15%以下") is a mistake the user should see rather than one we silently resolve.
    if suffix is None:
        return prefix or Operator.eq
    if prefix in (None, Operator.eq, suffix):
        return suffix
    raise TargetError(f"目标值“{text}”的运算符前后矛盾（{prefix}与“以上/以下”）：{_HINT}")


def _quantitative(text: str, operator: Operator, quantity: re.Match[str]) -> Target:
    value = Decimal(quantity["num"].replace(",", ""))
    unit = quantity["unit"] or ""
    if unit == "%" and value > MAX_PERCENT:
        raise TargetError(f"目标值“{text}”的百分比超过{MAX_PERCENT}%，请检查是否多写了数字")
    lower = operator in (Operator.le, Operator.lt)
    return Target(text, operator, value, unit, None, Direction.lower if lower else Direction.higher)


def _diagnose(text: str, rest: str, had_operator: bool) -> str:
    """The most specific reason we can name for `rest` (the text without its operator)."""
    numbers = re.findall(r"[0-9]+(?:[.,][0-9]+)*", rest)
    # "-5%" is negative, but "5-10%" is a range, which the two-numbers rule reports.
    if re.match(r"[-－−]\s*[0-9]", rest):
        return f"目标值“{text}”不能为负数"
    if len(numbers) > 1:
        return f"目标值“{text}”只能包含一个数值：{_HINT}"
    if not numbers and _PHRASE.fullmatch(rest):
        return (
            f"目标值“{text}”是定性描述，不能带 ≥、>、≤、< 或“以上/以下”：应直接写（如 合规、健全）"
        )
    if not numbers and (had_operator or re.fullmatch(rf"%|[{_UNIT_CHARS}]+", rest)):
        return f"目标值“{text}”缺少数值：{_HINT}"
    if re.search(r"[A-Za-z]", rest):
        return f"目标值“{text}”无法识别（含有字母）：{_HINT}"
    return f"目标值“{text}”无法识别：{_HINT}"
