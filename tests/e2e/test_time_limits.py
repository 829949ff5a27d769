"""A step past its 时限 in a real browser: the 单位负责人's 工作台 marks the declaration that
has waited six working days in 待单位审核 (时限 5) as 已超时限, and the one that arrived today
with its limit beside its waiting time."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.e2e.pages import expect
from workflow.clock import CHINA
from workflow.org.models import Role

pytestmark = pytest.mark.timeout(300)


def test_the_workbench_marks_a_step_past_its_time_limit(people, make, session, clock):
    unit = make.unit("苏州市住房和城乡建设局")
    filler = make.user(Role.filler, unit=unit, name="王芳")
    head = make.user(Role.unit_head, unit=unit, name="郁海成")
    late = make.project(unit, state="unit_review", creator=filler, submitted_by=filler,
                        last_by=filler)  # fmt: skip
    fresh = make.project(unit, state="unit_review", creator=filler, submitted_by=filler,
                         last_by=filler)  # fmt: skip
    today = clock.now().astimezone(CHINA).date()  # Monday 2 March 2026
    late.state_entered_at = dt.datetime.combine(today - dt.timedelta(days=8), dt.time(10),
                                                tzinfo=CHINA)  # fmt: skip
    session.commit()

    person = people("单位负责人", viewport={"width": 1280, "height": 900})
    person.login(head.username)
    page = person.page
    overdue = page.locator("article.todo.late")
    expect(overdue).to_have_count(1)
    expect(overdue).to_contain_text(late.name)
    expect(overdue.locator(".waited")).to_have_text(
        "已超时限：已等待 6 个工作日（时限 5 个工作日）"
    )
    ontime = page.locator("article.todo", has_text=fresh.name)
    expect(ontime.locator(".waited")).to_have_text("已等待 0 个工作日（时限 5 个）")
    person.shot("工作台-已超时限")
