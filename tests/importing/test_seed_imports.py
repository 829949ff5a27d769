"""The five seed extracts through the importer (issue 18), measured against the forms typed in by
hand (workflow/declaration/seed_forms.py): every field a careful person reads, counted.

Where the importer stands is held as a floor that only rises (issue 18 asks 98 % of each; what
is still short is said in the issue's notes): the tab-separated extract (002) is read whole, the
Markdown extract with tables cut apart (001) nearly; the indicator rows of the PDF text extracts
(000, 004: cells broken over lines, 004 out of order) are not read yet.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.importing.measure import score
from workflow.declaration.seed_forms import SEED_FORMS
from workflow.demo.forms import seed_form_data
from workflow.imports import grid
from workflow.imports.declaration import read_declaration

SEEDS = Path(__file__).parents[2].parent / "shared" / "seeds"
#: seed -> the share of its fields the importer must recover (rises as the importer does)
FLOORS = {"002": 1.0, "000": 0.21, "001": 0.90, "004": 0.02}
#: seed -> how many values the importer may read where the form has none (falls likewise)
CEILINGS = {"002": 0, "000": 0, "001": 0, "004": 1}
#: the fields outside the indicator table, which every seed but the badly ordered 004 gives
SCALAR_FLOORS = {"002": 1.0, "000": 1.0, "001": 0.86}


def _read(seed: str):
    path = next(SEEDS.glob(f"{seed}_*.txt"), None)
    if path is None:
        pytest.skip("../shared/seeds is not beside the checkout")
    reading = read_declaration(grid.read(path.read_bytes(), path.name))
    expected = seed_form_data(seed) | {"unit_name": SEED_FORMS[seed]["unit_name"]}
    return expected, reading.data | {"unit_name": reading.unit_name}, reading


@pytest.mark.parametrize("seed", sorted(FLOORS))
def test_each_seed_recovers_at_least_its_floor(seed):
    expected, got, _ = _read(seed)
    result = score(expected, got)
    assert result.total > 100  # every field counted, the indicators' cells included
    assert result.share >= FLOORS[seed], result.misses[:10]
    assert len(result.spurious) <= CEILINGS[seed], result.spurious


@pytest.mark.parametrize("seed", sorted(SCALAR_FLOORS))
def test_the_fields_outside_the_indicators(seed):
    expected, got, _ = _read(seed)
    result = score(expected, got, ignore=("indicators",))
    assert result.share >= SCALAR_FLOORS[seed], result.misses


def test_nothing_read_is_lost():
    """Every text of the extract is placed or listed as unplaced: none disappears."""
    for seed in sorted(FLOORS):
        path = next(SEEDS.glob(f"{seed}_*.txt"), None)
        if path is None:
            pytest.skip("../shared/seeds is not beside the checkout")
        document = grid.read(path.read_bytes(), path.name)
        reading = read_declaration(document)
        kept = " ".join(f.source for f in reading.found) + " ".join(t for _, t in reading.unplaced)
        kept = "".join(kept.split())
        for text in grid.iter_texts(document):
            for word in text.split():  # a text line's words are cells of their own
                if len(word) >= 4 and not _labels_only(word):
                    assert word in kept, (seed, word, text)


def _labels_only(text: str) -> bool:
    """A label, or a piece of one a PDF broke over lines (「据（相关批」): nothing to place."""
    from workflow.imports import declaration as d

    if (d.label_of(text)[0] is not None and not d.label_of(text)[1]) or d.is_section(text):
        return True
    if d._only_brackets(text):  # a label's note: 「（万元）」
        return True
    tables = (d.INDICATOR_HEADINGS, d.ITEM_HEADINGS, d.SOURCE_HEADINGS, d.SOURCE_ROWS)
    headings = [h for table in tables for names in table.values() for h in names]
    if any(d.key(text) == d.key(h) or d.key(text).startswith(d.key(h)) for h in headings):
        return True
    labels = " ".join(d.key(x) for names in d.SCALARS.values() for x in names)
    labels += (
        " " + " ".join(d.key(x) for x in d.SECTIONS) + " 相关批文名称 详细列出各子项目名称和金额"
    )
    return bool(d.key(text)) and d.key(text) in labels
