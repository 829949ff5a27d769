"""项目实施计划 prose -> proposed milestones (DOMAIN.md, "项目实施计划 → milestones").

Users write the plan as free text. This reads the dates and kinds a person would read in it and
proposes milestones for the 填报人 to confirm or correct; it never decides anything itself. Nothing
is dropped: every piece of text that yields no milestone comes back verbatim in `notes`, and any
input, however broken, gives a `PlanProposal`. Standard library only, no I/O, no clock: the project
year is a parameter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from workflow.milestones.plan_dates import NORM as _NORM
from workflow.milestones.plan_dates import When as _When
from workflow.milestones.plan_dates import first_date as _first_date
from workflow.milestones.plan_dates import when as _when
from workflow.milestones.plan_terms import (
    ANCHOR_KINDS,
    KIND_ORDER,
    PAY_WORDS,
    MilestoneKind,
    RelativeDue,
    WarrantyTerms,
    counts_from_anchor,
    hangs_on_another,
    is_condition,
    kind_of,
    names_anchor,
    names_term,
    relative,
    warranty_terms,
)

__all__ = ["ANCHOR_KINDS", "MilestoneKind", "PlanProposal", "ProposedMilestone", "RelativeDue",
           "contract_amount", "names_anchor", "propose_milestones"]  # fmt: skip


@dataclass(frozen=True)
class ProposedMilestone:
    """One milestone read from the plan, for the 填报人 to confirm."""

    kind: MilestoneKind
    title: str
    start: date | None
    due: date | None
    relative: RelativeDue | None
    percentage: Decimal | None
    source: str


@dataclass(frozen=True)
class PlanProposal:
    """The proposed milestones, and every piece of the plan that gave none (verbatim)."""

    milestones: list[ProposedMilestone]
    notes: list[str]


_PAREN_MARKER = r"[(（]\s?(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s?[)）]"
_MARKER = (
    rf"(?:{_PAREN_MARKER}|\d{{1,2}}\s?(?:、|[.．](?!\d))|[一二三四五六七八九十]{{1,3}}\s?、|[①-⑳])"
)
_LEAD = re.compile(r"^(?:\s|<[^<>]{0,200}>)+")
_MARKER_AT_START = re.compile(rf"^(?:\s|<[^<>]{{0,200}}>)*{_MARKER}\s?")
# Where a line ends: a newline, an HTML line end (the tag stays with its line), an item number
# after punctuation (「；2、」), or a 「(2)」 anywhere: each starts the next numbered item.
_BREAK = re.compile(
    r"\n|<br\s?/?>|</(?:p|li|div|tr|td|h\d)>"
    rf"|(?<=[。;；,，:：\s])(?={_MARKER})|(?<![A-Za-z0-9])(?={_PAREN_MARKER})",
    re.IGNORECASE,
)
_HTML_LINE_END = re.compile(r"(?:<br\s?/?>|</(?:p|li|div|tr|td|h\d)>)\Z", re.IGNORECASE)
_LABEL = re.compile(
    r"(?P<label>阶段目标|建设时间|实施时间|完成时间|计划时间|时间安排|建设内容|实施内容|工作内容"
    r"|主要内容|时间|内容|目标)[ \t\u3000]?[：:\s]"
)
_TERMINAL = "。;；!！?？"
# A sentence keeps the closing quote or tag after its 。: 「…完成。</p>」.
_SENTENCE_END = re.compile(rf"[{_TERMINAL}]+(?:\s?(?:</[^<>]{{1,20}}>|<br\s?/?>|[”’」』)）]))*")
_COMMA = re.compile(r"[，,]")
_MONEY_KINDS = (MilestoneKind.payment, MilestoneKind.warranty_release)
_PERCENT = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d{1,2})?)\s?%")
_ACCEPTED_THEN = re.compile(r"(?:验收|初验|终验)(?:合格|通过|完成)?(?P<after>之?后|并|及)")
# A clause without a date of its own is a step of its own when it starts like one: 「同时完成验收」
# 「并通过验收」「支付合同款」, not 「为招标做好准备」.
_STEP_START = re.compile(
    r"^(?:并|同时|然后|随后|再|及时|之后|后)?(?:完成|组织|开展|进行|通过|启动|签订|签署|支付|付清"
    r"|结清|拨付|退还|返还|办理|按合同约定支付|根据合同约定支付|按照合同约定支付)"
)
_TAGS = re.compile(r"<[^<>]{0,200}>")
_PUNCT = " \t\r\n\u3000：:，,、；;。.！!？?…"
_PREP_BEFORE = re.compile(r"(?:计划|预计|拟|将)?(?:于|在)\s?$")
_AFTER_DATE = re.compile(r"^\s?(?:之前|以前|前(?![期端置台])|之内|以内|为止)")
_BOILERPLATE = re.compile(r"^(?:根据|按照|依据|按)[^，,；;。]{0,12}?(?:约定|流程|规定|要求)(?:的)?")
_JOINER = re.compile(
    r"^(?:(?:付款方式|支付方式|付款安排|付款进度|实施计划|进度安排)[:：]|并且|同时|然后|随后|并)(?=..)"
)
_EMPTY_BRACKETS = re.compile(r"[（(]\s?[)）]|【\s?】|\[\s?\]")
_TITLE_MAX = 40  # long titles are cut at their first comma; the whole text stays in `source`
_TITLE_CUT = re.compile(r"[，,；;]")


def propose_milestones(text: str, *, year: int) -> PlanProposal:
    """Read a 项目实施计划 and propose its milestones; what yields none goes to `notes`."""
    text = text if isinstance(text, str) else ""
    reading = _Reading(year=year, context_year=year, terms=warranty_terms(text.translate(_NORM)))
    milestones: list[ProposedMilestone] = []
    notes: list[str] = []
    for source, lines in _items(text):
        found, unread = _read_item(source, lines, reading)
        milestones += found
        notes += unread
    return PlanProposal(milestones=milestones, notes=notes)


@dataclass
class _Reading:
    """What a reader carries from piece to piece: the project year, the year last named (a
    month written without one takes it), and the warranty periods the whole plan names."""

    year: int
    context_year: int
    terms: WarrantyTerms


# --- items: numbered blocks, dated lines and wrapped paragraphs -----------------------------


def _cut(text: str, ends: Iterable[int]) -> list[tuple[int, int] | None]:
    """`text` cut after each position in `ends`: stripped (start, end) spans, None when blank."""
    cuts = sorted({0, len(text), *ends})
    spans: list[tuple[int, int] | None] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        part = text[a:b]
        if part.strip():
            spans.append((a + len(part) - len(part.lstrip()), a + len(part.rstrip())))
        else:
            spans.append(None)
    return spans


def _parts(pattern: re.Pattern[str], text: str) -> list[str]:
    """The non-blank parts of `text`, cut after each match of `pattern`."""
    return [text[s[0] : s[1]] for s in _cut(text, (m.end() for m in pattern.finditer(text))) if s]


def _items(text: str) -> list[tuple[str, list[str]]]:
    """Group lines into items: (the item's exact text, its lines)."""
    groups: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] | None = None
    dated = False
    for span in _cut(text, (m.end() for m in _BREAK.finditer(text))):
        if span is None:  # a blank line ends the item
            current = None
            continue
        line = text[span[0] : span[1]]
        line_dated = _first_date(line.translate(_NORM)) is not None
        if current is None or _starts_item(line, text, current, dated and line_dated):
            current, dated = [], False
            groups.append(current)
        current.append(span)
        dated = dated or line_dated
    return [(text[g[0][0] : g[-1][1]], [text[a:b] for a, b in g]) for g in groups]


