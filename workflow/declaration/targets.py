"""目标值 as units really write them into the 分解目标 table.

`read_target` never raises: every text becomes a `Target` of one `Kind` --
numeric (「≥150天」「15%及其以下」「≥95%（含）」「100%完成」), range (「90%-95%」), change
against a baseline (「提高5个百分点」「同比下降10%」「同比增长」), qualitative (any wording
without a number: 合规, 全覆盖, 零事故, 持续改善, 按时完成, 2021年12月底前完成), or unreadable (a
number we cannot place, kept as typed with a Chinese `message`; the 财政审核人 judges it). Only
an empty target is `empty`.
`parse_target` is the strict reading the scoring uses: it raises `TargetError` for empty and
unreadable targets and nothing else.

Chinese legal usage: 以上 / 以下 / 以内 / 不少于 / 不多于 / 至少 / 最多 include the number
(「30%以下」 is ≤ 30 %); 超过 / 高于 / 低于 / 不足 exclude it. Direction: the form's choice, else
the operator, else a zero target or the indicator's name (投诉率, 事故, 差错率 …), else
higher-is-better.

A number written in Chinese (「不少于五十户」「百分之九十五」「九成」) reads as its digits, through
cn2an, when an operator and a measure word surround it; the name before a number (「满意度≥90%」)
is skipped. Standard library and cn2an only: the web layer, scoring and the checks all share
this reading.
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


class Kind(StrEnum):
    numeric = "numeric"
    range = "range"
    change = "change"
    qualitative = "qualitative"
    unreadable = "unreadable"
    empty = "empty"


class TargetError(ValueError):
    """A 目标值 that cannot be read; `message` is Chinese, for the user, and quotes the text."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Target:
    """One reading. `value` is the number (a range's lower bound, a change's amount); `upper` a
    range's upper bound; `change` 增 or 减 and `baseline` (同比, 较上年) for a change; `note` the
    words kept beside a number (「（含）」, 「完成」); `message` why an unreadable target is one."""

    raw: str
    operator: Operator
    value: Decimal | None
    unit: str
    word: str | None
    direction: Direction
    kind: Kind = Kind.numeric
    upper: Decimal | None = None
    change: str = ""
    baseline: str = ""
    note: str = ""
    message: str = ""

    @property
    def is_qualitative(self) -> bool:
        return self.value is None

    @property
    def readable(self) -> bool:
        return self.kind not in (Kind.unreadable, Kind.empty)

    def threshold(self) -> Decimal | None:
        """The number scoring compares with: a range's bound on the side that matters."""
        if self.kind is Kind.range and self.direction is Direction.lower:
            return self.upper
        return self.value

    def __str__(self) -> str:
        if self.kind in (Kind.qualitative, Kind.unreadable, Kind.empty):
            return self.word or ""
        if self.kind is Kind.range:
            return f"{self.value:f}-{self.upper:f}{self.unit}{self.note}"
        if self.kind is Kind.change:
            op = "" if self.operator is Operator.eq else self.operator
            amount = "" if self.value is None else f"{op}{self.value:f}{self.unit}"
            return f"{self.baseline}{self.change}{amount}{self.note}"
        return f"{self.operator}{self.value:f}{self.unit}{self.note}"


# Full-width ASCII (＝＞＜％０-９．（）) sits at a fixed offset from ASCII. The full-width comma is
# left out: in Chinese text "，" separates items, so "100，200" is two numbers, not 100,200.
_FULL_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F) if c != 0xFF0C}
_FULL_WIDTH.update({0x3000: " ", ord("≧"): "≥", ord("≦"): "≤", ord("⩾"): "≥", ord("⩽"): "≤"})
_FULL_WIDTH.update({ord(c): "~" for c in "～〜"} | {ord(c): "-" for c in "—–－"})
_FULL_WIDTH.update({ord("【"): "(", ord("】"): ")", ord("﹪"): "%"})

