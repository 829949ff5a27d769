"""The 项目实施计划 reader against tests/corpus/plans.yaml (issue 15, part 2): every sentence
read as a careful person reads it, and properties over generated plans."""

import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.unit.test_plan import ALPHABET, assert_well_formed
from workflow.milestones.plan import PlanProposal, RelativeDue, propose_milestones

CORPUS = yaml.safe_load(
    (Path(__file__).parents[1] / "corpus" / "plans.yaml").read_text(encoding="utf-8")
)
_UNITS = (("years", "年"), ("months", "个月"), ("days", "天"), ("workdays", "个工作日"))


def after(relative: RelativeDue) -> str:
    """「终验+3年」「验收+10个工作日」「验收」: a relative due as the corpus writes it."""
    span = "".join(f"{getattr(relative, f)}{u}" for f, u in _UNITS if getattr(relative, f))
    return f"{relative.anchor}+{span}" if span else relative.anchor


def reading(proposal: PlanProposal) -> tuple[list[dict], list[str]]:
    milestones = []
    for m in proposal.milestones:
        row = {"kind": m.kind.value, "title": m.title}
        row |= {"start": m.start.isoformat()} if m.start else {}
        row |= {"due": m.due.isoformat()} if m.due else {}
        row |= {"after": after(m.relative)} if m.relative else {}
        row |= {"share": str(m.percentage)} if m.percentage is not None else {}
        milestones.append(row)
    return milestones, proposal.notes


def test_the_corpus_is_big_enough():
    assert len(CORPUS) >= 80
    assert sum(bool(e["notes"]) for e in CORPUS) >= 5  # the reader says when it is unsure


@pytest.mark.parametrize(
    "entry", CORPUS, ids=[f"{i:02d}-{e['style']}" for i, e in enumerate(CORPUS)]
)
def test_corpus_sentence_reads_as_a_careful_person_reads_it(entry):
    proposal = propose_milestones(entry["text"], year=entry["year"])
    assert reading(proposal) == (entry["milestones"], entry["notes"])
    assert_well_formed(entry["text"], proposal)


# --- properties -------------------------------------------------------------------------------

_PLAN_WORDS = [
    *ALPHABET, "第一季度", "一季度末", "Q1", "Q4", "上半年", "下半年", "年初", "年中", "年底前",
    "年内", "本年度", "次年", "2023.03", "2023-03", "2023.6.30", "3月底前", "6月30日前", "3-5月",
    "合同签订后", "15日内", "10个工作日内", "验收合格后", "上线运行满", "6个月后", "质保期为两年",
    "质保期满后", "质保期（三年）满后", "缺陷责任期满一年后", "终验起算2年", "到货", "安装调试",
    "试运行", "审计", "竣工验收", "签订合同", "支付合同金额的30%", "剩余5%质保金", "同时", "并",
    "为", "付款方式：", "半年", "2周", "。", "；", "，",
]  # fmt: skip
_YEAR_IN_TEXT = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")


def _text_years(text: str, year: int) -> set[int]:
    """The years a plan may date a milestone in: those it names and the project year, each with
    the year after (「11月-2月」 runs into it, 「次年」 names it)."""
    named = {
        int(y)
        for y in _YEAR_IN_TEXT.findall(
            text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
        )
    }
    base = named | {year}
    return (
        base | {y + 1 for y in base} | {y + n for y in base for n in range(2, 4) if "次年" in text}
    )


plans = st.lists(st.sampled_from(_PLAN_WORDS), max_size=40).map("".join)
years = st.sampled_from([2020, 2021, 2022, 2023, 2024])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(plans, st.text(max_size=200)), year=years)
def test_a_reader_never_raises_and_never_drops_text(text, year):
    assert_well_formed(text, propose_milestones(text, year=year))


@settings(max_examples=400, deadline=None)
@given(text=plans, year=years)
def test_a_reader_never_dates_a_milestone_outside_the_texts_own_years(text, year):
    allowed = _text_years(text, year)
    for m in propose_milestones(text, year=year).milestones:
        for day in (m.start, m.due):
            assert day is None or (isinstance(day, date) and day.year in allowed), (text, m)
