"""Each demo project's story: the steps that bring it to its state, dated as a real year would
date them relative to the load day, and which of its milestones were done by then."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta

from workflow.demo.forms import CENT, Earlier, earlier_form, plan_text, seed_form_data
from workflow.demo.timeline import Step, workdays_before
from workflow.lifecycle.machine import get_lifecycle
from workflow.milestones.plan import names_anchor, propose_milestones
from workflow.workdays import add_workdays, on_or_before_workday

# The real forms themselves. 000 is complete and waits at the finance bureau; 001, 002 and 004
# keep the problems the real forms have (a truncated 子项目 name, 影响力 rows without a 子项目,
# blank targets), so they stay drafts and show the checks on real data. Typed in last, in this
# order, so that they head the project list.
SEED_STATES = {"004": "draft", "002": "draft", "001": "draft", "000": "declared"}
SEED_UNIT = {"000": "000", "001": "001", "002": "002", "004": "000"}  # 004 is 苏州市公安局's too

COMMENTS = {
    "refuse": "项目绩效目标与部门职能关联不足，本年度不予支持。",
    "return_to_filler": "请补充项目实施计划中的时间节点。",
    "return_evaluation_to_filler": "请补充项目管理存在的问题及原因，并核对资金构成实际金额。",
    "return_evaluation": "自评表「项目实施情况」过于简略，请补充主要建设内容的完成情况及佐证材料。",
}
_CONFIRMED = ("implementing", "evaluating", "evaluation_unit_review", "self_evaluated", "archived")
_ENDED = ("archived", "refused")
_EARLY = (-5, -2, 0, -7, 1, -3, 2, -1)  # days from due to done: most things land a little early
# A story waiting in a state before approval arrived there this many working days ago.
_RECENT = {
    "draft": 4,
    "unit_review": 6,
    "returned": 8,
    "declared": 9,
    "refused": 24,
    "approved": 5,
}
_NOTES = {"phase": "已完成", "procurement": "已完成采购，合同已签订", "acceptance": "验收合格",
          "payment": "已按合同支付", "warranty_release": "质保期满，已支付质保金"}  # fmt: skip


@dataclass(frozen=True)
class PlannedMilestone:
    """A milestone the plan will propose, and when it was done (None: still open)."""

    position: int
    kind: str
    due: dt.date | None  # its effective due, once known
    anchor: int | None  # the position of the milestone its due is counted from
    percentage: Decimal | None
    done: dt.date | None


@dataclass
class Story:
    """One project: whose it is, its form, its steps and the day it starts."""

    unit: str
    data: dict[str, Any]
    steps: list[Step]
    start: dt.date
    salt: int
    typed: bool = False  # one of the real forms, saved exactly as typed


def declaring_year(today: dt.date) -> int:
    """The year being declared: this year's until August; from September, next year's."""
    return today.year + (today.month >= 9)


def seed_stories(today: dt.date) -> list[Story]:
    """The real forms, typed in (and 000 submitted and signed) over the last working days."""
    day = workdays_before(today, 2)
    stories = []
    for i, (seed, state) in enumerate(SEED_STATES.items()):
        steps = [Step("create", 0), Step("save", 0)]
        steps += [Step("fire", 0, args={"trigger": t}) for t in _PATHS[state]]
        stories.append(Story(SEED_UNIT[seed], seed_form_data(seed), steps, day, i, typed=True))
    return stories


def earlier_stories(catalogue: Iterable[Earlier], today: dt.date) -> list[Story]:
    """The earlier projects, each with its own timeline up to `today`."""
    catalogue = list(catalogue)
    policy = get_lifecycle().spec.reminders
    years = [_year(e, today) for e in catalogue]
    plans = [_plan(e, y, today) for e, y in zip(catalogue, years, strict=True)]
    milestones = [_milestones(e, plan, y, today) for e, plan, y in zip(catalogue, plans, years,
                                                                        strict=True)]  # fmt: skip
    _leave_one_overdue_per_unit(catalogue, milestones)
    stories = []
    for i, (e, year, plan) in enumerate(zip(catalogue, years, plans, strict=True)):
        deadline = dt.date(year + 1, policy.evaluation_deadline_month,
                           policy.evaluation_deadline_day)  # fmt: skip
        steps = _steps(e.state, year, today, milestones[i], deadline, salt=i)
        start = dt.date(year - 1, 9, 1) + dt.timedelta(days=i * 5 % 28)
        if e.when == "D":  # what waits before approval arrived lately, not last autumn
            start = workdays_before(today, _RECENT[e.state] + sum(s.gap for s in steps[1:]))
        stories.append(Story(e.unit, earlier_form(e, year, plan), steps, start, salt=i))
    return stories


def _plan(e: Earlier, year: int, today: dt.date) -> str:
    """The project's 项目实施计划: over its whole year, or, declared in the middle of its year,
    over the months left (a plan is written ahead, not for months gone by)."""
    first = min(today.month + 1, 12) if year == today.year and e.when == "D" else 1
    return plan_text(e.plan, year, first)


def _year(e: Earlier, today: dt.date) -> int:
    return declaring_year(today) if e.when == "D" else today.year + int(e.when)


# --- milestones -------------------------------------------------------------------------------


def _milestones(e: Earlier, plan: str, year: int, today: dt.date) -> list[PlannedMilestone]:
    """The milestones the plan reader will propose on approval, those due before today done
    near their due date (a 质保金 once its 终验 is done and its term has run)."""
    if e.state not in _CONFIRMED:
        return []
    proposals = propose_milestones(plan, year=year).milestones
    done: dict[int, dt.date] = {}
    planned = []
    for i, p in enumerate(proposals):
        due, anchor = p.due, None
        if p.relative:  # anchored as milestones.operations does: the last 验收 naming it
            named = p.relative.anchor
            anchor = max(j for j, a in enumerate(proposals)
                         if j != i and names_anchor(named, a.kind.value, a.title))  # fmt: skip
            offset = relativedelta(years=p.relative.years, months=p.relative.months,
                                   days=p.relative.days)  # fmt: skip
            due = (add_workdays(done[anchor] + offset, p.relative.workdays)
                   if anchor in done else None)  # fmt: skip
        if due is not None and due < today:
            near = due + dt.timedelta(days=_EARLY[(i + year) % len(_EARLY)])
            done[i] = on_or_before_workday(min(near, today - dt.timedelta(days=1)))
        planned.append(PlannedMilestone(i, p.kind.value, due, anchor, p.percentage, done.get(i)))
    return planned


def _leave_one_overdue_per_unit(catalogue, plans) -> None:
    """In each unit, the milestone most lately due of a project still running stays undone
    (in `plans`): a few overdue items, as in a real unit, not dozens."""
    latest: dict[str, tuple[dt.date, int, int]] = {}
    for n, (e, planned) in enumerate(zip(catalogue, plans, strict=True)):
        if e.state in _ENDED:
            continue
        for m in planned:
            if m.done and m.kind != "warranty_release":
                latest[e.unit] = max(latest.get(e.unit, (m.due, n, m.position)),
                                     (m.due, n, m.position))  # fmt: skip
    for _, n, position in latest.values():
        plans[n] = _undone(plans[n], position)


def _undone(planned: list[PlannedMilestone], position: int) -> list[PlannedMilestone]:
    """Without the milestone at `position` done, nor what is counted from it."""
    return [replace(m, done=None) if position in (m.position, m.anchor) else m for m in planned]


def _records(planned: list[PlannedMilestone], late: bool) -> list[Step]:
    """Recording what was done, on the day (or the working day after, as the fit allows)."""
    rows = [m for m in planned if m.done and (m.kind == "warranty_release") == late]
    return [
        Step("record", 0, not_before=m.done,
             args={"position": m.position, "done": m.done, "percentage": m.percentage,
                   "note": _NOTES[m.kind]})
        for m in sorted(rows, key=lambda m: m.done)
    ]  # fmt: skip


# --- steps ------------------------------------------------------------------------------------

_PATHS = {
    "draft": [],
    "unit_review": ["submit"],
    "returned": ["submit", "return_to_filler"],
    "declared": ["submit", "declare"],
    "refused": ["submit", "declare", "refuse"],
    "approved": ["submit", "declare", "approve"],
}


def _fire(trigger: str, gap: int = 1, not_before: dt.date | None = None,
          earliest: dt.date | None = None) -> Step:  # fmt: skip
    args = {"trigger": trigger, "comment": COMMENTS.get(trigger, "")}
    return Step("fire", gap, not_before, args, earliest)


def _steps(state: str, year: int, today: dt.date, planned, deadline: dt.date, salt: int):
    """The steps to `state`: before approval, a few days each; from approval on, the year's
    calendar (approved in January, self-evaluated by the deadline, 3月31日 of the next year,
    archived in spring), the milestones recorded as they were done."""
    gaps = {"submit": 3 + salt % 4, "return_to_filler": 2, "declare": 2 + salt % 2,
            "refuse": 12, "approve": 5}  # fmt: skip
    steps = [Step("create", 0), Step("save", 1 + salt % 3)]
    if state in _PATHS:
        return steps + [_fire(t, gaps[t]) for t in _PATHS[state]]
    approved_on = dt.date(year, 1, 8) + dt.timedelta(days=salt * 3 % 20)
    steps += [_fire("submit", gaps["submit"]), _fire("declare", gaps["declare"]),
              _fire("approve", 1, approved_on, dt.date(year, 1, 1)),
              Step("milestones", 3 + salt % 3), Step("confirm", 0),
              _fire("start_implementation", 1)]  # fmt: skip
    steps += _records(planned, late=False)
    if state == "implementing":
        return steps
    after_year = dt.date(year + 1, 1, 1)
    steps.append(_fire("begin_evaluation", 1, after_year + dt.timedelta(4 + salt % 9), after_year))
    steps += _evaluation(state, deadline, today, salt)
    if state == "archived":
        steps += _records(planned, late=True)
    return steps


def _evaluation(state: str, deadline: dt.date, today: dt.date, salt: int) -> list[Step]:
    """From 开始自评 to the state. Past the deadline a project still in self-evaluation has
    been sent back lately, by finance or by its 单位负责人, and is being put right."""
    submit_by = deadline - dt.timedelta(days=26 - salt * 2 % 18)
    handed_in = [Step("evaluate", 8 + salt % 6), _fire("submit_evaluation", 5, submit_by)]
    signed = [*handed_in, _fire("sign_evaluation", 2 + salt % 3)]
    late = today > deadline
    lately = workdays_before(today, 6 + salt % 5)
    redo = [Step("evaluate", 0, lately, {"revision": True}), _fire("submit_evaluation", 1)]
    paths = {
        "evaluating": [*signed, _fire("return_evaluation", 1, lately)] if late else [],
        "evaluation_unit_review": [*handed_in, _fire("return_evaluation_to_filler", 2), *redo]
        if late else handed_in,
        "self_evaluated": [*signed, _fire("return_evaluation", 1, workdays_before(lately, 4)),
                           *redo, _fire("sign_evaluation", 2)] if late else signed,
        "archived": [*signed, _fire("archive", 1, deadline + dt.timedelta(20 + salt * 4 % 30))],
    }  # fmt: skip
    return paths[state]


def paid(amount: Decimal, percentage: Decimal | None) -> Decimal | None:
    """What a payment of `percentage` of the contract (the project's amount) comes to."""
    return None if percentage is None else (amount * percentage / 100).quantize(CENT)