_GE, _GT, _LE, _LT, _EQ = Operator.ge, Operator.gt, Operator.le, Operator.lt, Operator.eq
_PREFIX_WORDS = {
    ">=": _GE, "=>": _GE, "<=": _LE, "=<": _LE, "≥=": _GE, "≤=": _LE,
    **{op.value: op for op in Operator},
    **dict.fromkeys(("不低于", "不少于", "不小于", "至少", "最少", "最低", "大于等于", "大于或等于",
                     "不低于或等于", "达到或超过"), _GE),
    **dict.fromkeys(("不高于", "不多于", "不大于", "不超过", "不超出", "最多", "最高", "小于等于",
                     "小于或等于", "控制在", "控制"), _LE),
    **dict.fromkeys(("大于", "高于", "超过", "多于", "超出"), _GT),
    **dict.fromkeys(("小于", "低于", "不足", "少于", "不到"), _LT),
    **dict.fromkeys(("达到", "达", "实现", "保持", "确保", "约", "计划", "预计", "完成"), None),
}  # fmt: skip
_PREFIXES = sorted(_PREFIX_WORDS.items(), key=lambda item: -len(item[0]))
# Longest first, so "15%及其以下" is not read as "15%及其" and "以下".
_SUFFIX_WORDS = {
    **dict.fromkeys(("及其以下", "及以下", "或以下", "以下", "以内", "之内", "内"), _LE),
    **dict.fromkeys(("及其以上", "及以上", "或以上", "以上", "或更高", "或更多"), _GE),
    **dict.fromkeys(("左右",), _EQ),
}  # fmt: skip
_SUFFIXES = sorted(_SUFFIX_WORDS.items(), key=lambda item: -len(item[0]))
_INCLUSIVE = {_GT: _GE, _LT: _LE}

# The words a self-evaluation's actual may be scored by (健全有效, 规范、完整): `known_wording`.
# Targets need no list (any wording is a qualitative target); these, and a few more, only tell a
# number's trailing words (「100%完成」「100%覆盖」) from its unit.
# fmt: off
WORDS = frozenset((
    "合规", "健全", "规范", "充分", "资产明确", "明确", "建立", "落实", "完整", "稳定", "安全",
    "现代化", "完善", "完成", "好", "较好", "良好", "优秀", "达标", "有效", "及时", "准确", "合格",
    "完备", "齐全", "到位", "高效", "可靠", "满意", "通过", "正常", "提升", "提高", "改善", "明显",
    "显著", "规范化", "标准化", "清晰", "顺利",
))
_NOTE_WORDS = WORDS | {"全覆盖", "覆盖", "优良", "按时", "足额", "达到", "按期", "全部", "验收"}
# fmt: on
# Only to say "缺少数值" when a unit stands alone; units in general are open (see _UNIT).
_LONE_UNITS = frozenset(
    (
        "人",
        "人次",
        "个",
        "次",
        "天",
        "日",
        "项",
        "套",
        "份",
        "台",
        "户",
        "家",
        "平方米",
        "万元",
        "元",
        "小时",
        "公里",
        "个工作日",
        "个百分点",
    )
)
_LOWER_WORD = re.compile(r"^(零|无|杜绝|不发生|未发生|没有|0(?!\.))")
_INCREASE = ("提高", "提升", "增长", "增加", "上升", "增幅", "增速", "递增")
_DECREASE = ("下降", "降低", "减少", "压缩", "缩减", "降幅", "递减", "缩短")
_BASELINE = (
    r"(?:同比|环比|较上年度?|比上年度?|较去年|比去年|较上一年度?|较基期"
    r"|较[0-9]{4}年度?|比[0-9]{4}年度?|年均)"
)
_CHANGE = re.compile(
    rf"(?P<base>{_BASELINE})?(?P<verb>{'|'.join(_INCREASE + _DECREASE)})了?(?P<rest>.*)"
)
_NUMBER = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"
# A unit is any short run of letters (CJK, Latin, ㎡ m² ‰) with an optional "/per" part: forms
# use units we cannot list (人次/月, 个工作日, 套/台, kW·h).
_UNIT = r"(?:%|‰|[^\W\d_]|[²³㎡㎞㎏·℃°]|/[0-9]*)+"
_UNIT_MAX = 8
_QUANTITY = re.compile(rf"(?P<num>{_NUMBER})(?P<unit>{_UNIT})?")
_RANGE = re.compile(
    rf"(?P<low>{_NUMBER})(?P<u1>{_UNIT})?(?:-|~|至|到)(?P<high>{_NUMBER})(?P<u2>{_UNIT})?"
)
_DATE = re.compile(
    r"(?:[0-9]{4}年(?:度)?)?(?:[0-9]{1,2}月(?:份)?)?(?:[0-9]{1,2}日)?"
    r"(?:底|末|初|中旬|上旬|下旬|中)?(?:前|之前|以前|止)?"
)
_NOTE = re.compile(r"\((?P<inner>[^()]*)\)$")
_HINT = (
    "可写运算符+数值+单位（如 ≥150天、15%以下、90%-95%、提高5个百分点），"
    "或定性描述（如 合规、全覆盖）"
)


