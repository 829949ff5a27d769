"""Every route of the app (read from app.url_map, so a new route cannot escape) × every role ×
a project of the user's own unit and of another unit, in every state: never a 500, never another
unit's data, never a state change the lifecycle does not allow. The PDF routes render their
whole print template and queue it (no request makes a PDF); the PDFs themselves are tested with
their text in the export tests."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD, START
from tests.unit.test_spec import EXPECTED
from tests.web.conftest import Browser
from workflow.lifecycle.machine import get_lifecycle
from workflow.milestones.models import Milestone
from workflow.notify.mailer import queue_email
from workflow.notify.models import Notification, OutboundEmail
from workflow.org import operations as org
from workflow.org.models import Role
from workflow.projects.models import Project
from workflow.uow import UnitOfWork

STATES = list(get_lifecycle().spec.states)
# The reviewer three times (issue 16): the unit assigned to nobody (every reviewer handles it),
# assigned to them, and assigned to them then re-assigned to a colleague (they see none of it).
ROLES = ["anonymous", "filler", "unit_head", "reviewer", "assigned_reviewer",
         "reassigned_reviewer", "admin", "security_admin", "auditor", "other_filler",
         "other_head"]  # fmt: skip
ROLE_OF = {"filler": "filler", "unit_head": "unit_head", "other_filler": "filler",
           "other_head": "unit_head", "reviewer": "reviewer", "assigned_reviewer": "reviewer",
           "reassigned_reviewer": "reviewer", "admin": "admin",
           "security_admin": "security_admin", "auditor": "auditor"}  # fmt: skip
OFFICERS = {"admin", "security_admin", "auditor"}  # 三员: they keep the system, see no project
REVIEWERS = {"reviewer", "assigned_reviewer"}  # who handles the unit's projects in finance
OUTSIDERS = {"other_filler", "other_head", "reassigned_reviewer", *OFFICERS}  # see none of them
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
        "security_admin": make.user(Role.security_admin),
        "auditor": make.user(Role.auditor),
        "other_filler": make.user(Role.filler, unit=other),
        "other_head": make.user(Role.unit_head, unit=other),
    }
    someone = people["colleague"] = make.user(Role.reviewer)
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
    for p in projects:  # everyone has messages about their own unit's projects
        for key in ("filler", "unit_head", "reviewer"):  # the reviewer: of earlier steps
            session.add(
                Notification(
                    user_id=people[key].id,
                    project_id=p.id,
                    kind="info",
                    title="郁海成已提交",
                    body=p.name,
                    created_at=clock.now(),
                )
            )
    session.commit()
    return people, projects


def _urls(app, project_id: int, milestone_id: int, email_id: int, ids: dict):
    # notification_id: the filler's message about this project (the others' is not theirs)
    """(endpoint, method, url) for every rule, with this project's ids filled in."""
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        values = {
            "project_id": project_id,
            "milestone_id": milestone_id,
            "email_id": email_id,
            "unit_id": ids["unit"],
            "user_id": ids["user"],
            "choice_id": 1,  # no such rule: the admin gets 404, everyone else 403
            "notification_id": ids["notification"][project_id],
            "filename": "style.css",
            "year": 2027,
        }
        triggers = list(EXPECTED) if "trigger" in rule.arguments else [None]
        for trigger in triggers:
            if trigger:
                values["trigger"] = trigger
            url = adapter.build(rule.endpoint, {k: values.get(k, 1) for k in rule.arguments})
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule.endpoint, method, url, trigger


