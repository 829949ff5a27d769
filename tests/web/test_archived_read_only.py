"""An archived project is read-only: every POST route of url_map that takes a project id (so a
new route cannot escape), as every role, with a valid token and plausible data, is refused and
changes nothing of the project; its pages still show to those who may see it."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import func, select

from tests.conftest import COMPLETE_DECLARATION, COMPLETE_EVALUATION, flat
from tests.integration.test_milestones import PLAN_001
from tests.web.conftest import Browser, text_of
from tests.web.safety import assert_chinese_errors, fresh, project_dump
from workflow.declaration.form import apply_form
from workflow.declaration.models import Declaration
from workflow.evaluation import operations as evaluation_ops
from workflow.lifecycle.machine import get_lifecycle
from workflow.lifecycle.operations import fire
from workflow.milestones import operations as milestone_ops
from workflow.org.models import Role
from workflow.projects.models import Project
from workflow.uow import UnitOfWork

ROLES = ["filler", "unit_head", "reviewer", "admin", "other_filler", "other_head"]
STRANGERS = {"other_filler", "other_head", "admin"}  # another unit, or one of the 三员
EVALUATION = {
    **COMPLETE_EVALUATION,
    "budget_initial": "350", "appropriated": "350", "paid": "350",
    "fund_items-0-actual": "300", "fund_items-1-actual": "50",
    "indicators-0-actual": "=100%", "indicators-1-actual": "=200人",
    "indicators-2-actual": "96%", "indicators-3-actual": "92%",
}  # fmt: skip


@pytest.fixture
def archived(session, make, clock):
    """A project taken through the real operations to the archive: declaration, confirmed and
    recorded milestones (seed 001's payment plan, 质保金 included), a complete self-evaluation."""
    unit, other = make.unit("苏州市应急管理局"), make.unit("苏州市公安局")
    people = {
        "filler": make.user(Role.filler, unit=unit),
        "unit_head": make.user(Role.unit_head, unit=unit),
        "reviewer": make.user(Role.reviewer),
        "admin": make.user(Role.admin),
        "other_filler": make.user(Role.filler, unit=other),
        "other_head": make.user(Role.unit_head, unit=other),
    }
    filler, head, approver = people["filler"], people["unit_head"], make.user(Role.reviewer)
    project = make.project(unit, state="declared", creator=filler, submitted_by=filler,
                           last_by=head, complete=False)  # fmt: skip
    apply_form(session.get(Declaration, project.id),
               {**COMPLETE_DECLARATION, "implementation_plan": PLAN_001})  # fmt: skip
    project.year = 2020
    session.commit()

    def act(trigger, actor):
        fire(UnitOfWork(session), project, trigger, actor=actor, now=clock.now())

    act("approve", approver)
    rows = milestone_ops.to_rows(milestone_ops.milestones_of(session, project))
    rows[6]["due"] = "2020-12-15"
    milestone_ops.save_milestones(UnitOfWork(session), project, rows, actor=filler,
                                  now=clock.now(), expected_version=None)  # fmt: skip
    milestone_ops.confirm(UnitOfWork(session), project, actor=filler, now=clock.now())
    act("start_implementation", head)
    for n, m in enumerate(milestone_ops.milestones_of(session, project)):
        milestone_ops.record_actual(UnitOfWork(session), project, m,
                                    {"actual_date": f"2021-01-{n + 10}", "paid_amount": "10",
                                     "note": "已完成"}, actor=filler, now=clock.now())  # fmt: skip
    act("begin_evaluation", filler)
    evaluation_ops.save_evaluation(UnitOfWork(session), project, EVALUATION, actor=filler,
                                   now=clock.now(), expected_version=None)  # fmt: skip
    act("submit_evaluation", filler)
    act("sign_evaluation", head)
    act("archive", people["reviewer"])
    assert project.state == "archived"
    return project, people


def _data(session, project: Project) -> dict[str, dict[str, str]]:
    """Plausible form data for each kind of route, each with the right version."""
    milestones = milestone_ops.milestones_of(session, project)
    rows = milestone_ops.to_rows(milestones)
    version = {"version": str(project.version), "comment": "归档后再改"}
    return {
        "declaration": version | flat({**COMPLETE_DECLARATION, "name": "改名", "year": "2020"}),
        "evaluation": version | EVALUATION | {"implementation": "归档后改写"},
        "milestones": version
        | {
            f"milestones-{i}-{k}": v for i, row in enumerate(rows) for k, v in row.items()
        },  # fmt: skip
        "record": version | {"actual_date": "2026-03-01", "paid_amount": "99", "note": "改"},
    }


def _kind(endpoint: str) -> str:
    for kind in ("declaration", "evaluation", "milestones"):
        if kind in endpoint:
            return kind
    return "record"


def _post_cases(app, session, project):
    """(endpoint, url, data) for every POST rule that takes a project id, with every milestone
    id and every trigger of the lifecycle."""
    adapter = app.url_map.bind("localhost")
    milestone_ids = [m.id for m in milestone_ops.milestones_of(session, project)]
    triggers = [t.trigger for t in get_lifecycle().spec.transitions]
    choices = {"milestone_id": milestone_ids, "trigger": triggers}
    data = _data(session, project)
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "POST" not in rule.methods or "project_id" not in rule.arguments:
            continue
        names = sorted(rule.arguments & choices.keys())
        for combo in itertools.product(*(choices[n] for n in names)):
            values = {**dict.fromkeys(rule.arguments, 1), "project_id": project.id,
                      **dict(zip(names, combo, strict=True))}  # fmt: skip
            endpoint = rule.endpoint
            kind = "record" if endpoint == "milestones.record" else _kind(endpoint)
            yield endpoint, adapter.build(endpoint, values), data[kind]


def _browser(app, user) -> Browser:
    b = Browser(app.test_client())
    assert b.login(user).status_code == 302
    b.get("/notifications")  # a valid token for this session
    return b


@pytest.mark.parametrize("role", ROLES)
def test_no_post_route_changes_an_archived_project(app, session, archived, role):
    project, people = archived
    b = _browser(app, people[role])
    before = project_dump(session, project.id)
    projects = session.scalar(select(func.count()).select_from(Project))
    tried = set()
    for endpoint, url, data in list(_post_cases(app, session, project)):
        response = b.post(url, data)
        where = f"{role} POST {url}: {response.status_code}"
        after = project_dump(session, project.id)
        if endpoint == "declaration.copy" and role == "filler":
            # Copying last year's archived project into a new draft is how next year starts:
            # a new project, the archived one untouched.
            assert response.status_code == 302, where
            assert {**after, "audit events": 0} == {**before, "audit events": 0}, where
            projects += 1
            assert session.scalar(select(func.count()).select_from(Project)) == projects
            before = after  # the new project's creation is audited
        elif endpoint == "library.promote" and role == "reviewer":
            # Finance takes an archived project's indicator into the 绩效指标库: the library
            # grows, the project stays as it was.
            assert response.status_code == 302, where
            assert {**after, "audit events": 0} == {**before, "audit events": 0}, where
            before = after  # the library's growth is audited
        else:
            expected = {404} if role in STRANGERS else {403, 409}
            assert response.status_code in expected, where
            assert_chinese_errors(text_of(response))
            assert after == before, f"{where} changed the archived project"
        tried.add(endpoint)
    assert {"projects.act", "declaration.edit", "evaluation.edit", "milestones.page",
            "milestones.confirm", "milestones.record", "declaration.copy"} <= tried  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_the_archived_pages_still_show(app, session, archived, role):
    project, people = archived
    b = _browser(app, people[role])
    adapter = app.url_map.bind("localhost")
    shown = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or "project_id" not in rule.arguments:
            continue
        values = {**dict.fromkeys(rule.arguments, 1), "project_id": project.id}
        url = adapter.build(rule.endpoint, values)
        response = b.get(url)  # a PDF route answers with its waiting page: no PDF is made
        where = f"{role} GET {url}: {response.status_code}"
        if role in STRANGERS:
            assert response.status_code == 404, where
        elif "POST" in rule.methods:  # an edit form: closed now, or a read-only page
            assert response.status_code in (200, 403), where
        else:
            assert response.status_code == 200, where
            shown += 1
    assert shown >= (0 if role in STRANGERS else 4)  # detail, print, XLSX, PDF at least
    fresh(session)
    assert session.get(Project, project.id).state == "archived"


def test_an_outstanding_release_is_recorded_once_after_the_archive(app, session, archived):
    """The one thing that outlives the archive: a 质保金 still to be released is recorded when it
    is paid (its reminders stop then); once recorded it is final like everything else."""
    project, people = archived
    warranty = next(
        m for m in milestone_ops.milestones_of(session, project) if m.kind == "warranty_release"
    )
    warranty.actual_date = warranty.paid_amount = None
    session.commit()
    b = _browser(app, people["filler"])
    page = text_of(b.get(f"/projects/{project.id}/milestones"))
    # Only the outstanding release offers a form; the recorded rows do not.
    assert page.count('name="actual_date"') == 1
    assert f'/milestones/{warranty.id}"' in page
    url = f"/projects/{project.id}/milestones/{warranty.id}"
    assert b.post(url, {"actual_date": "2024-01-18", "paid_amount": "71.75"}).status_code == 302
    recorded = project_dump(session, project.id)
    again = b.post(url, {"actual_date": "2024-02-01", "paid_amount": "1"})
    assert again.status_code == 403
    assert "项目已归档，已登记的完成情况不能再修改" in text_of(again)
    assert project_dump(session, project.id) == recorded
    assert 'name="actual_date"' not in text_of(b.get(f"/projects/{project.id}/milestones"))
