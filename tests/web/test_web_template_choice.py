"""评分模板 page: the admin lists, adds and deletes rules; nobody else gets in; bad input is
refused in Chinese and saves nothing; the evaluation page names the template that scores it."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import func, select

from tests.web.conftest import text_of
from workflow.audit.models import AuditEvent
from workflow.evaluation.models import ScoringTemplateChoice
from workflow.evaluation.templates import load_template
from workflow.org.models import Role

PAGE = "/admin/scoring-templates"
NATIONAL = load_template("national").label
SUZHOU = load_template("suzhou").label


@pytest.fixture
def people(make):
    unit = make.unit("苏州市公安局")
    return {
        "unit": unit,
        "admin": make.user(Role.admin, name="管理员"),
        "filler": make.user(Role.filler, unit=unit),
        "head": make.user(Role.unit_head, unit=unit),
        "reviewer": make.user(Role.reviewer),
    }


def _rules(session) -> list[tuple]:
    session.rollback()
    session.expire_all()
    rows = session.scalars(select(ScoringTemplateChoice).order_by(ScoringTemplateChoice.id))
    return [(r.unit_id, r.year, r.template) for r in rows]


def _admin(browser, people):
    b = browser()
    b.login(people["admin"])
    b.get(PAGE)
    return b


def test_admin_adds_and_deletes_a_rule(browser, people, session):
    b = _admin(browser, people)
    page = text_of(b.get(PAGE))
    assert f'href="{PAGE}">评分模板</a>' in page  # in the admin's navigation
    assert f"尚无规则：所有项目按默认的「{SUZHOU}」评分" in page
    assert f'<option value="national">{html.escape(NATIONAL)}</option>' in page
    unit = people["unit"]
    added = b.post(PAGE, {"unit_id": str(unit.id), "year": "2026", "template": "national"})
    assert added.status_code == 302
    assert _rules(session) == [(unit.id, 2026, "national")]
    listed = text_of(b.get(PAGE))
    assert "评分模板规则已添加" in listed
    assert f"<td>苏州市公安局</td>\n    <td>2026年度</td>\n    <td>{NATIONAL}</td>" in listed
    year_only = b.post(PAGE, {"unit_id": "", "year": "2027", "template": "suzhou"})
    assert year_only.status_code == 302
    assert _rules(session)[1] == (None, 2027, "suzhou")
    rule_id = session.scalar(select(ScoringTemplateChoice.id).where(
        ScoringTemplateChoice.year == 2026))  # fmt: skip
    deleted = b.post(f"{PAGE}/{rule_id}/delete")
    assert deleted.status_code == 302
    assert _rules(session) == [(None, 2027, "suzhou")]
    assert "评分模板规则已删除" in text_of(b.get(PAGE))
    assert b.post(f"{PAGE}/{rule_id}/delete").status_code == 404  # gone already
    actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
    assert actions == ["set_scoring_template", "set_scoring_template", "delete_scoring_template"]


@pytest.mark.parametrize("who", ["filler", "head", "reviewer"])
def test_everyone_else_gets_403_and_changes_nothing(browser, people, session, make, clock, who):
    rule = ScoringTemplateChoice(unit_id=None, year=2026, template="suzhou", set_at=clock.now())
    session.add(rule)
    session.commit()
    b = browser()
    b.login(people[who])
    b.get("/projects")
    assert b.get(PAGE).status_code == 403
    assert f'href="{PAGE}"' not in text_of(b.get("/projects"))
    form = {"unit_id": "", "year": "2030", "template": "national"}
    assert b.post(PAGE, form).status_code == 403
    assert b.post(f"{PAGE}/{rule.id}/delete").status_code == 403
    assert _rules(session) == [(None, 2026, "suzhou")]


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"year": "2026", "template": "atlantis"}, "评分模板「atlantis」不存在"),
        ({"year": "2026", "template": ""}, "请选择评分模板"),
        ({"year": "1999", "template": "national"}, "「年度」应为 2000–2100 之间的年份"),
        ({"year": "3000", "template": "national"}, "「年度」应为 2000–2100 之间的年份"),
        ({"year": "明年", "template": "national"}, "「年度」应为 2000–2100 之间的年份"),
        ({"unit_id": "x", "year": "", "template": "national"}, "所选单位不存在"),
        ({"unit_id": "999999", "year": "", "template": "national"}, "所选单位不存在"),
        ({"year": "", "template": "national"}, "请选择单位或年度"),
        ({"year": "2025", "template": "suzhou"},
         "2025年度（所有单位）已有评分模板规则；如需更改，请先删除原规则"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_in_chinese_and_saves_nothing(browser, people, session, form, message):
    b = _admin(browser, people)
    assert b.post(PAGE, {"year": "2025", "template": "national"}).status_code == 302
    before = _rules(session)
    events = session.scalar(select(func.count()).select_from(AuditEvent))
    response = b.post(PAGE, form)
    assert response.status_code == 422
    page = text_of(response)
    assert message in page and "填写的内容有误，未保存" in page
    assert _rules(session) == before
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == events


def test_the_evaluation_page_names_the_template(browser, people, make, session, clock):
    project = make.project(people["unit"], state="evaluating", creator=people["filler"])
    b = browser()
    b.login(people["filler"])
    url = f"/projects/{project.id}/evaluation"
    assert f'评分模板：<strong class="scoring-template">{SUZHOU}</strong>' in text_of(b.get(url))
    session.add(ScoringTemplateChoice(unit_id=people["unit"].id, year=None, template="national",
                                      set_at=clock.now()))  # fmt: skip
    session.commit()
    assert f'评分模板：<strong class="scoring-template">{NATIONAL}</strong>' in text_of(b.get(url))
