"""目标值 as units in many provinces write them (tests/corpus/targets.tsv, see its README): the
reader gives each the reading a careful person gives, and never raises nor drops text."""

from __future__ import annotations

import csv
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workflow.declaration import targets
from workflow.declaration.targets import Kind, Target, read_target

CORPUS = Path(__file__).parents[1] / "corpus" / "targets.tsv"
COLUMNS = ("indicator", "target", "kind", "operator", "value", "upper", "unit", "direction",
           "change", "note")  # fmt: skip


def _rows() -> list[dict[str, str]]:
    lines = [
        line
        for line in CORPUS.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    rows = list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert rows and tuple(rows[0]) == COLUMNS
    return rows


ROWS = _rows()


def test_the_corpus_is_large_and_covers_every_kind():
    kinds = Counter(row["kind"] for row in ROWS)
    assert len(ROWS) >= 200
    assert set(kinds) == {"numeric", "range", "change", "qualitative", "unreadable"}
    assert len({row["target"] for row in ROWS}) >= 200


def _reading(target: Target, kind: str) -> dict[str, str]:
    shown = {"kind": str(target.kind), "direction": str(target.direction)}
    if kind in ("qualitative", "unreadable"):
        return shown
    return shown | {
        "operator": str(target.operator) if target.value is not None else "",
        "value": "" if target.value is None else f"{target.value:f}",
        "upper": "" if target.upper is None else f"{target.upper:f}",
        "unit": target.unit,
        "change": f"{target.baseline}{target.change}",
        "note": target.note,
    }


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['indicator']}:{r['target']}" for r in ROWS])
def test_every_corpus_target_reads_as_a_careful_person_would(row):
    target = read_target(row["target"], row["indicator"])
    expected = {key: row[key] for key in _reading(target, row["kind"])}
    if expected.get("value"):
        expected["value"] = f"{Decimal(expected['value']):f}"
    assert _reading(target, row["kind"]) == expected
    assert target.raw == row["target"]
    if target.kind is Kind.unreadable:
        assert f"“{row['target']}”" in target.message and "由审核人判定" in target.message
    if target.kind is Kind.qualitative:
        assert target.word


_TEXT = st.one_of(
    st.text(max_size=60),
    st.lists(
        st.sampled_from([row["target"] for row in ROWS] + ["≥", "以上", "（含）", "-", " ", "%",
                                                            "万元", "提高", "同比", "0", "5"]),
        max_size=4,
    ).map("".join),
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(text=_TEXT, name=st.text(max_size=12), direction=st.sampled_from(["", "higher", "lower"]))
def test_the_reader_never_raises_and_never_drops_text(text, name, direction):
    target = read_target(text, name, direction)
    assert target.raw == text
    assert isinstance(target.kind, Kind)
    if target.kind is Kind.empty:
        assert not text.strip()
        return
    assert text.strip(), "only a blank text is empty"
    if not target.readable:
        assert target.message
    # What the reading shows keeps every letter and digit of what was typed, except the operator
    # words it turned into a symbol (以上 → ≥) and the fillers before a number (达到, 控制在).
    if target.kind in (Kind.qualitative, Kind.unreadable):
        assert target.word and set(target.word) <= set(targets._normalize(text) + "=")
    if direction:
        assert target.direction == direction or not target.readable


@settings(max_examples=300, deadline=None)
@given(text=_TEXT)
def test_a_reading_shown_reads_back_the_same(text):
    target = read_target(text)
    if not target.readable or target.kind is Kind.qualitative:
        return
    again = read_target(str(target))
    fields = ("kind", "operator", "value", "upper", "unit", "change", "baseline", "direction")
    assert [getattr(again, f) for f in fields] == [getattr(target, f) for f in fields]


@pytest.mark.parametrize(
    ("name", "raw", "chosen", "expected"),
    [("业务系统投诉率", "=5%", "", "lower"), ("业务系统投诉率", "=5%", "higher", "higher"),
     ("培训人数", "=200人", "lower", "lower"), ("资金节约率", "15%及以下", "higher", "higher"),
     ("满意度", "≥90%", "", "higher"), ("满意度", "≥90%", "bogus", "higher")],
)  # fmt: skip
def test_the_form_can_override_the_direction(name, raw, chosen, expected):
    assert read_target(raw, name, chosen).direction == expected


def test_the_direction_chosen_on_the_form_is_kept():
    from workflow.declaration.form import apply_form, to_form
    from workflow.declaration.models import Declaration
    from workflow.demo import seed_form_data

    data = seed_form_data("002")
    data["indicators"][0]["direction"] = "越低越好"
    data["indicators"][1]["direction"] = "higher"
    data["indicators"][2]["direction"] = "乱填"
    declaration = Declaration()
    apply_form(declaration, data)
    assert [i.direction for i in declaration.indicators[:4]] == ["lower", "higher", "", ""]
    back = to_form(declaration)["indicators"]
    assert back[0]["direction"] == "lower" and "direction" not in back[3]
