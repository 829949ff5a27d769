"""Every POST route of the app (read from app.url_map, so a new route cannot escape) refuses a
request without a CSRF token, or with a wrong one, as a Chinese 400 page, and nothing in the
database changes; the same request with the right token then goes through (the user could
otherwise use the route, so the token was the only thing missing)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.conftest import COMPLETE_DECLARATION, COMPLETE_EVALUATION, PASSWORD, flat
from tests.web.conftest import Browser, text_of
from tests.web.safety import CSRF_MESSAGE, database_dump, fresh
from workflow.evaluation.models import ScoringTemplateChoice
from workflow.lifecycle.machine import get_lifecycle
from workflow.milestones import operations as milestone_ops
from workflow.milestones.models import Milestone
from workflow.notify.mailer import queue_email
from workflow.notify.models import Notification, OutboundEmail
from workflow.org.models import Role, User
from workflow.projects.models import Project

ROLES = ("filler", "unit_head", "reviewer", "admin", "security_admin")
# The routes this test knows plausible data for, so the right token must make them work.
KNOWN = {
    "auth.login", "projects.act", "evaluation.edit", "declaration.new_project",
    "declaration.edit", "declaration.copy", "milestones.page", "milestones.confirm",
    "milestones.record", "notifications.read_all", "notifications.email_preference",
    "notifications.retry", "admin.units", "admin.edit_unit", "admin.new_user", "admin.user",
    "admin.scoring_templates", "admin.delete_scoring_template", "admin.reset_password",
    "admin.unlock_user", "auth.change_password", "admin.set_roles", "admin.security_policy_page",
}  # fmt: skip
RENDERS = {"admin.new_user", "admin.reset_password"}  # a one-time password, shown on the answer


def post_rules(app) -> list:
    """Every rule that accepts POST, login and logout included."""
    return sorted(
        (r for r in app.url_map.iter_rules() if "POST" in r.methods), key=lambda r: r.rule
    )


class World:
    """A unit with its people, and for each POST route a project in which it would work."""

    def __init__(self, make, session, clock) -> None:
        self.make, self.session, self.clock = make, session, clock
        self.unit = make.unit("苏州市公安局")
        self.people = {
            "filler": make.user(Role.filler, unit=self.unit),
            "unit_head": make.user(Role.unit_head, unit=self.unit),
            "reviewer": make.user(Role.reviewer),
            "admin": make.user(Role.admin),
            "security_admin": make.user(Role.security_admin),
        }
        self.someone = make.user(Role.reviewer)  # made the last change, so nobody is blocked
        queue_email(session, dedupe_key="dead", to_addr="a@b.cn", subject="提醒", body="正文",
                    now=clock.now())  # fmt: skip
        session.add(Notification(user_id=self.people["filler"].id, title="以下事项今日到期：付款",
                                 body="", created_at=clock.now()))  # fmt: skip
        session.commit()
        self.email = session.scalar(select(OutboundEmail))
        self.email.status = "dead"
        self.rule = ScoringTemplateChoice(year=2030, template="national", set_at=clock.now())
        session.add(self.rule)
        session.commit()

    def project(self, state: str, *, confirmed: bool = True) -> Project:
        filler = self.people["filler"]
        project = self.make.project(self.unit, state=state, creator=filler, submitted_by=filler,
                                    last_by=self.someone)  # fmt: skip
        self.session.add(Milestone(project_id=project.id, position=0, kind="payment",
                                   title="支付启动款", due=dt.date(2026, 6, 30)))  # fmt: skip
        if not confirmed:
            project.milestones_confirmed_at = None
        self.session.commit()
        return project

    def target(self, rule, trigger: str | None) -> tuple[str, dict, dict]:
        """(role, url values, form data) that make this route work, but for the token."""
        endpoint, filler = rule.endpoint, self.people["filler"]
        if endpoint == "projects.act":
            t = get_lifecycle().spec.by_trigger[trigger]
            project = self.project(t.sources[0])
            data = {"comment": "请补充材料", "version": str(project.version)}
            return sorted(t.roles)[0], {"project_id": project.id}, data
        if endpoint == "auth.login":
            return "anonymous", {}, {"username": filler.username, "password": PASSWORD}
        if endpoint == "auth.change_password":
            new = "Changed-pass-2026"
            return "filler", {}, {"current": PASSWORD, "new": new, "confirm": new}
        if endpoint in ("admin.reset_password", "admin.unlock_user", "admin.set_roles"):
            # on a user who is not logged in (a reset or a new role ends their sessions)
            values = {**self._admin_values(), "user_id": self.someone.id}
            return "security_admin", values, self._admin_data(endpoint)
        if endpoint == "admin.security_policy_page":
            return "security_admin", self._admin_values(), self._admin_data(endpoint)
        if endpoint.startswith("admin.") or rule.rule.startswith("/admin"):
            return "admin", self._admin_values(), self._admin_data(endpoint)
        if endpoint == "declaration.new_project":
            return "filler", {}, {"name": "新项目", "year": "2027"}
        if "project_id" in rule.arguments:
            return "filler", *self._project_route(endpoint)
        if endpoint == "notifications.email_preference":
            return "filler", {}, {"email_mode": "each"}
        return "filler", {}, {}

    def _project_route(self, endpoint: str) -> tuple[dict, dict]:
        state = {
            "evaluation.edit": "evaluating",
            "declaration.edit": "draft",
            "milestones.page": "approved",
            "milestones.confirm": "approved",
        }.get(endpoint, "implementing")
        confirmed = endpoint not in ("milestones.page", "milestones.confirm")
        project = self.project(state, confirmed=confirmed)
        milestone = self.session.scalar(select(Milestone).where(Milestone.project_id == project.id))
        values = {"project_id": project.id, "milestone_id": milestone.id}
        data = {"version": str(project.version)}
        if endpoint == "declaration.edit":
            data |= flat({**COMPLETE_DECLARATION, "name": "新名称", "year": "2026"})
        elif endpoint == "evaluation.edit":
            data |= COMPLETE_EVALUATION
        elif endpoint == "milestones.page":
            rows = milestone_ops.to_rows([milestone])
            data |= {f"milestones-0-{k}": v for k, v in rows[0].items()} | {
                "milestones-0-title": "支付首付款"
            }
        elif endpoint == "milestones.record":
            data |= {"actual_date": "2026-03-01", "paid_amount": "10", "note": "已支付"}
        return values, data

    def _admin_values(self) -> dict:
        return {"unit_id": self.unit.id, "user_id": self.people["filler"].id,
                "email_id": self.email.id, "choice_id": self.rule.id}  # fmt: skip

    def _admin_data(self, endpoint: str) -> dict:
        return {
            "admin.units": {"code": "000999", "name": "苏州市新单位"},
            "admin.edit_unit": {"code": self.unit.code, "name": "苏州市公安局（改）"},
            "admin.new_user": {"username": "newbie", "display_name": "新用户"},
            "admin.user": {"display_name": "改名", "unit_id": str(self.unit.id),
                                "is_active": "y"},
            "admin.set_roles": {"roles": "auditor"},
            "admin.security_policy_page": {"password_max_age_days": "60", "password_history": "5",
                                           "session_idle_minutes": "30", "session_max_hours": "8",
                                           "lockout_failures": "5", "lockout_minutes": "15"},
            "admin.scoring_templates": {"unit_id": "", "year": "2027", "template": "national"},
        }.get(endpoint, {})  # fmt: skip


@pytest.fixture
def world(make, session, clock) -> World:
    return World(make, session, clock)


def _browsers(app, world) -> dict[str, Browser]:
    browsers = {"anonymous": Browser(app.test_client())}
    browsers["anonymous"].get("/login")
    for role in ROLES:
        b = Browser(app.test_client())
        assert b.login(world.people[role]).status_code == 302
        b.get("/notifications")  # the page's token, for the control requests
        browsers[role] = b
    return browsers


def _cases(app, world):
    adapter = app.url_map.bind("localhost")
    triggers = [t.trigger for t in get_lifecycle().spec.transitions]
    for rule in post_rules(app):
        for trigger in triggers if "trigger" in rule.arguments else [None]:
            role, values, data = world.target(rule, trigger)
            # 1 for an argument a route added later takes: the token is checked before the view.
            values = {**dict.fromkeys(rule.arguments, 1), **values, "trigger": trigger}
            url = adapter.build(rule.endpoint, {a: values[a] for a in rule.arguments})
            yield rule.endpoint, role, url, data


def _tampered(token: str) -> str:
    """The page's own token with the first character of its signature changed. (Changing its
    last characters could leave the signature the same: the last base64 character carries only
    two bits, and the run in which it did failed.)"""
    body, _, signature = token.rpartition(".")
    first = "A" if signature[0] != "A" else "B"
    return f"{body}.{first}{signature[1:]}"


def _refused(response, where: str) -> None:
    assert response.status_code == 400, where
    page = text_of(response)
    assert CSRF_MESSAGE in page and "请求无效" in page, where


def test_every_post_route_refuses_a_missing_or_wrong_token(app, world, session):
    browsers = _browsers(app, world)
    stranger = Browser(app.test_client())
    stranger.login(world.make.user(Role.admin))
    stranger.get("/notifications")  # a real token, of somebody else's session
    tried = set()
    for endpoint, role, url, data in list(_cases(app, world)):
        b = browsers[role]
        before = database_dump(session)
        tampered = _tampered(b.token)
        for token in (None, "wrong", stranger.token, tampered):
            sent = data if token is None else {**data, "csrf_token": token}
            where = f"{role} POST {url} with token {token!r}"
            _refused(b.post(url, sent, csrf=False), where)
            assert database_dump(session) == before, f"{where} changed the database"
        if endpoint == "auth.logout":
            continue  # the control would end the session the other routes need; see below
        control = b.post(url, data)
        where = f"{role} POST {url} with the right token: {control.status_code}"
        assert control.status_code < 500 and CSRF_MESSAGE not in text_of(control), where
        b.get("/notifications")  # a new token: a password change starts a new session
        if endpoint in KNOWN:  # a route added later gets no made-up data: the refusal suffices
            assert control.status_code in ((200,) if endpoint in RENDERS else (302, 303)), where
            if endpoint == "auth.login":
                assert b.get("/projects").status_code == 200, "the login did not log in"
            else:
                assert database_dump(session) != before, f"{where} changed nothing"
        tried.add(endpoint)
    assert tried == {r.endpoint for r in post_rules(app)} - {"auth.logout"}
    assert tried >= KNOWN


def test_logout_needs_the_token(app, world, session):
    b = Browser(app.test_client())
    b.login(world.people["filler"])
    b.get("/notifications")
    _refused(b.post("/logout", csrf=False), "logout without a token")
    _refused(b.post("/logout", {"csrf_token": "wrong"}, csrf=False), "logout, wrong token")
    assert b.get("/projects").status_code == 200  # still logged in
    assert b.post("/logout").status_code == 302
    assert b.get("/projects").status_code == 302


def test_login_without_a_token_does_not_log_in_or_count_a_failure(app, world, session):
    filler = world.people["filler"]
    b = Browser(app.test_client())
    b.get("/login")
    before = database_dump(session)
    for sent in (
        {"username": filler.username, "password": PASSWORD},
        {"username": filler.username, "password": "wrong-password"},
        {"username": filler.username, "password": PASSWORD, "csrf_token": "wrong"},
    ):
        _refused(b.post("/login", sent, csrf=False), f"login {sent}")
        assert b.get("/projects").status_code == 302  # still anonymous
    assert database_dump(session) == before  # no login failure recorded either
    assert b.post("/login", {"username": filler.username, "password": PASSWORD}).status_code == 302
    assert b.get("/projects").status_code == 200
    fresh(session)
    assert session.get(User, filler.id).is_active