def _starts_item(line: str, text: str, current: list[tuple[int, int]], both_dated: bool) -> bool:
    """Whether `line` begins a new item rather than continuing the current one."""
    if _MARKER_AT_START.match(line):
        return True
    head = _LEAD.sub("", line)
    if _LABEL.match(head):  # 阶段目标/建设时间/建设内容 belong to their numbered block
        return False
    if both_dated:  # two dated lines are two steps
        return True
    first = text[current[0][0] : current[0][1]]
    if _MARKER_AT_START.match(first):  # a numbered item runs until the next number
        return False
    previous = text[current[-1][0] : current[-1][1]]
    if _HTML_LINE_END.search(previous[-8:]):  # 「</p>」 ends a paragraph, never a wrapped line
        return True
    if _TAGS.sub("", previous).rstrip().endswith(tuple(_TERMINAL)):
        return True
    match = _first_date(head.translate(_NORM))
    return match is not None and match.start() == 0  # otherwise a line the PDF wrapped


def _read_item(
    source: str, lines: list[str], reading: _Reading
) -> tuple[list[ProposedMilestone], list[str]]:
    """Milestones of one item and its unread pieces."""
    if len(lines) > 1 and any(_LABEL.match(_LEAD.sub("", line)) for line in lines[1:]):
        pieces = [(source, lines, -1)]
    else:
        sentences = _parts(_SENTENCE_END, source)
        pieces = [(c, h, n) for n, s in enumerate(sentences) for c, h in _clauses(s)]
    found: list[ProposedMilestone] = []
    unread: list[str] = []
    said: dict[int, _When] = {}  # the date each sentence last named: its later clauses' date
    for piece, head, sentence in pieces:
        try:
            if sentence < 0:
                got = _read_block(piece, lines, reading)
            else:
                got, said_when = _read_clause(piece, head, reading, said.get(sentence))
                if said_when:
                    said[sentence] = said_when
        except (ValueError, OverflowError):  # an impossible date: show the text, never guess
            got = []
        found += got
        unread += [] if got else [piece]
    return found, (unread if found else [source])  # keep an unread item whole