@pytest.mark.parametrize("role", ROLES)
def test_every_route_for_every_role_and_state(app, world, session, role):
    people, projects = world
    user = people.get(role) or people.get("reviewer")
    if role in ("assigned_reviewer", "reassigned_reviewer"):
        unit, admin = projects[0].unit, people["admin"]
        org.assign_reviewers(UnitOfWork(session), unit, [user.id], actor=admin, now=START)
        if role == "reassigned_reviewer":
            colleague = [people["colleague"].id]
            org.assign_reviewers(UnitOfWork(session), unit, colleague, actor=admin, now=START)
    b = Browser(app.test_client())
    if role != "anonymous":
        b.get("/login")
        b.post("/login", {"username": user.username, "password": PASSWORD})
        b.get("/notifications")  # a page with a CSRF token for the posts below
    email_id = session.scalar(select(OutboundEmail.id))
    notes = session.execute(select(Notification.project_id, Notification.id)
                            .where(Notification.user_id == people["filler"].id)).all()  # fmt: skip
    ids = {"unit": people["filler"].unit_id, "user": people["filler"].id,
           "notification": dict(notes)}  # fmt: skip
    changes, worlds = 0, set()
    of_a_project = {r.endpoint for r in app.url_map.iter_rules() if "project_id" in r.arguments}
    # The projects' ids, read once: after each rollback every attribute of a loaded object is
    # read again from the database, its id too.
    project_ids = [p.id for p in projects]

    def names() -> list[str]:
        """The projects' names as they are now, in one query."""
        return session.scalars(select(Project.name).where(Project.id.in_(project_ids))).all()

    for project_id in project_ids:
        milestone_id = session.scalar(
            select(Milestone.id).where(Milestone.project_id == project_id)
        )
        state = select(Project.state).where(Project.id == project_id)
        # The routes of no project (工作台, lists, messages, admin) are asked once in every
        # world the role's own actions made: asking again where no project moved proves nothing.
        session.rollback()
        world = tuple(session.scalars(select(Project.state).order_by(Project.id)))
        everything = world not in worlds
        worlds.add(world)
        after = session.scalar(state)
        for endpoint, method, url, trigger in _urls(app, project_id, milestone_id, email_id, ids):
            if endpoint in ("auth.logout",):
                continue  # would end the session the rest of the matrix needs
            if endpoint not in of_a_project and not everything:
                continue
            # Nothing but the requests changes the project: its state before this one is the
            # state read after the last (one query per request, not two).
            before = after
            data = {"comment": "矩阵测试", "version": ""} if method == "POST" else None
            response = b.post(url, data) if method == "POST" else b.get(url)
            session.rollback()  # a new transaction: SQLite would otherwise keep its old snapshot
            after = session.scalar(state)
            _check(role, endpoint, method, url, trigger, before, after, response, names,
                   _duty(app, endpoint, method))  # fmt: skip
            _no_leak_to_reviewer(role, response, session, project_ids)
            changes += after != before
    # The roles that hold transitions did move projects (the matrix reached real actions).
    assert (changes > 0) == (role in ("filler", "unit_head", *REVIEWERS))


def _no_leak_to_reviewer(role, response, session, project_ids) -> None:
    """A reviewer's pages (工作台, 我的消息, lists) never name a project finance may not see
    yet, even one the reviewer just returned to the unit."""
    if role not in REVIEWERS or response.status_code != 200 or response.mimetype != "text/html":
        return
    page = response.get_data(as_text=True)
    states = session.execute(select(Project.name, Project.state)
                             .where(Project.id.in_(project_ids))).tuples()  # fmt: skip
    for name, state in states:
        if state not in FINANCE_VISIBLE:
            assert not re.search(re.escape(name) + r"(?!\d)", page), (name, state)


def _duty(app, endpoint, method) -> set[str] | None:
    """Which of the 三员 a route is the work of (None: a page of the business roles)."""
    if endpoint.startswith("audit."):
        return {"auditor"}
    if endpoint in ("notifications.outbox", "notifications.retry", "notifications.retry_all"):
        return {"admin"}
    if endpoint.startswith("admin."):
        view = app.view_functions[endpoint]
        roles = getattr(view, "post_duty" if method == "POST" else "duty", (Role.admin,))
        return {r.value for r in roles}
    return None


def _check(role, endpoint, method, url, trigger, before, after, response, names, duty):
    where = f"{role} {method} {url} (state {before}): {response.status_code}"
    assert response.status_code < 500, where
    if role == "anonymous":
        if endpoint not in PUBLIC:
            assert response.status_code == 302 and "/login" in response.headers["Location"], where
        return
    if endpoint == "notifications.show":  # a message opens for its addressee only
        assert response.status_code == (200 if role == "filler" else 404), where
    if duty is not None:
        assert (response.status_code != 403) == (ROLE_OF[role] in duty), where
    hidden = role in OUTSIDERS or (role in REVIEWERS and before not in FINANCE_VISIBLE)
    if hidden and re.search(r"/projects/\d+", url):
        assert response.status_code == 404, where
    if (
        response.status_code == 200
        and role in OUTSIDERS
        and not (
            endpoint.startswith("audit.")  # the auditor reads what was done to projects
        )
    ):
        page = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
        assert not any(name in page for name in names()), where
    if endpoint.endswith(".pdf") and response.status_code == 200:
        # No request makes a PDF: it is queued for the scheduler and the page waits for it.
        assert "正在生成 PDF" in response.get_data(as_text=True), where
    if after != before:
        source, dest, roles = EXPECTED[trigger] if trigger else (None, None, set())
        assert endpoint == "projects.act" and before == source and after == dest, where
        assert ROLE_OF[role] in roles, where