def read_target(text: object, name: str = "", direction: str | None = None) -> Target:
    """Read a typed 目标值, never raising: `name` is the indicator's name and `direction` the
    form's choice ("higher"/"lower", or empty for 自动), both used only for the direction."""
    target = _read(text)
    if not target.readable:
        return target
    chosen = _direction(target, name or "", direction)
    if chosen is target.direction:
        return target
    return _replace(target, direction=chosen)


def parse_target(text: object, name: str = "", direction: str | None = None) -> Target:
    """The strict reading: raise TargetError (and only that) for an empty or unreadable target."""
    target = read_target(text, name, direction)
    if not target.readable:
        raise TargetError(target.message)
    return target


def _replace(target: Target, **changes) -> Target:
    return Target(**{**target.__dict__, **changes})


def _unreadable(raw: str, shown: str, message: str, empty: bool = False) -> Target:
    kind = Kind.empty if empty else Kind.unreadable
    return Target(raw, _EQ, None, "", shown, Direction.higher, kind, message=message)


def _read(text: object) -> Target:
    if not isinstance(text, str):
        raw = "" if text is None else repr(text)
        return _unreadable("", raw, f"目标值“{raw}”无法识别：{_HINT}", empty=text is None)
    body = _normalize(text)
    if not body:
        return _unreadable(text, "", f"目标值“{text}”为空：{_HINT}", empty=True)
    if len(body) > MAX_LENGTH:
        message = f"目标值“{text}”过长（{len(body)}字）：不应超过{MAX_LENGTH}字，由审核人判定"
        return _unreadable(text, body, message)
    if not re.search(r"[0-9]", body):
        spelled = _spelled(text, body)
        return spelled if spelled is not None else _words(text, body)
    if re.fullmatch(r"7[×xX*]24小时(?:.*)", body):  # 「7×24小时」: round-the-clock service
        return Target(text, _EQ, None, "", body, Direction.higher, Kind.qualitative)
    found = _by_number(text, body)
    if found is not None:
        return found
    labelled = _LABEL.fullmatch(body)  # 「满意度≥90%」「完成率100%」: the name before the number
    if labelled:
        found = _by_number(text, labelled["rest"])
        if found is not None and found.kind in (Kind.numeric, Kind.range) and found.readable:
            return found
    return _unreadable(text, body, _diagnose(text, body))


def _by_number(text: str, body: str) -> Target | None:
    for reader in (_date, _numeric, _range, _change, _per_period):
        found = reader(text, body)
        if found is not None:
            return found
    return None


# A number written in Chinese (「不少于五十户」「一百人次/月」「百分之九十五」「九成」) is read
# when what surrounds it is a target's operator and one of these measure words, so that words
# that merely contain a numeral (一般, 统一, 一站式, 十分满意, 一次性通过) stay words.
_MEASURES = frozenset((
    "%", "个百分点", "百分点", "个工作日", "工作日", "人次", "户次", "人", "户", "个", "次", "项",
    "家", "套", "台", "所", "座", "条", "场", "期", "批", "名", "位", "辆", "处", "间", "件", "张",
    "本", "册", "篇", "种", "类", "棵", "株", "亩", "公顷", "吨", "米", "千米", "公里", "平方米",
    "平方公里", "立方米", "万元", "元", "小时", "分钟", "天", "日", "周", "年", "个月", "月", "村",
    "镇", "支", "队", "盏", "部", "课时", "学时", "班", "轮", "季度", "分",
))  # fmt: skip
_CN_NUMERAL = "零〇一二两三四五六七八九十百千万亿点"
_SPELLED = re.compile(
    rf"百分之(?P<percent>[{_CN_NUMERAL}]{{1,8}})"
    rf"|(?<![{_CN_NUMERAL}])(?P<tenths>[一二三四五六七八九十])成(?P<hundredths>[一二三四五六七八九])?"
    rf"(?![{_CN_NUMERAL}])"
    rf"|(?P<number>[{_CN_NUMERAL}]{{1,12}})"
)
_LABEL = re.compile(
    r"(?P<label>[\u4e00-\u9fff]{0,12}?(?:率|度|比例|占比|比重|人数|次数|数量|总数|个数|得分|分数|数|量|值))"
    r"(?:为|是|:)?(?P<rest>.*[0-9].*)"
)


