"""The read-only 申报表 (project page, print view) says how each 目标值 is read where it matters
to the reviewer: 越低越好 (and whether the unit chose it), and 无法识别 with the 待核实事项 listed
after the form, never blocking."""

from __future__ import annotations

import re

from tests.web.conftest import text_of
from workflow.declaration.models import Declaration
from workflow.org.models import Role


def _notes(page: str) -> list[str]:
    rows = re.findall(r"<table class=\"inner indicators\">.*?<tbody>(.*?)</tbody>", page, re.S)[0]
    cells = re.findall(r"<tr><td>.*?</td><td class=\"text\">.*?</td><td>.*?</td><td>(.*?)</td>",
                       rows, re.S)  # fmt: skip
    return [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cells]


def test_the_reviewer_sees_direction_and_unreadable_targets_under_each_target(
    make, session, browser
):
    unit = make.unit()
    filler = make.user(Role.filler, unit=unit)
    project = make.project(unit, state="declared", creator=filler, submitted_by=filler,
                           last_by=make.user(Role.unit_head, unit=unit))  # fmt: skip
    rows = session.get(Declaration, project.id).indicators
    rows[1].name, rows[1].target = "有效投诉次数", "≤3次"  # read as lower from its operator
    rows[2].direction = "lower"  # chosen on the form
    rows[3].target = "100%200%"  # a number the reader cannot place
    session.commit()
    reviewer = browser()
    reviewer.login(make.user(Role.reviewer))
    for url in (
        f"/projects/{project.id}?tab=declaration",
        f"/projects/{project.id}/declaration/print",
    ):
        page = text_of(reviewer.get(url))
        assert _notes(page) == [
            "=100%",
            "≤3次 越低越好",
            "≥95% 越低越好（单位选定）",
            "100%200% 无法识别，由审核人判定",
        ], url
        assert "待核实事项（1）" in page
        assert "分解目标第4行：目标值“100%200%”" in page
