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
