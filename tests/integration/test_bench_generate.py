"""The benchmark generator (bench/generate.py) at a tiny size, checked through the application's
own code: the audit chain verifies, every state is there, new rows can be inserted, and the pages
people open render for each role and for a project in each state."""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
from sqlalchemy import func, make_url, select

from bench.generate import PASSWORD, drop_database, filler_username, generate, usernames
from web import create_app
from web.config import Config
from workflow.audit import chain
from workflow.audit.models import AuditEvent
from workflow.clock import FixedClock
from workflow.db import Database
from workflow.lifecycle.machine import get_lifecycle
from workflow.milestones.models import Milestone
from workflow.org.models import Role, Unit, User
from workflow.projects.models import Project
from workflow.workbench import workbench

PG_URL = os.environ.get("TEST_DATABASE_URL", "")
TODAY = dt.date(2026, 12, 2)
PROJECTS, UNITS = 300, 20
# The morning after the data was made (it ends before 08:00 China time today).
CLOCK_AT = dt.datetime(2026, 12, 2, 2, 0, tzinfo=dt.UTC)
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture(scope="module", params=["postgresql"])
def bench(request):
    """A throwaway database, filled by the generator; dropped afterwards."""
    if not PG_URL:
        pytest.skip("PostgreSQL: TEST_DATABASE_URL is not set")
    name = f"jixiao_bench_test_{os.getpid()}"
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    result = generate(url, PROJECTS, TODAY, force=True, units=UNITS)
    database = Database(url)
    yield url, database, result
    database.dispose()
    drop_database(url)


def test_the_audit_chain_verifies(bench):
    _, database, result = bench
    with database.session() as session:
        verdict = chain.verify(session)
    assert verdict.ok, verdict
    assert verdict.checked == result["rows"]["audit_events"] > PROJECTS * 5


def test_every_state_of_the_lifecycle_is_there(bench):
    _, database, _ = bench
    with database.session() as session:
        states = set(session.scalars(select(Project.state).distinct()))
    assert states == set(get_lifecycle().spec.states)


def test_the_rows_are_what_the_sizes_say(bench):
    _, database, result = bench
    rows = result["rows"]
    assert rows["projects"] == PROJECTS and rows["units"] == UNITS
    assert 20 <= rows["indicators"] / PROJECTS <= 30
    assert rows["milestones"] > PROJECTS * 3 and rows["notifications"] > PROJECTS
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Project)) == PROJECTS


def test_milestones_fall_due_where_the_application_looks(bench):
    """Every milestone's stored due (where the schema stores one) is the one the model computes,
    and the 工作台 of a 财政审核人 finds overdue ones through its own queries."""
    _, database, _ = bench
    with database.session() as session:
        milestones = session.scalars(select(Milestone)).all()
        if hasattr(Milestone, "deadline"):
            assert [m.deadline for m in milestones] == [m.effective_due() for m in milestones]
        reviewer = session.scalar(
            select(User).where(User.username == usernames(Role.reviewer, UNITS)[0])
        )
        bench_now = workbench(session, reviewer, get_lifecycle().spec, now=CLOCK_AT)
    assert bench_now.overdue_count > 0 and bench_now.todo_count > 0


def test_sequences_let_the_application_insert(bench):
    _, database, _ = bench
    with database.session(write=True) as session:
        top = session.scalar(select(func.max(Unit.id)))
        unit = Unit(code="999999", name="压测新增单位")
        session.add(unit)
        session.commit()
        assert unit.id == top + 1


def test_the_pages_render_for_every_role_and_state(bench):
    url, database, _ = bench
    app = create_app(Config(DATABASE_URL=url, SECRET_KEY="test-secret", TESTING=True),
                     clock=FixedClock(CLOCK_AT), database=database)  # fmt: skip
    with database.session() as session:
        by_state = {state: session.scalar(select(func.min(Project.id))
                                          .where(Project.state == state))
                    for state in get_lifecycle().spec.states}  # fmt: skip
        units = {state: session.get(Project, pid).unit_id for state, pid in by_state.items()}
    every_tab = ("", "?tab=declaration", "?tab=milestones", "?tab=evaluation", "?tab=history")
    for state, project_id in by_state.items():
        filler = _login(app, filler_username(units[state], 1))  # of the project's own unit
        for tab in every_tab if state in ("archived", "evaluating") else ("",):
            response = filler.get(f"/projects/{project_id}{tab}")
            assert response.status_code == 200, (state, tab)
    for role, pages in ((Role.admin, ("/", "/admin/users", "/admin/outbox")),
                        (Role.security_admin, ("/", "/admin/users", "/admin/policy")),
                        (Role.auditor, ("/", "/audit", "/audit/logins"))):  # fmt: skip
        client = _login(app, usernames(role)[0])
        for page in pages:
            assert client.get(page).status_code == 200, (role, page)
    for role in (Role.filler, Role.unit_head, Role.reviewer):
        client = _login(app, usernames(role, UNITS)[0])
        for page in ("/", "/projects", "/projects?todo=1", "/notifications"):
            assert client.get(page).status_code == 200, (role, page)


def test_a_reviewer_can_approve_a_declared_project(bench):
    """The whole write path on generated data: guards, the version check, milestones proposed,
    targets frozen, messages written, an audit event appended; the chain still verifies."""
    url, database, _ = bench
    app = create_app(Config(DATABASE_URL=url, SECRET_KEY="test-secret", TESTING=True),
                     clock=FixedClock(CLOCK_AT), database=database)  # fmt: skip
    with database.session() as session:
        project = session.scalars(
            select(Project).where(Project.state == "declared").order_by(Project.id).limit(1)
        ).one()
        events = session.scalar(select(func.count()).select_from(AuditEvent))
    reviewer = _login(app, usernames(Role.reviewer, UNITS)[0])
    page = reviewer.get(f"/projects/{project.id}")
    token = _CSRF.search(page.get_data(as_text=True)).group(1)
    response = reviewer.post(f"/projects/{project.id}/actions/approve",
                             data={"csrf_token": token, "version": project.version})  # fmt: skip
    assert response.status_code == 302
    with database.session() as session:
        assert session.get(Project, project.id).state == "approved"
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == events + 1
        assert chain.verify(session).ok


def _login(app, username: str):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = _CSRF.search(page).group(1)
    response = client.post("/login", data={"csrf_token": token, "username": username,
                                           "password": PASSWORD})  # fmt: skip
    assert response.status_code == 302, username
    return client