def _clauses(sentence: str) -> list[tuple[str, str]]:
    """Cut a sentence at the commas where a new step begins: a clause with its own date, or one
    that starts a step of another kind (「，同时完成验收」「，并支付合同款的30%」). Each clause
    comes with the text its kind is read from: the clause without its purpose parts
    (「，为招标做好准备」 makes no procurement of a 需求调研)."""
    spans: list[list] = []  # start, end, the parts the kind is read from
    content, kind, due = False, MilestoneKind.phase, False  # of the clause being built
    for a, b in filter(None, _cut(sentence, (m.end() for m in _COMMA.finditer(sentence)))):
        part = sentence[a:b]
        norm = part.translate(_NORM)
        match = _first_date(norm)
        part_kind = kind_of(norm)
        if spans and content and _opens_step(norm, match, part_kind, kind, due):
            spans.append([a, b, []])
            content, kind, due = False, MilestoneKind.phase, False
        elif spans:
            spans[-1][1] = b
        else:
            spans.append([a, b, []])
        if not _PURPOSE.match(_body(part, match).strip(_PUNCT)):
            spans[-1][2].append(norm)
            kind = min(kind, part_kind, key=KIND_ORDER.index)
        due = due or _own_due(norm)
        said = bool(_body(part, match).strip(_PUNCT))
        content = content or (said and not is_condition(norm))
    return [(sentence[a:b], "".join(kinds)) for a, b, kinds in spans]


_PURPOSE = re.compile(r"(?:为了?|以便|以|确保|保障|保证|便于)(?!期)")


def _own_due(norm: str) -> bool:
    """A share or a span of its own: 「初验合格后支付40%」."""
    return bool(_PERCENT.search(norm) or counts_from_anchor(norm))


def _opens_step(
    norm: str, match: re.Match[str] | None, kind: MilestoneKind, current: MilestoneKind,
    current_due: bool,
) -> bool:  # fmt: skip
    """Whether a comma-clause starts a step of its own rather than going on with the last one."""
    if match is not None:
        return True  # 「2023年3月完成招标，5月完成合同签订」: each date is a step
    # 「…完成终验，质保期为两年，…」: the warranty period is not the 终验's, nor its kind;
    # 「验收合格满1年，无质量问题，退还履约保证金」 is one release
    warranty = kind is MilestoneKind.warranty_release and current is not kind
    if warranty and (current is not MilestoneKind.phase or names_term(norm)):
        return True
    if kind is MilestoneKind.phase:
        return False  # 「2021年，做好系统运行保障工作，针对…」 goes on with its step
    if kind is current:  # 「初验合格后支付40%，终验合格后支付55%」: two payments
        return current_due and _own_due(norm)
    # 「…，剩余5%质保金于终验起算3年后支付」「…，同时完成验收」, not 「…，为招标做好准备」
    return _own_due(norm) or bool(_STEP_START.match(norm.strip(_PUNCT)))


