"""Every route of the app (read from app.url_map, so a new route cannot escape) × every role ×
a project of the user's own unit and of another unit, in every state: never a 500, never another
unit's data, never a state change the lifecycle does not allow."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD
from tests.unit.test_spec import EXPECTED
from tests.web.conftest import Browser
from workflow.lifecycle.machine import get_lifecycle
from workflow.milestones.models import Milestone
from workflow.notify.mailer import queue_email
from workflow.notify.models import OutboundEmail
from workflow.org.models import Role
from workflow.projects.models import Project

STATES = list(get_lifecycle().spec.states)
ROLES = ["anonymous", "filler", "unit_head", "reviewer", "admin", "other_filler", "other_head"]
ROLE_OF = {"filler": "filler", "unit_head": "unit_head", "other_filler": "filler",
           "other_head": "unit_head", "reviewer": "reviewer", "admin": "admin"}  # fmt: skip
PUBLIC = {"auth.login", "static"}
FINANCE_VISIBLE = {n for n, s in get_lifecycle().spec.states.items() if s.finance_visible}


@pytest.fixture
def world(make, session, clock):
    unit, other = make.unit("苏州市公安局"), make.unit("苏州市应急管理局")
    people = {
        "filler": make.user(Role.filler, unit=unit),
        "unit_head": make.user(Role.unit_head, unit=unit),
        "reviewer": make.user(Role.reviewer),
        "admin": make.user(Role.admin),
        "other_filler": make.user(Role.filler, unit=other),
        "other_head": make.user(Role.unit_head, unit=other),
    }
    someone = make.user(Role.reviewer)
    filler = people["filler"]
    projects = [
        make.project(unit, state=s, creator=filler, submitted_by=filler, last_by=someone)
        for s in STATES
    ]
    for p in projects:
        session.add(Milestone(project_id=p.id, position=0, kind="payment", title="支付启动款",
                              due=dt.date(2026, 6, 30)))  # fmt: skip
    queue_email(
        session, dedupe_key="m", to_addr="a@b.cn", subject="提醒", body="正文", now=clock.now()
    )
    session.commit()
    return people, projects


def _urls(app, project: Project, milestone_id: int, email_id: int, ids: dict):
    """(endpoint, method, url) for every rule, with this project's ids filled in."""
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        values = {
            "project_id": project.id,
            "milestone_id": milestone_id,
            "email_id": email_id,
            "unit_id": ids["unit"],
            "user_id": ids["user"],
            "choice_id": 1,  # no such rule: the admin gets 404, everyone else 403
            "filename": "style.css",
        }
        triggers = list(EXPECTED) if "trigger" in rule.arguments else [None]
        for trigger in triggers:
            if trigger:
                values["trigger"] = trigger
            url = adapter.build(rule.endpoint, {k: values[k] for k in rule.arguments})
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule.endpoint, method, url, trigger


@pytest.mark.parametrize("role", ROLES)
def test_every_route_for_every_role_and_state(app, world, session, role):
    people, projects = world
    b = Browser(app.test_client())
    if role != "anonymous":
        b.get("/login")
        b.post("/login", {"username": people[role].username, "password": PASSWORD})
        b.get("/notifications")  # a page with a CSRF token for the posts below
    email_id = session.scalar(select(OutboundEmail.id))
    ids = {"unit": people["filler"].unit_id, "user": people["filler"].id}
    changes = 0
    for project in projects:
        milestone_id = session.scalar(
            select(Milestone.id).where(Milestone.project_id == project.id)
        )
        for endpoint, method, url, trigger in _urls(app, project, milestone_id, email_id, ids):
            if endpoint in ("auth.logout",):
                continue  # would end the session the rest of the matrix needs
            session.rollback()  # a new transaction: SQLite would otherwise keep its old snapshot
            session.expire_all()
            before = session.get(Project, project.id).state
            data = {"comment": "矩阵测试", "version": ""} if method == "POST" else None
            response = b.post(url, data) if method == "POST" else b.get(url)
            session.rollback()
            session.expire_all()
            after = session.get(Project, project.id).state
            _check(role, endpoint, method, url, trigger, before, after, response, projects)
            changes += after != before
    # The roles that hold transitions did move projects (the matrix reached real actions).
    assert (changes > 0) == (role in ("filler", "unit_head", "reviewer"))


def _check(role, endpoint, method, url, trigger, before, after, response, projects):
    where = f"{role} {method} {url} (state {before}): {response.status_code}"
    assert response.status_code < 500, where
    if role == "anonymous":
        if endpoint not in PUBLIC:
            assert response.status_code == 302 and "/login" in response.headers["Location"], where
        return
    if endpoint.startswith("admin.") or endpoint in ("notifications.outbox", "notifications.retry"):
        assert (response.status_code != 403) == (role == "admin"), where
    hidden = role in ("other_filler", "other_head") or (
        role == "reviewer" and before not in FINANCE_VISIBLE
    )
    if hidden and re.search(r"/projects/\d+", url):
        assert response.status_code == 404, where
    if response.status_code == 200 and role in ("other_filler", "other_head"):
        page = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
        assert not any(p.name in page for p in projects), where
    if after != before:
        source, dest, roles = EXPECTED[trigger] if trigger else (None, None, set())
        assert endpoint == "projects.act" and before == source and after == dest, where
        assert ROLE_OF[role] in roles, where
