"""What a clause of a 项目实施计划 is (its kind) and, when it names no date, what it hangs on: an
anchor (合同签订, 到货, 安装调试, 上线, 试运行, 初验, 终验, 竣工验收, 审计, 验收) and an offset in
years, months, days or working days, as people write them: 「验收合格后10个工作日内」「合同签订后15
日内」「上线运行满6个月后」「终验起算2年」「质保期（三年）满后」「缺陷责任期满一年后」, and
「质保期满后」 with the 质保期 named elsewhere in the plan (「质保期为两年」).
Standard library only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from workflow.declaration.targets import chinese_number


class MilestoneKind(StrEnum):
    """里程碑类别. Member names equal values (transitions looks enum states up by name)."""

    phase = "phase"
    procurement = "procurement"
    acceptance = "acceptance"
    payment = "payment"
    warranty_release = "warranty_release"


@dataclass(frozen=True)
class RelativeDue:
    """A deadline counted from a milestone whose date is not known yet (质保金: 终验 + 3 年).
    Working days (「10个工作日内」) follow China's calendar and are counted after the rest."""

    anchor: str
    years: int = 0
    months: int = 0
    days: int = 0
    workdays: int = 0


_WARRANTY = r"质保金|质保期|保修金|保修期|质量保证金|质量保证期|缺陷责任期|履约保证金"
_WARRANTY_WORDS = re.compile(_WARRANTY)
PAY_WORDS = re.compile(
    r"支付|付款|付清|结清|拨付|尾款|启动款|进度款|预付款|首付款|首期款|到货款|验收款|结算款|退还"
    r"|返还|释放"
)
_KIND_WORDS = (
    (MilestoneKind.warranty_release, _WARRANTY_WORDS),
    (MilestoneKind.payment, PAY_WORDS),
    (MilestoneKind.acceptance, re.compile(r"验收|初验|终验")),
    (
        MilestoneKind.procurement,
        re.compile(r"招标|采购|中标|签[订署][^，,；;。]{0,8}?合同|合同签[订署]"),
    ),  # fmt: skip
)
KIND_ORDER = [kind for kind, _ in _KIND_WORDS] + [MilestoneKind.phase]


def kind_of(norm: str) -> MilestoneKind:
    """The first kind whose words appear: 质保金 before 支付 before 验收 before 招标. The
    milestone a clause counts from is not its kind: 「合同签订后30日内完成设备到货」 is a phase."""
    norm = _REL_ZERO.sub("", _REL_OFFSET.sub("", norm))
    return next((kind for kind, words in _KIND_WORDS if words.search(norm)), MilestoneKind.phase)


# --- anchors --------------------------------------------------------------------------------

# Each anchor as people write it, and the name it is proposed under; longer words first.
_ANCHOR_NAMES = {
    "合同签订": "合同签订", "签订合同": "合同签订", "合同签署": "合同签订", "签署合同": "合同签订",
    "合同生效": "合同签订", "签订采购合同": "合同签订",
    "到货验收": "到货", "到货": "到货", "货到": "到货", "交货": "到货",
    "安装调试": "安装调试", "安装完成": "安装调试", "调试": "安装调试",
    "上线验收": "验收", "上线": "上线", "试运行": "试运行",
    "初步验收": "初验", "初验": "初验", "最终验收": "终验", "终验": "终验",
    "竣工验收": "竣工验收", "竣工": "竣工验收",
    "决算审计": "审计", "结算审计": "审计", "审计": "审计", "交付": "交付", "验收": "验收",
}  # fmt: skip
_ANCHOR = "(?P<anchor>" + "|".join(sorted(_ANCHOR_NAMES, key=len, reverse=True)) + ")"
ANCHOR_RE = re.compile(_ANCHOR)
# What a title says of the milestone an anchor names (the generic 验收 is any acceptance).
_ANCHOR_TITLES = {
    "合同签订": re.compile(r"合同签[订署]|签[订署][^，,；;。]{0,8}?合同|合同生效"),
    "到货": re.compile(r"到货|货到|交货"),
    "安装调试": re.compile(r"安装|调试"),
    "上线": re.compile(r"上线"),
    "试运行": re.compile(r"试运行"),
    "初验": re.compile(r"初验|初步验收"),
    "终验": re.compile(r"终验|最终验收"),
    "竣工验收": re.compile(r"竣工"),
    "审计": re.compile(r"审计|决算|结算审核"),
    "交付": re.compile(r"交付"),
}
ANCHOR_KINDS = {"初验": "acceptance", "终验": "acceptance", "竣工验收": "acceptance",
                "验收": "acceptance", "合同签订": "procurement"}  # fmt: skip


def names_anchor(anchor: str, kind: str, title: str) -> bool:
    """Whether a milestone (its kind and title) is the one `anchor` names."""
    if anchor == "验收":
        return kind == "acceptance"
    words = _ANCHOR_TITLES.get(anchor)
    return bool(words.search(title)) if words else anchor in title


