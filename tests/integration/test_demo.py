"""`jixiao demo`: the three seed declarations and a dozen projects over the states, built
through the real operations, so the history of each is real and the chain verifies."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from workflow.audit import chain
from workflow.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo
from workflow.lifecycle.machine import get_lifecycle
from workflow.org.models import User
from workflow.org.operations import password_matches
from workflow.projects.models import Project


def test_demo_spreads_projects_over_the_lifecycle(session, clock):
    assert load_demo(session, clock) == DEMO_ACCOUNTS
    projects = session.scalars(select(Project).order_by(Project.updated_at.desc())).all()
    assert len(projects) == 13
    states = {p.state for p in projects}
    assert states == set(get_lifecycle().spec.states)
    first_four = [(p.name, p.year, p.amount, p.state, p.unit.name) for p in projects[:4]]
    assert first_four == [
        ("苏州市“331+”基层消防安全监管平台", 2021, Decimal("350"), "declared", "苏州市公安局"),
        ("苏州市智慧应急一期项目", 2020, Decimal("1435"), "draft", "苏州市应急管理局"),
        ("苏州市住建局“互联网+监管”", 2021, Decimal("41.86"), "draft", "苏州市住房和城乡建设局"),
        ("姑苏区公安网格联动系统", 2020, Decimal("175"), "draft", "苏州市公安局"),
    ]
    assert chain.verify(session).ok


def test_demo_accounts_log_in_with_the_printed_password(session, clock):
    load_demo(session, clock)
    users = {u.username: u for u in session.scalars(select(User))}
    assert set(users) == {name for name, _ in DEMO_ACCOUNTS}
    assert all(password_matches(u, DEMO_PASSWORD) for u in users.values())


def test_demo_loads_once(session, clock):
    load_demo(session, clock)
    assert load_demo(session, clock) is None
    assert len(session.scalars(select(Project)).all()) == 13


def test_the_demo_floods_nobody_after_weeks_of_reminders(db, session, clock):
    """Whatever the demo shows as overdue, each person's 我的消息 stays a handful of lines: one
    per item with its latest day count, however many weeks the scheduler has run."""
    import datetime as dt

    from workflow.notify import operations as inbox
    from workflow.notify.models import Notification
    from workflow.notify.reminders import create_due_reminders

    load_demo(session, clock)
    spec = get_lifecycle().spec

    def lines() -> dict[str, int]:
        with db.session() as s:
            counted = {}
            for user in s.scalars(select(User)):
                notes = [n for g in inbox.inbox(s, user, spec).groups for n in g.notes]
                topics = [n.topic for n in notes if n.topic]
                assert len(topics) == len(set(topics)), user.username  # no item twice
                counted[user.username] = len(notes)
            return counted

    for week in range(6):
        now = clock.now() + dt.timedelta(days=7 * week)
        with db.session(write=True) as s:
            create_due_reminders(s, spec, today=now.date(), now=now, base_url="http://demo")
            s.commit()
        if week == 0:
            first = lines()
    with db.session() as s:
        assert s.scalar(select(func.count()).where(Notification.kind == "reminder")) > 40
    assert lines() == first  # six weeks of reminders later: not one line more
    assert max(first.values()) <= 20  # a few lines per project: its steps and its open items