def _spelled(text: str, body: str) -> Target | None:
    """A target whose number is written in Chinese, read as if in digits; None when the text
    is words after all (the digits would leave no operator + number + measure word)."""
    if not re.search(f"[{_CN_NUMERAL}]", body):
        return None
    # 「五个百分点」「三千五百万元」: 百 and 万 there belong to the measure word, not the number.
    kept = body.replace("百分点", "\x01").replace("万元", "\x02")
    digits = _SPELLED.sub(_digits, kept).replace("\x01", "百分点").replace("\x02", "万元")
    if digits == body or not re.search("[0-9]", digits):
        return None
    found = _by_number(text, digits)
    if found is None or found.kind not in (Kind.numeric, Kind.range, Kind.change):
        return None
    if not found.readable or found.unit.split("/")[0] not in _MEASURES | {""} or found.note:
        return None
    return found


def _digits(match: re.Match[str]) -> str:
    if match["tenths"]:
        tenths = 10 if match["tenths"] == "十" else chinese_number(match["tenths"])
        return f"{tenths * 10 + (chinese_number(match['hundredths'] or '零') or 0)}%"
    spelled = match["percent"] or match["number"]
    value = chinese_number(spelled)
    if value is None:
        return match[0]
    return f"{value:f}%" if match["percent"] else f"{value:f}"


def chinese_number(text: str) -> Decimal | None:
    """「五十」「一千零五」「九十五点五」「两」 as a number, by cn2an (imported on first use: it
    costs a quarter of a second, and most targets are written in digits)."""
    if text == "百":
        return Decimal(100)
    import cn2an

    try:
        value = cn2an.cn2an(text, "normal")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    number = Decimal(str(value))
    return Decimal(int(number)) if number == number.to_integral_value() else number


def _normalize(text: str) -> str:
    text = text.translate(_FULL_WIDTH).strip()
    # Spaces between parts ("≥ 95 %") are noise, but a space between two digits separates two
    # numbers ("100 200") and must survive so that no reader accepts it.
    return re.sub(r"\s+", _keep_space_between_digits, text)


def _keep_space_between_digits(match: re.Match[str]) -> str:
    text, start, end = match.string, match.start(), match.end()
    between_digits = start > 0 and end < len(text) and text[start - 1].isdigit()
    return " " if between_digits and text[end].isdigit() else ""


def _words(text: str, body: str) -> Target:
    """Wording without a number: a change against a baseline (同比增长) or a qualitative target."""
    merged = re.split(r"\s+", text.translate(_FULL_WIDTH).strip())
    if len(merged) > 1 and any(b.startswith(a) for a, b in zip(merged, merged[1:], strict=False)):
        message = f"目标值“{text}”像是两个单元格的内容连在了一起，由审核人判定：{_HINT}"
        return _unreadable(text, body, message)
    word = body[1:] if body.startswith("=") and len(body) > 1 else body
    bare = re.sub(r"[≥>≤<=%‰]|及其以下|及以下|以下|以上|及以上|以内", "", word)
    if not bare or bare in _LONE_UNITS or word[0] in "≥>≤<=" and not _is_words(bare):
        return _unreadable(text, body, f"目标值“{text}”缺少数值，由审核人判定：{_HINT}")
    change = _CHANGE.fullmatch(body)
    if change and change["base"] and not change["rest"]:
        verb = change["verb"]
        up = verb in _INCREASE
        return Target(text, _EQ, None, "", None, Direction.higher if up else Direction.lower,
                      Kind.change, change=verb, baseline=change["base"])  # fmt: skip
    lower = bool(_LOWER_WORD.match(word))
    return Target(text, _EQ, None, "", word, Direction.lower if lower else Direction.higher,
                  Kind.qualitative)  # fmt: skip


def _strip_operators(body: str) -> tuple[str, Operator | None, Operator | None, str]:
    """(the rest, prefix operator, suffix operator, the note kept beside the number)."""
    note, inclusive, suffix = "", None, None
    while True:
        found = _NOTE.search(body)
        if found and found.start() > 0:
            inclusive = {"含": True, "不含": False}.get(found["inner"], inclusive)
            note, body = found.group(0) + note, body[: found.start()]
            continue
        if suffix is None:
            body, suffix = _suffix(body)
            if suffix is not None:
                continue
        break
    prefix = None
    while True:
        for word, operator in _PREFIXES:
            if (
                body.startswith(word)
                and len(body) > len(word)
                and (prefix is None or operator is None)
            ):
                body = body[len(word) :]
                prefix = operator or prefix
                break
        else:
            break
    if inclusive is not None:
        flip = _INCLUSIVE if inclusive else {v: k for k, v in _INCLUSIVE.items()}
        prefix, suffix = flip.get(prefix, prefix), flip.get(suffix, suffix)
    return body, prefix, suffix, note