# --- reading one piece --------------------------------------------------------------------


def _read_clause(
    piece: str, head: str, reading: _Reading, said: _When | None
) -> tuple[list[ProposedMilestone], _When | None]:
    """One clause: at most an acceptance and the payment that follows it. A clause without a
    date of its own takes the date its sentence named before it (「2021年3月完成开发，同时完成
    验收」), unless it hangs on another milestone (「，验收合格后10个工作日内支付」)."""
    norm = piece.translate(_NORM)
    match = _first_date(norm)
    when = _when(match, reading.context_year, reading.year) if match else None
    if when:
        reading.context_year = when.due.year
    body = _body(piece, match)
    kind = kind_of(head)  # the clause's own words, not those of a purpose part
    if when is None and said is not None and not hangs_on_another(norm):
        when = replace(said, start=None)
    if when and kind is MilestoneKind.payment and (pair := _accept_then_pay(body, when, piece)):
        return pair, when
    milestone = _milestone(kind, _title(body), when, norm, piece, reading.terms)
    return ([milestone] if milestone else []), when


def _read_block(source: str, lines: list[str], reading: _Reading) -> list[ProposedMilestone]:
    """A numbered block with 阶段目标/建设时间/建设内容 lines: one milestone."""
    # 建设内容 describes the work, not the step: it names neither the date nor the kind.
    heads = [line for line in lines if not _label(line).endswith("内容")]
    timed = [line for line in heads if "时间" in _label(line)] + heads
    match = next((m for line in timed if (m := _first_date(line.translate(_NORM)))), None)
    when = _when(match, reading.context_year, reading.year) if match else None
    if when:
        reading.context_year = when.due.year
    titles = [lines[0]] if not _label(lines[0]) else []
    titles += [
        _LABEL.sub("", _LEAD.sub("", line), count=1) for line in heads if "目标" in _label(line)
    ]
    titles += [_LABEL.sub("", _LEAD.sub("", line), count=1) for line in lines if line not in heads]
    title = next((t for t in map(_clause_title, titles) if t), "")
    norm = "\n".join(heads).translate(_NORM)
    milestone = _milestone(kind_of(norm), title, when, norm, source, reading.terms)
    return [milestone] if milestone else []


def _label(line: str) -> str:
    match = _LABEL.match(_LEAD.sub("", line))
    return match["label"] if match else ""


def _clause_title(text: str) -> str:
    return _title(_body(text, _first_date(text.translate(_NORM))))


def _accept_then_pay(body: str, when: _When, source: str) -> list[ProposedMilestone] | None:
    """「项目完成初步验收后支付剩余合同款项」「年底完成验收并支付尾款」 are two milestones: the
    acceptance and the payment; 「…验收合格后10个工作日内支付」 counts the payment from it."""
    match = _ACCEPTED_THEN.search(body)
    if not match or not PAY_WORDS.search(body, match.end()):
        return None
    accepted, paid = body[: match.start("after")], body[match.end() :]
    acceptance = _milestone(MilestoneKind.acceptance, _title(accepted), when, "", source)
    later = relative(body[match.start() :].translate(_NORM), MilestoneKind.payment, _NO_TERMS)
    counted = later if later and later != RelativeDue(later.anchor) else None
    payment = _milestone(
        MilestoneKind.payment, _title(paid), None if counted else replace(when, start=None),
        paid.translate(_NORM), source, relative_due=counted,
    )  # fmt: skip
    return [acceptance, payment] if acceptance and payment else None


_NO_TERMS = WarrantyTerms({})


