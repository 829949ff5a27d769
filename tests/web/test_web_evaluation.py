"""The 自评表 page: on every save it shows each row's score, the subtotals, the total and grade,
and the unit's claimed total beside the rules' where they differ. A save it cannot take changes
nothing and shows every value typed, every problem beside its field and, on top, that nothing was
saved; rows are numbered as the messages name them."""

from __future__ import annotations

import io
import re
from html import unescape

from pypdf import PdfReader

from tests.conftest import COMPLETE_EVALUATION
from tests.web.conftest import text_of
from tests.web.pdfs import fetch_pdf
from tests.web.safety import assert_chinese_errors, error_messages, project_dump


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


# Several mistakes in one save, among good values (and a narrative rewritten).
BAD = {
    "budget_initial": "三百五十", "appropriated": "350", "paid": "-3",
    "fund_items-0-actual": "300", "fund_items-1-actual": "五十",
    "indicators-0-actual": "=90%", "indicators-0-claimed": "60",
    "indicators-1-actual": "=200人", "indicators-1-claimed": "24",
    "indicators-2-actual": "96%", "indicators-2-claimed": "22%",
    "indicators-3-explanation": "问卷回收中", "indicators-3-claimed": "-1",
    "implementation": "改写后的实施情况", "budget_notes": "差额为运维尾款",
}  # fmt: skip
SUMMARY = r'<div class="flash error" role="alert" id="problems">(.*?)</div>'
MESSAGES = [
    "「年初预算数」应为数字（单位万元，最多6位小数），现为“三百五十”",
    "「实际支付数」不能为负数",
    "资金构成第2行「实际金额」应为数字（单位万元，最多6位小数），现为“五十”",
    "绩效指标第1行的自评分 60 超过该行权重 6.00，应在 0 到 6.00 之间",
    "绩效指标第3行的自评分按得分填写，不是百分数：最高为该行权重（如权重 6 的行填 0–6）",
    "绩效指标第4行的自评分不能为负数",
]


def _field_messages(page: str, name: str) -> list[str]:
    """The messages shown right after the input named `name`."""
    after = page.split(f'name="{name}"', 1)[1]
    cell = after.split("</td>", 1)[0]
    return [unescape(m) for m in re.findall(r'<p class="problem">(.*?)</p>', cell)]


def test_a_refused_save_keeps_every_value_and_names_every_problem(browser, make, session):
    project, filler = make.evaluating()
    b = browser()
    b.login(filler)
    url = f"/projects/{project.id}/evaluation"
    b.get(url)
    before = project_dump(session, project.id)
    response = b.post(url, {"version": str(project.version), **COMPLETE_EVALUATION, **BAD})
    assert response.status_code == 422
    page = text_of(response)
    summary = re.search(SUMMARY, page, re.S)
    assert "未保存" in summary.group(1) and f"以下 {len(MESSAGES)} 处需要更正" in summary.group(1)
    listed = [unescape(m) for m in re.findall(r'<li><a href="#[^"]+">(.*?)</a></li>',
                                              summary.group(1))]  # fmt: skip
    assert listed == MESSAGES
    for field, message in zip(("budget_initial", "paid", "fund_items-1-actual",
                               "indicators-0-claimed", "indicators-2-claimed",
                               "indicators-3-claimed"), MESSAGES, strict=True):  # fmt: skip
        assert _field_messages(page, field) == [message], field
        assert re.search(rf'id="{field}" name="{field}" value="[^"]*"[^>]*class="invalid"', page)
    for name, value in BAD.items():  # every value as typed, the good ones too
        if name in ("implementation", "budget_notes", "indicators-3-explanation"):
            assert f">{value}</textarea>" in page, name
        else:
            assert f'name="{name}" value="{value}"' in page, name
    assert not any("「「" in m or "」」" in m for m in error_messages(page))
    assert_chinese_errors(page)
    assert project_dump(session, project.id) == before  # nothing saved