def _suffix(body: str) -> tuple[str, Operator | None]:
    for word, operator in _SUFFIXES:
        if body.endswith(word) and len(body) > len(word):
            return body[: -len(word)], operator
    return body, None


def _combine(prefix: Operator | None, suffix: Operator | None) -> Operator | None:
    """Forms put "=" before every number out of habit, so "=15%及以下" means ≤; a real conflict
    ("≥15%以下") is None: the reviewer should see it rather than us resolving it."""
    if suffix is None or suffix is _EQ:
        return prefix or _EQ
    if prefix in (None, _EQ, suffix) or _INCLUSIVE.get(prefix) is suffix:
        return suffix
    return None


def _numeric(text: str, body: str) -> Target | None:
    rest, prefix, suffix, note = _strip_operators(body)
    quantity = _QUANTITY.fullmatch(rest)
    if not quantity:
        return None
    unit = quantity["unit"] or ""
    if unit:
        unit, tail = _split_unit(unit)
        if unit is None:
            return None
        note = tail + note
    operator = _combine(prefix, suffix)
    if operator is None:
        return _unreadable(
            text,
            body,
            f"目标值“{text}”的运算符前后矛盾（{prefix}与{suffix}），由审核人判定：{_HINT}",
        )
    value = Decimal(quantity["num"].replace(",", ""))
    if unit == "%" and value > MAX_PERCENT:
        message = f"目标值“{text}”的百分比超过{MAX_PERCENT}%，请检查是否多写了数字，由审核人判定"
        return _unreadable(text, body, message)
    lower = operator in (_LE, _LT)
    return Target(text, operator, value, unit, None, Direction.lower if lower else Direction.higher,
                  Kind.numeric, note=note)  # fmt: skip


def _split_unit(unit: str) -> tuple[str | None, str]:
    """A unit, and the words after it that are a note (「100%完成」); None when the "unit" is a
    qualitative word ("100合规"), which nobody writes as a unit."""
    for head in ("%", "‰", "个百分点", "百分点"):
        if unit.startswith(head):
            tail = unit[len(head) :]
            return (head, tail) if not tail or _is_words(tail) else (None, "")
    if (
        _is_words(unit)
        or len(unit) > 8
        or re.search("以上|以下|以内|之内|左右|及其|或以|或更", unit)
    ):
        return None, ""  # 「0以上以上」: an operator word twice is no unit
    return unit, ""


_PHRASE = re.compile(
    "(?:{w})(?:(?:并且|且|并|、)?(?:{w}))*".format(w="|".join(sorted(WORDS, key=len, reverse=True)))
)


def known_wording(text: str) -> bool:
    """Whether a qualitative text is built only from the known words (健全有效, 规范、完整): a
    self-evaluation's actual such as 「未完成」 is not, and is left to the reviewer."""
    return bool(_PHRASE.fullmatch(text or ""))


def _is_words(text: str) -> bool:
    words = "|".join(sorted(_NOTE_WORDS, key=len, reverse=True))
    return bool(re.fullmatch(rf"(?:{words}|率|、|并|且)+", text))


def _range(text: str, body: str) -> Target | None:
    rest, prefix, suffix, note = _strip_operators(body)
    found = _RANGE.fullmatch(rest)
    if not found or prefix not in (None, _EQ) or suffix not in (None, _EQ):
        return None
    u1, u2 = found["u1"] or "", found["u2"] or ""
    if u1 and u2 and u1 != u2:
        return None
    low, high = (Decimal(found[k].replace(",", "")) for k in ("low", "high"))
    if low > high:
        return None
    return Target(text, _GE, low, u2 or u1, None, Direction.higher, Kind.range, upper=high,
                  note=note)  # fmt: skip


def _change(text: str, body: str) -> Target | None:
    found = _CHANGE.fullmatch(body)
    if not found or not found["rest"]:
        return None
    amount = _numeric(text, found["rest"].lstrip("至到") or found["rest"])
    if amount is None or not amount.readable:
        return None
    verb = found["verb"]
    up = verb in _INCREASE
    if found["rest"][0] in "至到":  # 「提高至95%」 names the level to reach, not the change
        if amount.operator is not _EQ:
            return amount
        return _replace(amount, operator=_GE if up else _LE,
                        direction=Direction.higher if up else Direction.lower)  # fmt: skip
    return _replace(amount, kind=Kind.change, change=verb, baseline=found["base"] or "",
                    direction=Direction.higher if up else Direction.lower)  # fmt: skip