def _milestone(
    kind: MilestoneKind,
    title: str,
    when: _When | None,
    norm: str,
    source: str,
    terms: WarrantyTerms = _NO_TERMS,
    *,
    relative_due: RelativeDue | None = None,
) -> ProposedMilestone | None:
    """The milestone, or None when there is nothing to date it by or nothing to call it."""
    if when is None and relative_due is None:
        relative_due = relative(norm, kind, terms)
        if kind is MilestoneKind.phase and relative_due == RelativeDue(
            relative_due.anchor if relative_due else ""
        ):
            relative_due = None  # a phase hangs on another step only by a stated span
    percentage = _percent(norm) if kind in _MONEY_KINDS else None
    if kind is MilestoneKind.warranty_release and not (PAY_WORDS.search(norm) or percentage):
        return None  # 「质保期为两年」 names a period, not a release: the note shows it
    if not title or not (when or relative_due or percentage is not None):
        return None
    return ProposedMilestone(
        kind=kind,
        title=title,
        start=when.start if when else None,
        due=when.due if when else None,
        relative=relative_due,
        percentage=percentage,
        source=source.strip(),
    )


def _percent(norm: str) -> Decimal | None:
    match = _PERCENT.search(norm)
    if not match:
        return None
    value = Decimal(match[1])
    if not 0 < value <= 100:  # 「支付合同金额的300%」 is a typo the 填报人 must see
        raise ValueError(value)
    return value


# --- titles -------------------------------------------------------------------------------


def _body(piece: str, match: re.Match[str] | None) -> str:
    """The piece without its item number and its date (「于2021年3月前完成」 -> 「完成」)."""
    if match is None:
        return _MARKER_AT_START.sub("", piece, count=1)
    before = _MARKER_AT_START.sub("", piece[: match.start()], count=1)
    after = piece[match.end() :]
    return _PREP_BEFORE.sub("", before, count=1) + _AFTER_DATE.sub("", after, count=1)


def _title(body: str) -> str:
    """A short title from the text: tags, wraps, boilerplate and edge punctuation removed."""
    title = _TAGS.sub("", body)
    title = "".join(line.strip() for line in title.split("\n"))  # no space at a PDF wrap
    title = re.sub(r"\s+", " ", title)
    title = _EMPTY_BRACKETS.sub("", title).strip(_PUNCT)
    title = _BOILERPLATE.sub("", title, count=1).strip(_PUNCT)  # 「根据合同约定」支付尾款
    title = _JOINER.sub("", title, count=1).strip(_PUNCT)  # 「，同时」完成验收
    if len(title) > _TITLE_MAX:
        title = _TITLE_CUT.split(title, maxsplit=1)[0][:_TITLE_MAX].strip(_PUNCT)
    return title


# --- the contract amount ------------------------------------------------------------------

_CONTRACT = re.compile(
    r"合同总?(?:金额|价款|总价|价格|价|额)(?:为|是|约|共计|合计|:|\s){0,3}"
    r"(?P<n>\d{1,3}(?:,\d{3})+(?:\.\d{1,6})?|\d{1,12}(?:\.\d{1,6})?)\s?(?P<unit>万元|万|元)"
)
_MAX_CONTRACT = Decimal(10) ** 9  # 万元: as `workflow.db.MAX_WAN`, far above any project


def contract_amount(text: str) -> Decimal | None:
    """The contract amount (合同金额) the plan names, in 万元: 「合同金额1435万元」「合同总价为
    2,157.53万元」「合同价款1,435,000元」. None when it names none, or names different ones (a
    person must then say which one a share is counted from)."""
    norm = text.translate(_NORM) if isinstance(text, str) else ""
    found: dict[Decimal, Decimal] = {}  # 1435 and 1435.00 are one amount
    for match in _CONTRACT.finditer(norm):
        value = Decimal(match["n"].replace(",", ""))
        if match["unit"] == "元":
            value = (value / 10_000).quantize(Decimal("0.000001"))
        if 0 < value <= _MAX_CONTRACT:
            found.setdefault(value.normalize(), value)
    return next(iter(found.values())) if len(found) == 1 else None
