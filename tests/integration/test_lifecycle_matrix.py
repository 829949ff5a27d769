"""Every state × every trigger × every kind of actor: allowed transitions succeed, every other
combination is refused with the right error and changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.unit.test_spec import EXPECTED
from workflow.audit.models import AuditEvent
from workflow.errors import InvalidTransition, NotAllowed, NotFound
from workflow.lifecycle.machine import get_lifecycle
from workflow.lifecycle.operations import available_actions, fire
from workflow.org.models import Role
from workflow.uow import UnitOfWork

STATES = list(get_lifecycle().spec.states)
FINANCE_VISIBLE = {
    "declared", "approved", "implementing", "evaluating", "evaluation_unit_review",
    "self_evaluated", "archived", "refused",
}  # fmt: skip
# Actor kinds: who they are relative to the project.
ACTORS = ["filler", "unit_head", "reviewer", "admin", "security_admin", "auditor",
          "other_filler", "other_head"]  # fmt: skip


def _expected(state: str, trigger: str, actor: str):
    """What must happen, written from the issue's table rather than read back from the spec."""
    source, dest, roles = EXPECTED[trigger]
    if actor in ("other_filler", "other_head", "admin", "security_admin", "auditor"):
        return NotFound  # another unit's; or one of the 三员, who see no project
    if actor == "reviewer" and state not in FINANCE_VISIBLE:
        return NotFound
    if state != source:
        return InvalidTransition
    if actor not in roles:
        return NotAllowed
    return dest


@pytest.fixture
def cast(make):
    unit, other = make.unit("苏州市公安局"), make.unit("苏州市应急管理局")
    return {
        "unit": unit,
        "filler": make.user(Role.filler, unit=unit),
        "unit_head": make.user(Role.unit_head, unit=unit),
        "reviewer": make.user(Role.reviewer),
        "admin": make.user(Role.admin),
        "security_admin": make.user(Role.security_admin),
        "auditor": make.user(Role.auditor),
        "other_filler": make.user(Role.filler, unit=other),
        "other_head": make.user(Role.unit_head, unit=other),
        "second_reviewer": make.user(Role.reviewer),
    }


def _project_in(make, cast, state):
    # A complete project, submitted by the filler, last moved by someone other than the actor
    # under test, so that only role, unit and state decide.
    return make.project(
        cast["unit"], state=state, creator=cast["filler"], submitted_by=cast["filler"],
        last_by=cast["second_reviewer"],
    )  # fmt: skip


def _audit_count(session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEvent))


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("state", STATES)
def test_state_trigger_role_matrix(session, make, cast, clock, state, actor):
    user = cast[actor]
    outcomes = {}
    for trigger in EXPECTED:
        project = _project_in(make, cast, state)
        before = _audit_count(session)
        expected = _expected(state, trigger, actor)
        comment = "请补充材料"  # every refusal/return needs one; harmless elsewhere
        if isinstance(expected, str):
            event = fire(UnitOfWork(session), project, trigger, actor=user, now=clock.now(),
                         comment=comment)  # fmt: skip
            session.refresh(project)
            assert (project.state, project.version) == (expected, 2), trigger
            assert (event.actor_id, event.from_state, event.to_state) == (user.id, state, expected)
            assert _audit_count(session) == before + 1
        else:
            with pytest.raises(expected):
                fire(UnitOfWork(session), project, trigger, actor=user, now=clock.now(),
                     comment=comment)  # fmt: skip
            session.refresh(project)
            assert (project.state, project.version) == (state, 1), trigger
            assert _audit_count(session) == before
        outcomes[trigger] = expected
    # The buttons a user sees are exactly the transitions they may fire from this state.
    shown = {a.trigger for a in available_actions(
        session, _project_in(make, cast, state), user, now=clock.now())}  # fmt: skip
    assert shown == {t for t, o in outcomes.items() if isinstance(o, str)}


def test_nobody_approves_their_own_submission(session, make, clock):
    unit = make.unit()
    both = make.user(Role.filler, Role.unit_head, unit=unit, name="身兼两职")
    project = make.project(unit, creator=both)
    fire(UnitOfWork(session), project, "submit", actor=both, now=clock.now())
    [declare] = [a for a in available_actions(session, project, both, now=clock.now())
                 if a.trigger == "declare"]  # fmt: skip
    assert not declare.allowed
    assert [p.message for p in declare.problems] == ["不能审核本人提交的内容，请由其他人员办理"]
    from workflow.errors import GuardFailed

    with pytest.raises(GuardFailed) as excinfo:
        fire(UnitOfWork(session), project, "declare", actor=both, now=clock.now())
    assert excinfo.value.problems[0].field == "actor"
    session.refresh(project)
    assert project.state == "unit_review"


def test_a_reviewer_who_declared_cannot_approve(session, make, clock):
    unit = make.unit()
    filler = make.user(Role.filler, unit=unit)
    head_and_reviewer = make.user(Role.unit_head, Role.reviewer, unit=unit)
    project = make.project(unit, creator=filler)
    fire(UnitOfWork(session), project, "submit", actor=filler, now=clock.now())
    fire(UnitOfWork(session), project, "declare", actor=head_and_reviewer, now=clock.now())
    from workflow.errors import GuardFailed

    with pytest.raises(GuardFailed):
        fire(UnitOfWork(session), project, "approve", actor=head_and_reviewer, now=clock.now())


def test_only_the_filler_who_submitted_may_withdraw(session, make, clock):
    unit = make.unit()
    first, second = make.user(Role.filler, unit=unit), make.user(Role.filler, unit=unit)
    project = make.project(unit, creator=first)
    fire(UnitOfWork(session), project, "submit", actor=first, now=clock.now())
    from workflow.errors import GuardFailed

    with pytest.raises(GuardFailed) as excinfo:
        fire(UnitOfWork(session), project, "withdraw", actor=second, now=clock.now())
    assert excinfo.value.problems[0].message == "只有提交人本人可以撤回"
    fire(UnitOfWork(session), project, "withdraw", actor=first, now=clock.now())
    assert project.state == "draft"


def test_a_deactivated_user_can_do_nothing(session, make, clock):
    unit = make.unit()
    filler = make.user(Role.filler, unit=unit)
    project = make.project(unit, creator=filler)
    filler.is_active = False
    session.commit()
    with pytest.raises(NotFound):
        fire(UnitOfWork(session), project, "submit", actor=filler, now=clock.now())