def _per_period(text: str, body: str) -> Target | None:
    """「每月1次」 is 1 次/月."""
    found = re.fullmatch(r"每(半年|年|季度|季|月|周|日|天)(.+)", body)
    if not found:
        return None
    amount = _numeric(text, found[2])
    if amount is None or not amount.readable or not amount.unit or amount.note:
        return None
    unit = f"{amount.unit}/{found[1]}"
    return _replace(amount, unit=unit) if len(unit) <= _UNIT_MAX else None


def _date(text: str, body: str) -> Target | None:
    """A deadline (「2021年12月底前完成」「6月30日前」): a 时效 target the reviewer checks."""
    found = _DATE.match(body)
    if not found or not re.search(r"[0-9]{4}年|[0-9]月", found.group(0)):
        return None
    tail = body[found.end() :]
    if tail and not re.fullmatch(r"[^\d]*", tail):
        return None
    return Target(text, _EQ, None, "", body, Direction.higher, Kind.qualitative)


def _direction(target: Target, name: str, chosen: str | None) -> Direction:
    if chosen in (Direction.higher, Direction.lower):
        return Direction(chosen)
    if target.kind is Kind.change or (target.kind is Kind.numeric and target.operator is not _EQ):
        return target.direction
    if target.kind is Kind.numeric and target.value == 0:
        return Direction.lower  # 「0起」「=0次」: a ceiling of nothing
    if target.direction is Direction.lower or lower_by_name(name):
        return Direction.lower
    return Direction.higher


# Names whose quantity should be small. A name that also says the bad thing is being handled
# (投诉处理率, 事故处置率, 故障修复率, 能耗下降率) is higher-is-better, unless listed as lower.
_LOWER_NAMES = (
    "资金节约率", "结余率", "资金结余", "响应时间", "等待时间", "办理时间", "处理时间", "处置时间",
    "办结时限", "办理时限", "审批时限", "审批时间", "平均用时", "耗时", "宕机时间", "停机时间",
    "故障时间",
)  # fmt: skip
# Costs are lower-is-better, unless the name is a rate of saving or control (成本节约率).
_COSTS = ("成本", "费用", "单价", "造价")
_COST_RATES = ("节约率", "控制率", "下降率", "降低率", "压减率")
_LOWER_PARTS = (
    "投诉", "事故", "差错", "故障", "超期", "逾期", "延误", "返工", "成本", "单价", "能耗", "损耗",
    "损失", "排放", "发生率", "发病率", "死亡", "伤亡", "失误", "错误", "误报", "漏报", "漏检",
    "不合格", "违规", "违法", "违章", "发案", "流失率", "辍学", "空置率", "停机", "宕机", "中断",
    "超标", "拖欠", "滞留", "积压", "复发", "上访",
)  # fmt: skip
_HANDLED = (
    "处理", "处置", "办结", "整改", "修复", "排除", "解决", "回复", "响应率", "控制率", "下降",
    "降低", "减少", "节约", "查处", "化解", "纠正", "防控", "排查", "及时率", "结案", "调处",
    "核查", "覆盖", "培训", "宣传", "预防", "防范", "救援", "压减", "核算", "分析", "控制",
)  # fmt: skip


def lower_by_name(name: str) -> bool:
    """Whether an indicator's name alone says lower-is-better (业务系统投诉率, 安全事故发生次数)."""
    if any(n in name for n in _LOWER_NAMES):
        return True
    if any(c in name for c in _COSTS):
        return not any(r in name for r in _COST_RATES)
    if any(h in name for h in _HANDLED):
        return False
    return any(p in name for p in _LOWER_PARTS)


def _diagnose(text: str, body: str) -> str:
    """The most specific reason we can name for a target with a number that no reader places."""
    if re.match(r"(?:[≥>≤<=])?[-−]\s*[0-9]", body):
        return f"目标值“{text}”不能为负数，由审核人判定：{_HINT}"
    if len(re.findall(r"[0-9]+(?:[.,][0-9]+)*", body)) > 1:
        return f"目标值“{text}”含有多个数值，无法识别，由审核人判定：{_HINT}"
    return f"目标值“{text}”无法识别，由审核人判定：{_HINT}"
