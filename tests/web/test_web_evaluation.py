"""The 自评表 page: on every save it shows each row's score, the subtotals, the total and grade,
and the unit's claimed total beside the rules' where they differ."""

from __future__ import annotations

import re

from tests.conftest import COMPLETE_EVALUATION
from tests.web.conftest import text_of


def test_the_form_shows_subtotals_total_grade_and_the_differing_claim(browser, make):
    project, filler = make.evaluating()
    b = browser()
    b.login(filler)
    url = f"/projects/{project.id}/evaluation"
    b.get(url)
    # Seed 003's case on 预算执行率 (=90% of =100%: 3 of 6, claimed 4); the rest met and claimed.
    data = {"version": str(project.version), **COMPLETE_EVALUATION,
            "indicators-0-actual": "=90%", "indicators-0-claimed": "4",
            "indicators-1-actual": "=200人", "indicators-1-claimed": "24",
            "indicators-2-actual": "96%", "indicators-2-claimed": "22",
            "indicators-3-actual": "92%", "indicators-3-claimed": "8"}  # fmt: skip
    assert b.post(url, data).status_code == 302
    page = text_of(b.get(url))
    foot = re.search(r'<tfoot class="score-total">(.*?)</tfoot>', page, re.S).group(1)
    assert "投入 3.00、产出 24.00、结果 22.00、影响力 8.00" in foot
    assert ">80<" in foot  # the template's points
    assert ">57.00<" in foot and ">58.00<" in foot  # the rules' total, the unit's claim
    assert "与规则得分不一致" in foot
    assert "等级：" in foot
    assert "苏州" in page  # the template that scored it is named
