"""The 自评表 as a 填报人 fills it: several mistakes typed at once are all reported at once, each
beside its field and in a summary saying nothing was saved, with every value kept; corrected,
the form saves, 自评分 in points out of the row's 权重. Then the print view, laid out like the
paper form. Screenshots at 1440 and 1024 pixels wide, and of the print view."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.e2e.pages import expect, tab
from workflow.evaluation import operations as ops
from workflow.evaluation.models import SelfEvaluation
from workflow.projects.models import Project

pytestmark = pytest.mark.timeout(300)

# What the 填报人 types first: four mistakes among good values.
TYPED = {
    "年初预算数": "三百五十",  # not a number
    "财政拨款数": "350",
    "实际支付数": "340",
    "第1行实际金额": "290",
    "第2行实际金额": "5O",  # a letter O for a zero
    "第1行实际完成值": "=90%",
    "第1行自评分": "60",  # a percentage of the row's 权重 6, not points
    "第2行实际完成值": "=200人",
    "第2行自评分": "24",
    "第3行实际完成值": "96%",
    "第3行自评分": "-2",
    "第4行实际完成值": "好",
    "第4行说明": "问卷调查 512 份",
    "项目实施情况": "平台按计划建成并上线运行。",
}
FIXES = {"年初预算数": "350", "第2行实际金额": "50", "第1行自评分": "3", "第3行自评分": "22"}
MESSAGES = [
    "「年初预算数」应为数字（单位万元，最多6位小数），现为“三百五十”",
    "资金构成第2行「实际金额」应为数字（单位万元，最多6位小数），现为“5O”",
    "绩效指标第1行的自评分 60 超过该行权重 6.00，应在 0 到 6.00 之间",
    "绩效指标第3行的自评分不能为负数",
]


@pytest.fixture
def evaluating(make):
    project, filler = make.evaluating()
    return project, filler


def _fill(page, values: dict[str, str]) -> None:
    for label, value in values.items():
        page.get_by_label(label, exact=True).fill(value)


def _values(page, labels) -> dict[str, str]:
    return {label: page.get_by_label(label, exact=True).input_value() for label in labels}


@pytest.mark.parametrize("width", [1440, 1024])
def test_every_mistake_at_once_then_corrected(people, evaluating, session, width):
    project, filler = evaluating
    person = people(f"填报人-{width}", viewport={"width": width, "height": 900})
    person.login(filler.username)
    page = person.open(f"/projects/{project.id}?tab=evaluation")
    tab(page, "自评表").locator(".tab-tools").get_by_role("link", name="填写自评表").click()
    expect(page.locator("table.evaluation tfoot")).to_contain_text("尚未填写，暂无得分")
    expect(page.locator("table.evaluation tfoot")).not_to_contain_text("等级")
    person.shot("空白自评表")

    _fill(page, TYPED)
    page.get_by_role("button", name="保存").click()
    summary = page.locator(".flash.error")
    expect(summary).to_contain_text("未保存")
    expect(summary).to_contain_text(f"以下 {len(MESSAGES)} 处需要更正")
    expect(summary.locator("li")).to_have_text(MESSAGES)
    for message in MESSAGES:  # beside its field too
        expect(page.locator("form p.problem").filter(has_text=message)).to_have_count(1)
    expect(page.get_by_label("第1行自评分", exact=True)).to_have_class("invalid")
    assert _values(page, TYPED) == TYPED  # nothing typed is lost
    person.shot("一次列出全部问题")
    session.rollback()
    assert session.get(SelfEvaluation, project.id).budget_initial == Decimal(350)  # as before
    assert session.get(Project, project.id).version == project.version  # nothing saved

    summary.get_by_role("link", name=MESSAGES[2]).click()  # the summary leads to the field
    assert page.url.endswith("#indicators-0-claimed")
    expect(page.get_by_label("第1行自评分", exact=True)).to_be_in_viewport()

    _fill(page, FIXES)
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".flash.success")).to_contain_text("自评表已保存")
    # Saved, with what still keeps it from being submitted: the 10 万元 not paid, unexplained.
    remaining = page.locator(".flash.error li")
    expect(remaining).to_have_text(["资金结余结转数 10 与结转数加财政收回数 0 不一致，"
                                    "请在「差异说明」中说明原因"])  # fmt: skip
    assert _values(page, TYPED) == {**TYPED, **FIXES}
    expect(page.locator("table.evaluation tfoot")).to_contain_text("等级：")
    # Under each score, how the engine read the actual.
    expect(page.locator("table.evaluation td.score span.reading")).to_have_text([
        "读作 90%，目标 =100%，得3分", "读作 200人，目标 =200人，满分",
        "读作 96%，目标 ≥95%，满分", "读作 等级“好”，满分",
    ])  # fmt: skip
    person.shot("更正后保存")

    session.rollback()  # a fresh snapshot: the server saved in its own session
    claims = [i.claimed for i in ops.indicators_of(session, project)]
    assert claims == [Decimal(3), Decimal(24), Decimal(22), None]


def test_the_print_view_is_the_paper_form(people, evaluating, session, clock):
    from tests.web.test_evaluation_exports import SEED_003
    from workflow.uow import UnitOfWork

    project, filler = evaluating
    ops.save_evaluation(UnitOfWork(session), project, SEED_003, actor=filler, now=clock.now(),
                        expected_version=None)  # fmt: skip
    person = people("填报人-打印", viewport={"width": 1024, "height": 900})
    person.login(filler.username)
    page = person.open(f"/projects/{project.id}/evaluation")
    page.get_by_role("link", name="打印视图").click()
    paper = page.locator("table.evaluation-paper")
    expect(paper.locator("caption")).to_have_text("苏州市级财政支出项目绩效自评表")
    expect(paper).to_contain_text("项目绩效实现情况（80分）")
    rows = paper.locator("tr.indicator")
    expect(rows).to_have_count(4)
    expect(rows.first).to_contain_text("预算执行率")
    expect(rows.first.locator("td").nth(0)).to_have_text("1")
    expect(paper.locator("tr.total")).to_contain_text("等级：")
    expect(page.locator("section.paper-flags")).to_contain_text("第1行「预算执行率」规则得分 3.00")
    person.shot("打印视图")
    page.emulate_media(media="print")
    expect(page.locator(".hidden-print")).to_be_hidden()
    person.shot("打印视图-打印样式")
