"""Reviewers assigned to units (issue 16): the 系统管理员 assigns 财政审核人 to 预算单位 (many to
many); a reviewer sees and acts on the projects of their units, and every reviewer on those of a
unit assigned to nobody. A change moves the waiting work at once; an account that is no longer
an active reviewer reviews nothing; every change is audited; the admin pages say who reviews
what and which units are assigned to nobody."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from tests.conftest import START
from tests.web.conftest import StatementCounter, text_of
from workflow.audit.models import AuditEvent
from workflow.errors import InvalidInput, NotAllowed
from workflow.lifecycle.machine import get_lifecycle
from workflow.lifecycle.operations import fire
from workflow.notify.models import Notification
from workflow.org import access
from workflow.org import operations as org
from workflow.org.models import Role, Unit, User
from workflow.projects.models import Project
from workflow.uow import UnitOfWork
from workflow.workbench import workbench

SPEC = get_lifecycle().spec


@pytest.fixture
def bureau(make, session):
    """Two units with a declaration each waiting for finance, three reviewers, an admin."""
    police, fire_dept = make.unit("苏州市公安局"), make.unit("苏州市消防救援支队")
    people = {
        "admin": make.user(Role.admin, name="系统管理员"),
        "shen": make.user(Role.reviewer, name="沈审核"),
        "zhou": make.user(Role.reviewer, name="周复核"),
        "wu": make.user(Role.reviewer, name="吴科长"),
    }
    projects = {}
    for unit in (police, fire_dept):
        filler = make.user(Role.filler, unit=unit)
        projects[unit.name] = make.project(unit, state="declared", creator=filler,
                                           submitted_by=filler, last_by=filler)  # fmt: skip
    session.commit()
    return {"police": police, "fire": fire_dept}, people, projects


def _assign(session, unit: Unit, *reviewers: User, actor: User) -> list[User]:
    return org.assign_reviewers(UnitOfWork(session), unit, [r.id for r in reviewers], actor=actor,
                                now=START)  # fmt: skip


def _sees(session, user: User) -> set[str]:
    session.rollback()
    session.expire_all()
    user = session.get(User, user.id)
    return set(session.scalars(access.visible_projects(user, SPEC).with_only_columns(Project.name)))


def _todo(session, user: User, clock) -> int:
    session.rollback()
    session.expire_all()
    return workbench(session, session.get(User, user.id), SPEC, now=clock.now()).todo_count


def test_a_reviewer_handles_their_units_and_every_unit_assigned_to_nobody(bureau, session, clock):
    units, people, projects = bureau
    police, fire_dept = (projects[u.name] for u in (units["police"], units["fire"]))
    assert (
        _sees(session, people["shen"])
        == _sees(session, people["zhou"])
        == {police.name, fire_dept.name}
    )  # nobody assigned: every reviewer
    _assign(session, units["police"], people["shen"], actor=people["admin"])
    assert _sees(session, people["shen"]) == {police.name, fire_dept.name}
    assert _sees(session, people["zhou"]) == {fire_dept.name}  # 消防 still assigned to nobody
    session.expire_all()
    zhou, shen = session.get(User, people["zhou"].id), session.get(User, people["shen"].id)
    project = session.get(Project, police.id)
    assert access.can_view(shen, project, SPEC) and not access.can_view(zhou, project, SPEC)
    approve = SPEC.transition("approve")
    assert access.may_fire(shen, project, approve) and not access.may_fire(zhou, project, approve)


def test_a_change_moves_the_waiting_work_at_once(bureau, session, clock):
    units, people, _ = bureau
    assert _todo(session, people["shen"], clock) == _todo(session, people["zhou"], clock) == 2
    _assign(session, units["police"], people["shen"], actor=people["admin"])
    _assign(session, units["fire"], people["zhou"], people["wu"], actor=people["admin"])
    counts = [_todo(session, people[k], clock) for k in ("shen", "zhou", "wu")]
    assert counts == [1, 1, 1]
    _assign(session, units["police"], people["zhou"], actor=people["admin"])  # 沈 on leave
    counts = [_todo(session, people[k], clock) for k in ("shen", "zhou", "wu")]
    assert counts == [0, 2, 1]


def test_only_the_reviewers_of_the_unit_are_told(bureau, session, make, clock):
    units, people, _ = bureau
    _assign(session, units["police"], people["shen"], actor=people["admin"])
    filler = make.user(Role.filler, unit=units["police"])
    head = make.user(Role.unit_head, unit=units["police"])
    project = make.project(units["police"], state="draft", creator=filler)
    session.commit()
    fire(UnitOfWork(session), project, "submit", actor=filler, now=clock.now())
    fire(UnitOfWork(session), project, "declare", actor=head, now=clock.now())
    told = set(session.scalars(select(Notification.user_id).where(
        Notification.project_id == project.id)))  # fmt: skip
    reviewers = {people[k].id for k in ("shen", "zhou", "wu")}
    assert told & reviewers == {people["shen"].id}


def test_the_reviewers_who_lose_a_unit_have_its_messages_done(bureau, session, clock):
    units, people, projects = bureau
    police = projects["苏州市公安局"]
    for key in ("shen", "zhou", "wu"):  # each was told when it was declared
        session.add(
            Notification(
                user_id=people[key].id,
                project_id=police.id,
                kind="todo",
                title="待您办理：批复通过",
                body="",
                created_at=clock.now(),
            )
        )
    session.commit()
    _assign(session, units["police"], people["shen"], people["wu"], actor=people["admin"])
    _assign(session, units["police"], people["wu"], actor=people["admin"])
    unread = session.scalars(select(Notification.user_id).where(Notification.read_at.is_(None)))
    assert list(unread) == [people["wu"].id]


def test_only_the_admin_assigns_and_only_active_reviewers(bureau, session, make):
    units, people, _ = bureau
    with pytest.raises(NotAllowed):
        _assign(session, units["police"], people["shen"], actor=people["zhou"])
    session.rollback()
    filler = make.user(Role.filler, unit=units["police"])
    session.commit()
    with pytest.raises(InvalidInput) as refused:
        _assign(session, units["police"], filler, actor=people["admin"])
    assert refused.value.problems[0].message == "只能选择在用的财政审核人"
    session.rollback()
    assert not session.get(Unit, units["police"].id).reviewer_ids  # nothing half-saved


def test_every_change_is_audited_with_the_names_before_and_after(bureau, session):
    units, people, _ = bureau
    _assign(session, units["police"], people["shen"], actor=people["admin"])
    _assign(session, units["police"], people["zhou"], people["wu"], actor=people["admin"])
    _assign(session, units["police"], people["zhou"], people["wu"], actor=people["admin"])  # same
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "assign_reviewers")
                             .order_by(AuditEvent.seq)).all()  # fmt: skip
    changes = [json.loads(e.details) for e in events]
    assert [(c["before"], c["after"]) for c in changes] == [
        ([], ["沈审核"]), (["沈审核"], ["周复核", "吴科长"])]  # fmt: skip
    assert all(e.label == "分配财政审核人" and e.actor_id == people["admin"].id for e in events)


@pytest.mark.parametrize("how", ["deactivated", "role taken away"])
def test_an_account_no_longer_an_active_reviewer_reviews_nothing(bureau, session, make, how):
    units, people, projects = bureau
    _assign(session, units["police"], people["shen"], actor=people["admin"])
    shen = session.get(User, people["shen"].id)
    if how == "deactivated":
        org.update_user(UnitOfWork(session), shen, display_name=shen.display_name, unit_id=None,
                        is_active=False, actor=people["admin"], now=START)  # fmt: skip
    else:
        security = make.user(Role.security_admin)
        session.commit()
        org.set_roles(UnitOfWork(session), shen, [], actor=security, now=START)
    # The unit falls back to every reviewer: it is never left with nobody.
    assert projects["苏州市公安局"].name in _sees(session, people["zhou"])
    assert not session.get(Unit, units["police"].id).reviewer_ids


def test_the_admin_pages_say_who_reviews_what(bureau, session, browser, db):
    units, people, _ = bureau
    admin = browser()
    admin.login(people["admin"])
    page = text_of(admin.get("/admin/units"))
    assert "尚未分配财政审核人的单位（2）" in page
    unit_page = text_of(admin.get(f"/admin/units/{units['police'].id}"))
    for name in ("沈审核", "周复核", "吴科长"):
        assert name in unit_page
    response = admin.post(f"/admin/units/{units['police'].id}/reviewers",
                          {"reviewers": [people["shen"].id, people["wu"].id]})  # fmt: skip
    assert response.status_code == 302
    assert "已保存：苏州市公安局的财政审核人为吴科长、沈审核" in text_of(
        admin.get(response.location)
    )
    with StatementCounter(db) as listed:
        page = text_of(admin.get("/admin/units"))
    assert "吴科长、沈审核" in page
    assert "尚未分配财政审核人的单位（1）" in page and "未分配（全部审核人）" in page
    assert listed.count < 15
    reviewer = browser()
    reviewer.login(people["shen"])
    assert reviewer.get("/admin/units").status_code == 403