def test_rows_are_numbered_as_the_messages_name_them(browser, make):
    project, filler = make.evaluating()
    b = browser()
    b.login(filler)
    page = text_of(b.get(f"/projects/{project.id}/evaluation"))
    numbers = re.findall(r'<tr id="row-(\d+)"[^>]*>\s*<th scope="row" class="num">(\d+)</th>', page)
    assert numbers == [("1", "1"), ("2", "2"), ("3", "3"), ("4", "4")]
    assert 'aria-label="第3行自评分"' in page and 'placeholder="0–22"' in page


def test_after_a_save_the_form_lists_what_still_keeps_it_from_submission(browser, make):
    project, filler = make.evaluating()
    b = browser()
    b.login(filler)
    url = f"/projects/{project.id}/evaluation"
    b.get(url)
    data = {"version": str(project.version), **COMPLETE_EVALUATION, "budget_initial": "350",
            "appropriated": "350", "paid": "350", "indicators-0-actual": "=100%"}  # fmt: skip
    response = b.post(url, data)
    assert response.status_code == 302 and response.location.endswith("?checked=1")
    page = text_of(b.get(response.location))
    summary = re.search(SUMMARY, page, re.S).group(1)
    assert "已保存" in summary
    assert [unescape(m) for m in re.findall(r'<a href="#[^"]+">(.*?)</a>', summary)] == [
        "资金构成第1、2行未填写实际金额", "绩效指标第2–4行未填写实际完成值，也未说明原因",
    ]  # fmt: skip
    # Beside every row it names.
    for n in (1, 2, 3):
        assert _field_messages(page, f"indicators-{n}-actual") == [
            "绩效指标第2–4行未填写实际完成值，也未说明原因"]  # fmt: skip


def test_a_stale_page_keeps_what_was_typed_and_shows_what_differs(browser, make, session,
                                                                  clock):  # fmt: skip
    from workflow.evaluation import operations as ops
    from workflow.uow import UnitOfWork

    project, filler = make.evaluating()
    opened = project.version
    ops.save_evaluation(UnitOfWork(session), project, {**COMPLETE_EVALUATION, "paid": "340"},
                        actor=filler, now=clock.now(), expected_version=None)  # fmt: skip
    b = browser()
    b.login(filler)
    url = f"/projects/{project.id}/evaluation"
    b.get(url)
    typed = {**COMPLETE_EVALUATION, "paid": "345", "indicators-0-actual": "=95%"}
    response = b.post(url, {"version": str(opened), **typed})
    assert response.status_code == 409
    page = text_of(response)
    assert "未保存" in page and "<td>实际支付数</td><td>340</td><td>345</td>" in page
    assert 'name="paid" value="345"' in page and 'name="indicators-0-actual" value="=95%"' in page
    session.expire_all()
    assert f'name="version" type="hidden" value="{project.version}"' in page
    response = b.post(url, {"version": str(project.version), **typed})  # having read it
    assert response.status_code == 302


def test_under_the_national_template_the_budget_row_is_shown_unnumbered(browser, make, session,
                                                                        clock, db):  # fmt: skip
    """财预〔2020〕10号 adds 预算执行率 as a row of its own, scored from the money: the form shows
    it after the numbered rows, and the print view and PDF list it too."""
    from workflow.evaluation.choice import set_template_choice
    from workflow.org.models import Role
    from workflow.uow import UnitOfWork

    project, filler = make.evaluating()
    set_template_choice(UnitOfWork(session), unit_id=None, year=project.year, template="national",
                        actor=make.user(Role.admin), now=clock.now())  # fmt: skip
    b = browser()
    b.login(filler)
    page = text_of(b.get(f"/projects/{project.id}/evaluation"))
    computed = re.search(r'<tr class="computed">(.*?)</tr>', page, re.S).group(1)
    assert '<th scope="row" class="num">—</th>' in computed and "预算执行率" in computed
    assert 'placeholder="不计分"' in page  # 投入 is not scored by indicators there
    printed = text_of(b.get(f"/projects/{project.id}/evaluation/print"))
    assert printed.count('<tr class="indicator') == 5 + 1  # four rows, the budget row, the head
    pdf = fetch_pdf(b, f"/projects/{project.id}/evaluation.pdf", db, clock)
    text = "".join("".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "项目支出绩效自评表" in text and "预算执行率" in text
