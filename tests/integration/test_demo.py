"""`jixiao demo`: the four seed declarations and sixteen earlier projects over the states, built
through the real operations, so the history of each is real and the chain verifies; dated
relative to the day it is loaded, so that it looks like that day of a real year."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from workflow.audit import chain
from workflow.audit.models import AuditEvent
from workflow.clock import CHINA, FixedClock
from workflow.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo
from workflow.lifecycle.machine import get_lifecycle
from workflow.milestones.models import Milestone
from workflow.notify.models import Notification, OutboundEmail
from workflow.notify.reminders import EVALUATION_PENDING, evaluation_deadline, open_milestones
from workflow.org import passwords
from workflow.org.models import User
from workflow.org.operations import password_matches
from workflow.projects.models import Project
from workflow.workbench import workbench
from workflow.workdays import is_workday

SEEDS = [
    ("苏州市“331+”基层消防安全监管平台", 2021, Decimal("350"), "declared", "苏州市公安局"),
    ("苏州市智慧应急一期项目", 2020, Decimal("1435"), "draft", "苏州市应急管理局"),
    ("苏州市住建局“互联网+监管”", 2021, Decimal("41.86"), "draft", "苏州市住房和城乡建设局"),
    ("姑苏区公安网格联动系统", 2020, Decimal("175"), "draft", "苏州市公安局"),
]
LOAD_TIMES = [
    dt.datetime(2026, 1, 12, 9, 0, tzinfo=CHINA),  # last year's self-evaluations just begun
    dt.datetime(2026, 6, 15, 10, 0, tzinfo=CHINA),  # mid-year, past the 3月31日 deadline
    dt.datetime(2026, 12, 2, 10, 0, tzinfo=CHINA),  # next year's budget being declared
]
EVALUATION_STATES = {"evaluating", "evaluation_unit_review", "self_evaluated"}


def _by_last_change(session) -> list[Project]:
    return session.scalars(select(Project).order_by(Project.updated_at.desc())).all()


def test_demo_spreads_projects_over_the_lifecycle(session, clock):
    assert load_demo(session, clock) == DEMO_ACCOUNTS
    projects = _by_last_change(session)
    assert len(projects) == 20
    states = {p.state for p in projects}
    assert states == set(get_lifecycle().spec.states)
    first_four = [(p.name, p.year, p.amount, p.state, p.unit.name) for p in projects[:4]]
    assert first_four == SEEDS
    assert chain.verify(session).ok


def test_demo_accounts_log_in_with_the_printed_password(session, clock):
    load_demo(session, clock)
    users = {u.username: u for u in session.scalars(select(User))}
    assert set(users) == {name for name, _ in DEMO_ACCOUNTS}
    assert all(password_matches(u, DEMO_PASSWORD) for u in users.values())
    # and none is sent to 「修改密码」 first: the demo opens on the 工作台
    policy = passwords.PasswordPolicy()
    assert not passwords.problems(DEMO_PASSWORD, "admin")
    assert [u.username for u in users.values()
            if passwords.must_change(u.password_changed_at, u.must_change_password, policy,
                                     now=clock.now())] == []  # fmt: skip


def test_demo_loads_once(session, clock):
    load_demo(session, clock)
    assert load_demo(session, clock) is None
    assert len(session.scalars(select(Project)).all()) == 20


@pytest.mark.parametrize("loaded_at", LOAD_TIMES, ids=["january", "june", "december"])
def test_the_demo_looks_like_the_day_it_is_loaded(session, loaded_at):
    """Nothing after the load time, every step on a working day in office hours, a few overdue
    items per unit, every state, amounts that differ, the seeds as typed."""
    clock = FixedClock(loaded_at.astimezone(dt.UTC))
    now, today = clock.now(), clock.today()
    load_demo(session, clock)
    spec = get_lifecycle().spec

    events = session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    assert all(e.at <= now for e in events)
    assert [e.at for e in events] == sorted(e.at for e in events)  # the chain reads as time went
    for e in events:
        local = e.at.astimezone(CHINA)
        assert is_workday(local.date()) and dt.time(9) <= local.time() <= dt.time(17, 30), e.label
    assert chain.verify(session).ok
    done = session.scalars(select(Milestone.actual_date).where(Milestone.actual_date.is_not(None)))
    assert max(done) <= today
    notes = session.execute(
        select(func.max(Notification.created_at), func.max(Notification.read_at))
    )
    assert all(moment <= now for moment in notes.one())
    assert session.scalar(select(func.max(OutboundEmail.created_at))) <= now

    overdue = _overdue_per_unit(session, spec, today)
    assert sum(overdue.values()) >= 1 and max(overdue.values()) <= 3, overdue
    for user in session.scalars(select(User)):  # and what the 工作台 shows a unit agrees
        if user.unit_id is not None:
            assert workbench(session, user, spec, now=now).overdue_count <= 3, user.username
    # milestones on both sides of today, as in a real year
    planned = session.scalars(select(Milestone.due).where(Milestone.actual_date.is_(None)))
    assert any(due and due > today for due in planned)

    projects = _by_last_change(session)
    assert {p.state for p in projects} == set(spec.states)
    assert [(p.name, p.year, p.amount, p.state, p.unit.name) for p in projects[:4]] == SEEDS
    earlier = projects[4:]
    amounts = defaultdict(list)
    for p in earlier:
        amounts[p.unit_id].append(p.amount)
    assert all(len(set(a)) == len(a) for a in amounts.values())
    years = Counter((p.state, p.year - today.year) for p in earlier)
    assert {offset for (state, offset) in years if state == "archived"} == {-3, -2}
    assert {offset for (state, offset) in years if state in EVALUATION_STATES} == {-1}
    assert {offset for (state, offset) in years if state == "implementing"} == {0}


def _overdue_per_unit(session, spec, today: dt.date) -> dict[int, int]:
    """What the 工作台 and the reminders count as overdue: open milestones past their due, and
    self-evaluations still to hand in past 3月31日."""
    overdue = Counter()
    for milestone, project in session.execute(open_milestones(spec)):
        due = milestone.effective_due()
        overdue[project.unit_id] += due is not None and due < today
    pending = session.scalars(select(Project).where(Project.state.in_(EVALUATION_PENDING)))
    for project in pending:
        overdue[project.unit_id] += evaluation_deadline(project, spec.reminders) < today
    return overdue


def test_the_demo_floods_nobody_after_weeks_of_reminders(db, session, clock):
    """Whatever the demo shows as overdue, each person's 我的消息 stays a handful of lines: one
    per item with its latest day count, however many weeks the scheduler has run; an item that
    comes due in those weeks adds its one line."""
    from workflow.notify import operations as inbox
    from workflow.notify.reminders import create_due_reminders

    load_demo(session, clock)
    spec = get_lifecycle().spec

    def lines() -> dict[str, tuple[int, set[str]]]:
        with db.session() as s:
            counted = {}
            for user in s.scalars(select(User)):
                notes = [n for g in inbox.inbox(s, user, spec).groups for n in g.notes]
                topics = [n.topic for n in notes if n.topic]
                assert len(topics) == len(set(topics)), user.username  # no item twice
                counted[user.username] = (len(notes), set(topics))
            return counted

    for week in range(6):
        now = clock.now() + dt.timedelta(days=7 * week)
        with db.session(write=True) as s:
            create_due_reminders(s, spec, today=now.date(), now=now, base_url="http://demo")
            s.commit()
        if week == 0:
            first = lines()
    with db.session() as s:
        assert s.scalar(select(func.count()).where(Notification.kind == "reminder")) > 20
    for username, (count, topics) in lines().items():
        before, known = first[username]
        assert count == before + len(topics - known), username  # six weeks on: no line more
    assert max(count for count, _ in first.values()) <= 20  # its steps and its open items
