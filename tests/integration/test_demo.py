"""`jixiao demo`: the three seed declarations and a dozen projects over the states, built
through the real operations, so the history of each is real and the chain verifies."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from workflow.audit import chain
from workflow.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo
from workflow.lifecycle.machine import get_lifecycle
from workflow.org.models import User
from workflow.org.operations import password_matches
from workflow.projects.models import Project


def test_demo_spreads_projects_over_the_lifecycle(session, clock):
    assert load_demo(session, clock) == DEMO_ACCOUNTS
    projects = session.scalars(select(Project).order_by(Project.updated_at.desc())).all()
    assert len(projects) == 12
    states = {p.state for p in projects}
    assert states == set(get_lifecycle().spec.states)
    first_three = [(p.name, p.amount, p.state) for p in projects[:3]]
    assert first_three == [
        ("苏州市住建局“互联网+监管”", Decimal("41.86"), "draft"),
        ("苏州市智慧应急一期项目", Decimal("1435"), "unit_review"),
        ("苏州市“331+”基层消防安全监管平台", Decimal("350"), "declared"),
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
    assert len(session.scalars(select(Project)).all()) == 12