# --- offsets --------------------------------------------------------------------------------

_NUMBER = r"(?P<n>\d{1,3}|[一二两三四五六七八九十]{1,3}|半)"
_UNIT = r"(?P<unit>个工作日|工作日|个自然日|自然日|个日历日|日历日|个月|月|个星期|星期|周|年|天|日)"
_AMOUNT = rf"{_NUMBER}\s?{_UNIT}"
_AMOUNT_RE = re.compile(_AMOUNT)
# Between an anchor and 「后/起/满」: 「验收合格」「上线运行」「验收合格并收到发票」.
_FILLER = r"[^，,；;。:：0-9%]{0,10}?"
_REL_OFFSET = re.compile(
    rf"{_ANCHOR}{_FILLER}(?:之日)?(?:起算|算起|起|后的?|满|届满)(?:满|起)?\s?{_AMOUNT}"
)
# Not before a number the offset pattern could not read (「终验起算99999年」): no silent zero.
_REL_ZERO = re.compile(rf"{_ANCHOR}{_FILLER}(?:之日)?(?:后|起)(?!算?\s?满?\s?\d)")
_TERM_WORD = r"(?P<word>质保期|保修期|质量保证期|缺陷责任期|免费维保期|维保期)"
# 「质保期为两年」「质保期（三年）」「质保期3年」「质保期满两年后」「缺陷责任期满一年后」; not
# 「质保期满1个月内」, a span after the period's end
_TERM = re.compile(rf"{_TERM_WORD}(?:为|是|:|\(|满|届满)?\s?{_AMOUNT}(?!内|以内|之内)")
# 「质保期自竣工验收合格之日起算两年」
_TERM_FROM = re.compile(
    rf"{_TERM_WORD}(?:为|是)?(?:自|从|于)?{_ANCHOR}{_FILLER}(?:之日)?(?:起算|算起|起)(?:满)?\s?{_AMOUNT}"
)
# 「质保期满后」「期满后」「质保期（三年）满后」「质保期届满后30日内」
_TERM_END = re.compile(
    rf"(?:{_TERM_WORD}(?:\([^()]{{0,8}}\))?|期)届?满(?:后|之日)?(?:起?的?\s?{_AMOUNT})?"
)
_THEN_AMOUNT = re.compile(rf"(?:后|之后|起)?的?\s?{_AMOUNT}")
_UNITS = {"年": "years", "月": "months", "天": "days", "日": "days", "自然日": "days",
          "日历日": "days", "工作日": "workdays", "周": "weeks", "星期": "weeks"}  # fmt: skip


def _span(match: re.Match[str]) -> dict[str, int]:
    """An amount as RelativeDue fields: 「10个工作日」 -> workdays=10; 「半年」 -> months=6."""
    unit = _UNITS[match["unit"].removeprefix("个")]
    if match["n"] == "半":
        if unit != "years":
            raise ValueError(match[0])
        return {"months": 6}
    n = number(match["n"])
    return {"days": 7 * n} if unit == "weeks" else {unit: n}


def _plus(*spans: dict[str, int]) -> dict[str, int]:
    total: dict[str, int] = {}
    for span in spans:
        for key, value in span.items():
            total[key] = total.get(key, 0) + value
    return total


def number(text: str) -> int:
    """「3」「三」「十」「十二」「二十」「两」 -> int; ValueError for anything else."""
    if text.isdigit():
        return int(text)
    value = chinese_number(text)
    if value is None or value != value.to_integral_value():
        raise ValueError(text)
    return int(value)


@dataclass(frozen=True)
class WarrantyTerms:
    """The warranty periods the whole plan names (「质保期为两年」), by word family: what a
    「质保期满后」 elsewhere is counted by. A family named with two different terms has none."""

    terms: dict[str, tuple[str | None, dict[str, int]] | None]

    def get(self, word: str | None) -> tuple[str | None, dict[str, int]] | None:
        return self.terms.get(_family(word))


def _family(word: str | None) -> str:
    return "缺陷责任期" if word == "缺陷责任期" else "质保期"


def _default_anchor(word: str | None) -> str:
    # 建质〔2017〕138号: the 缺陷责任期 runs from 竣工验收; a goods warranty from acceptance.
    return "竣工验收" if word == "缺陷责任期" else "验收"


def warranty_terms(norm: str) -> WarrantyTerms:
    """Every warranty period the plan names, with the anchor its own sentence names, if any."""
    found: dict[str, set] = {}
    for sentence in re.split(r"[。;；\n]", norm):
        for match in (*_TERM_FROM.finditer(sentence), *_TERM.finditer(sentence)):
            try:
                span = _span(match)
            except (ValueError, KeyError):
                continue
            anchor = _own_anchor(match, sentence)
            key = (anchor, tuple(sorted(span.items())))
            found.setdefault(_family(match["word"]), set()).add(key)
    terms = {
        family: ((next(iter(keys))[0], dict(next(iter(keys))[1])) if len(keys) == 1 else None)
        for family, keys in found.items()
    }
    return WarrantyTerms(terms)


