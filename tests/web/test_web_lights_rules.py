"""预警规则 page (issue 17): the admin lists the shipped lights files, adds and deletes rules per
unit and/or year as for the scoring templates; nobody else gets in; bad input is refused in
Chinese and saves nothing; the reviewer's 开展监控 form offers 「按单位和年度的预警规则」 first."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.web.conftest import text_of
from workflow.monitoring import lights
from workflow.monitoring.models import LightsRuleChoice
from workflow.org.models import Role

PAGE = "/admin/lights-rules"
STRICT = lights.load_rules("strict").label


@pytest.fixture
def people(make):
    unit = make.unit("苏州市公安局")
    return {"unit": unit, "admin": make.user(Role.admin), "reviewer": make.user(Role.reviewer),
            "filler": make.user(Role.filler, unit=unit)}  # fmt: skip


def _rules(session) -> list[tuple]:
    session.rollback()
    session.expire_all()
    rows = session.scalars(select(LightsRuleChoice).order_by(LightsRuleChoice.id))
    return [(r.unit_id, r.year, r.rules) for r in rows]


def test_admin_adds_and_deletes_a_rule(browser, people, session):
    b = browser()
    b.login(people["admin"])
    page = text_of(b.get(PAGE))
    assert f'href="{PAGE}">预警规则</a>' in page  # in the admin's navigation
    assert "尚无规则：所有监控表按默认的「全国通用预警规则」计算预警灯" in page
    assert "strict.yaml" in page and "红灯 低于 70%；黄灯 低于 90%；绿灯 其余" in page
    unit = people["unit"]
    assert b.post(PAGE, {"unit_id": str(unit.id), "year": "", "rules": "strict"}).status_code == 302
    assert _rules(session) == [(unit.id, None, "strict")]
    listed = text_of(b.get(PAGE))
    assert "预警规则已添加" in listed
    assert f"<td>苏州市公安局</td>\n    <td>所有年度</td>\n    <td>{STRICT}</td>" in listed
    refused = b.post(PAGE, {"unit_id": str(unit.id), "year": "", "rules": "national"})
    assert refused.status_code == 422
    assert "「苏州市公安局」（所有年度）已有预警规则；如需更改，请先删除原规则" in text_of(refused)
    refused = b.post(PAGE, {"unit_id": "", "year": "", "rules": "../national"})
    assert refused.status_code == 422 and "预警规则「../national」不存在" in text_of(refused)
    assert _rules(session) == [(unit.id, None, "strict")]
    rule_id = session.scalar(select(LightsRuleChoice.id))
    assert b.post(f"{PAGE}/{rule_id}/delete").status_code == 302
    assert _rules(session) == [] and "预警规则已删除" in text_of(b.get(PAGE))
    assert b.post(f"{PAGE}/{rule_id}/delete").status_code == 404


@pytest.mark.parametrize("who", ["reviewer", "filler"])
def test_everyone_else_gets_403(browser, people, session, who):
    b = browser()
    b.login(people[who])
    assert b.get(PAGE).status_code == 403
    b.get("/")
    assert b.post(PAGE, {"unit_id": "", "year": "2026", "rules": "strict"}).status_code == 403
    assert _rules(session) == []


def test_the_round_form_offers_the_rules_first(browser, people):
    b = browser()
    b.login(people["reviewer"])
    page = text_of(b.get("/monitoring/new"))
    assert (
        '<option value="" selected>按单位和年度的预警规则（系统管理员设置；未设置的按'
        "「全国通用预警规则」）</option>"
    ) in page
    assert f'<option value="strict">全部监控表按「{STRICT}」</option>' in page
