"""预警规则: which lights file reads which 监控表, chosen by the admin per unit, per year or per
unit in a year, the same way as the scoring templates (workflow/scoped_rules.py); the national
file without a rule. A round opened with one file for all reads every table by it; a round
opened 「按单位和年度的规则」 (BY_UNIT) reads each by the rules as they stand when it opens, and
the file is kept on the table: a rule changed later never relights a round under way."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow import scoped_rules
from workflow.monitoring import lights
from workflow.monitoring.models import LightsRuleChoice
from workflow.org.models import User
from workflow.uow import UnitOfWork

BY_UNIT = ""  # a round's `rules` when each table follows the rules of its unit and year

LIGHTS = scoped_rules.RuleKind(
    model=LightsRuleChoice, field="rules", noun="预警规则", rule="预警规则",
    default=lights.DEFAULT_RULES,
    files=lambda: {r.key: r.label for r in lights.available_rules()}, without="计算预警灯",
    actions=("set_lights_rules", "delete_lights_rules"),
)  # fmt: skip


def resolver(session: Session, year: int, chosen: str):
    """For a round of `year` opened with `chosen`: the file for a project of a unit, as a
    function of the unit's id (the year's rules read once)."""
    if chosen != BY_UNIT:
        return lambda unit_id: chosen
    rules = session.scalars(select(LightsRuleChoice).where(
        LightsRuleChoice.year.is_(None) | (LightsRuleChoice.year == year))).all()  # fmt: skip
    return lambda unit_id: scoped_rules.resolve(rules, unit_id, year, lights.DEFAULT_RULES)


def choices(session: Session) -> list[LightsRuleChoice]:
    return scoped_rules.ordered(session, LIGHTS)


def set_rules_choice(
    uow: UnitOfWork, *, unit_id: int | None, year: int | str | None, rules: str,
    actor: User | None, now: dt.datetime,
) -> LightsRuleChoice:  # fmt: skip
    """Add a rule: the 监控表 of this unit and/or year are read by `rules` in rounds opened
    from now on 「按单位和年度的规则」."""
    with uow:
        rule = scoped_rules.add(uow.session, LIGHTS, unit_id=unit_id, year=year, name=rules,
                                actor=actor, now=now)  # fmt: skip
        scoped_rules.audit(uow.session, LIGHTS, rule, deleting=False, actor=actor, now=now)
        uow.commit()
        return rule


def delete_rules_choice(uow: UnitOfWork, choice_id: int, *, actor: User | None,
                        now: dt.datetime) -> None:  # fmt: skip
    with uow:
        rule = scoped_rules.find(uow.session, LIGHTS, choice_id, actor)
        scoped_rules.audit(uow.session, LIGHTS, rule, deleting=True, actor=actor, now=now)
        uow.session.delete(rule)
        uow.commit()