def _own_anchor(term: re.Match[str], norm: str) -> str | None:
    """The anchor a warranty period is counted from: its own (「质保期自终验之日起两年」), else
    one its sentence names (「验收合格后质保期两年」)."""
    if term.re is _TERM_FROM:
        return _ANCHOR_NAMES[term["anchor"]]
    return _explicit_anchor(norm[: term.start()] + norm[term.end() :])


def _explicit_anchor(norm: str) -> str | None:
    """The anchor a sentence names: 「自终验之日起」「验收合格后」."""
    match = ANCHOR_RE.search(norm)
    return _ANCHOR_NAMES[match["anchor"]] if match else None


def relative(norm: str, kind: MilestoneKind, terms: WarrantyTerms) -> RelativeDue | None:
    """「终验起算3年后」 -> RelativeDue("终验", years=3); 「验收合格后」 -> RelativeDue("验收");
    「质保期满后30日内」 -> the plan's 质保期 from its anchor, plus 30 days. None when the clause
    names no anchor, or one whose offset cannot be read: never a guessed date."""
    if kind is MilestoneKind.warranty_release or _TERM_END.search(norm):
        reading = _after_term(norm, terms)
        if reading is not False:
            return reading
    if match := _REL_OFFSET.search(norm):
        extra = _after_amount(norm, match.end())
        return RelativeDue(_last_anchor(match), **_plus(_span(match), extra))
    if match := _REL_ZERO.search(norm):
        # 「合同签订后，采购方在15个工作日内支付」: the span may follow a little further on
        within = _WITHIN.match(norm, match.end())
        return RelativeDue(_last_anchor(match), **(_span(within) if within else {}))
    return None


_WITHIN = re.compile(rf"[^。;；%]{{0,12}}?(?<![\d.]){_AMOUNT}(?:内|以内|之内)")


def _last_anchor(match: re.Match[str]) -> str:
    """The anchor nearest the 「后」: 「设备安装完成并经验收合格后」 counts from 验收."""
    *_, last = ANCHOR_RE.finditer(match[0])  # the match starts with one
    return _ANCHOR_NAMES[last["anchor"]]


def names_term(norm: str) -> bool:
    """Whether a clause names a warranty period (「质保期为两年」「质保期自终验之日起三年」)."""
    return bool(_TERM.search(norm) or _TERM_FROM.search(norm))


def hangs_on_another(norm: str) -> bool:
    """Whether a clause is counted from another milestone or a warranty's end (「验收合格后」
    「质保期满后」): it never takes the date its sentence named for another step."""
    return counts_from_anchor(norm) or bool(_TERM_END.search(norm))


def counts_from_anchor(norm: str) -> bool:
    """Whether the text counts from a named milestone: 「验收合格后」「终验起算3年」."""
    return bool(_REL_OFFSET.search(norm) or _REL_ZERO.search(norm))


def is_condition(norm: str) -> bool:
    """「验收合格后，」「验收合格满1年，」: a part that only says when the next one happens."""
    norm = norm.rstrip(" ，,")
    if re.search(r"(?:后|之后|以后|时|起)$", norm):
        return True
    match = _REL_OFFSET.search(norm)
    return bool(match and match.end() == len(norm))


def _after_amount(norm: str, at: int) -> dict[str, int]:
    """「上线运行满6个月后10个工作日内」: a second amount right after the first adds to it."""
    match = _THEN_AMOUNT.match(norm, at)
    return _span(match) if match else {}


def _after_term(norm: str, terms: WarrantyTerms) -> RelativeDue | None | bool:
    """A release counted from the end of a warranty period; False when the clause names none."""
    own = _TERM_FROM.search(norm) or _TERM.search(norm)
    end = _TERM_END.search(norm)
    if own:
        word, span = own["word"], _span(own)
        named = terms.get(word)  # its sentence may name the anchor the clause does not
        anchor = _own_anchor(own, norm) or (named[0] if named else None)
        extra = {}
        if end and end["n"] and not own.start() <= end.start("n") < own.end():
            # 「质保期（三年）满后30日内」, not the 「两年」 of 「质保期满两年后」 again
            extra = _span(end)
        elif norm.startswith("后", own.end()):  # 「质保期满两年后30日内」
            extra = _after_amount(norm, own.end())
    elif end:
        word = end["word"]
        named = terms.get(word)
        if named is None:
            return None  # 「质保期满后」 and the plan names no single 质保期: the unit says when
        anchor, span = named
        extra = _span(end) if end["n"] else {}
        anchor = anchor or _explicit_anchor(norm[: end.start()] + norm[end.end() :])
    else:
        return False
    return RelativeDue(anchor or _default_anchor(word), **_plus(span, extra))
