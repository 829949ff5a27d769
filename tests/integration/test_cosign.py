"""会签 (issue 16): a transition that needs several approvals, declared in states.yaml and run
from a variant file (tests/variants/with_cosign.yaml: 500 万元 and more need two reviewers) with
no Python change. Each approval is a vote, audited with its comment; the transition fires with the
vote that meets the rule; a return decides at once; nobody votes twice; the submitter never
votes; votes from before a return do not count; racing approvals give exactly the votes cast."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.integration.test_concurrency import _race
from workflow.audit import chain
from workflow.audit.models import AuditEvent
from workflow.errors import Conflict, GuardFailed, InvalidTransition
from workflow.lifecycle.machine import load_lifecycle
from workflow.lifecycle.operations import available_actions, fire, todo_count
from workflow.lifecycle.spec import HookNames, SpecError, parse_spec
from workflow.lifecycle.votes import ApprovalVote, tally
from workflow.notify.models import Notification
from workflow.org.models import Role, User
from workflow.projects.models import Project
from workflow.uow import UnitOfWork

VARIANT = Path(__file__).parents[1] / "variants" / "with_cosign.yaml"
LC = load_lifecycle(VARIANT)


@pytest.fixture
def large(make, session):
    """A declaration of 600 万元 waiting for finance; three reviewers."""
    unit = make.unit()
    filler, head = make.user(Role.filler, unit=unit), make.user(Role.unit_head, unit=unit)
    project = make.project(unit, state="declared", creator=filler, submitted_by=filler,
                           last_by=head)  # fmt: skip
    project.amount = Decimal(600)
    reviewers = [make.user(Role.reviewer, name=n) for n in ("沈审核", "周复核", "吴科长")]
    session.commit()
    return project, reviewers, filler, head


def _approve(session, project, user, clock, comment=""):
    return fire(UnitOfWork(session), project, "approve", actor=user, now=clock.now(),
                comment=comment, lifecycle=LC)  # fmt: skip


def _state(session, project) -> str:
    session.rollback()
    session.expire_all()
    return session.get(Project, project.id).state


def test_two_reviewers_approve_a_large_project_each_vote_audited(large, session, clock):
    project, (shen, zhou, _), _, _ = large
    first = _approve(session, project, shen, clock, comment="材料齐全，同意。")
    assert (first.action, first.label, first.to_state) == (
        "approval_vote", "批复通过（会签同意 1/2）", None)  # fmt: skip
    assert first.comment == "材料齐全，同意。"
    assert _state(session, project) == "declared"
    standing = tally(session, session.get(Project, project.id), LC.spec.transition("approve"))
    assert (standing.count, standing.needed, standing.met) == (1, 2, False)
    last = _approve(session, project, zhou, clock, comment="同意。")
    assert (last.action, last.to_state) == ("approve", "approved")
    assert json.loads(last.details)["approvals"] == ["沈审核", "周复核"]
    assert _state(session, project) == "approved"
    votes = session.scalars(select(ApprovalVote).order_by(ApprovalVote.id)).all()
    assert [(v.user_id, v.event_seq) for v in votes] == [(shen.id, first.seq), (zhou.id, last.seq)]
    assert chain.verify(session).ok


def test_a_small_project_needs_one_approval(large, session, clock):
    project, (shen, *_), _, _ = large
    project.amount = Decimal("499.99")
    session.commit()
    assert _approve(session, project, shen, clock).to_state == "approved"


def test_nobody_votes_twice_and_the_submitter_never_votes(large, session, clock):
    project, (shen, zhou, _), filler, _ = large
    _approve(session, project, shen, clock)
    with pytest.raises(GuardFailed) as again:
        _approve(session, project, shen, clock)
    assert again.value.problems[0].message == "您已同意，尚需另外 1 人同意，无需重复办理"
    session.rollback()
    project = session.get(Project, project.id)
    project.submitted_by_id = zhou.id  # a reviewer who submitted it (as a unit's stand-in)
    session.commit()
    with pytest.raises(GuardFailed):
        _approve(session, project, zhou, clock)
    session.rollback()
    assert session.scalar(select(func.count()).select_from(ApprovalVote)) == 1


def test_the_voter_sees_their_part_done_and_the_others_still_awaited(large, session, clock):
    project, (shen, zhou, wu), _, _ = large
    for user in (shen, zhou):  # the 待办 each was sent when it was declared
        session.add(
            Notification(
                user_id=user.id,
                project_id=project.id,
                kind="todo",
                title="待您办理：批复通过",
                body="",
                created_at=clock.now(),
            )
        )
    session.commit()
    today = clock.now().date()
    assert [todo_count(session, u, LC.spec, today) for u in (shen, zhou, wu)] == [1, 1, 1]
    _approve(session, project, shen, clock)
    session.expire_all()
    assert [todo_count(session, u, LC.spec, today) for u in (shen, zhou, wu)] == [0, 1, 1]
    unread = session.scalars(select(Notification.user_id).where(Notification.read_at.is_(None)))
    assert list(unread) == [zhou.id]  # 沈's 待办 is done; 周's still waits
    project = session.get(Project, project.id)
    actions = {a.trigger: a for a in available_actions(session, project, shen, now=clock.now(),
                                                       lifecycle=LC)}  # fmt: skip
    assert [p.message for p in actions["approve"].problems] == ["您已同意，尚需另外 1 人同意"]
    assert actions["return_for_revision"].allowed  # a veto stays open to the voter


def test_one_return_decides_at_once_and_earlier_votes_do_not_count_after_it(
    large, session, clock, make
):
    project, (shen, zhou, wu), filler, head = large
    _approve(session, project, shen, clock)
    fire(UnitOfWork(session), project, "return_for_revision", actor=zhou, now=clock.now(),
         comment="请补充可行性研究报告。", lifecycle=LC)  # fmt: skip
    assert _state(session, project) == "draft"  # one return, whatever the count so far
    project = session.get(Project, project.id)
    clock.advance(dt.timedelta(hours=1))
    for trigger, actor in (("submit", filler), ("declare", head)):
        fire(UnitOfWork(session), project, trigger, actor=actor, now=clock.now(), lifecycle=LC)
    # 沈's approval was of the earlier round: it counts no more, and 沈 may approve again.
    standing = tally(session, session.get(Project, project.id), LC.spec.transition("approve"))
    assert standing.count == 0
    assert _approve(session, project, shen, clock).action == "approval_vote"
    assert _approve(session, project, wu, clock).to_state == "approved"


def test_racing_approvals_give_exactly_the_votes_and_one_transition(
    db, database_url, large, clock, make, session
):
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite serializes writers, so there is no row-level race to test")
    project, reviewers, _, _ = large
    reviewers += [make.user(Role.reviewer) for _ in range(5)]
    session.commit()

    def approve(user_id):
        def act(uow, p, s):
            return fire(uow, p, "approve", actor=s.get(User, user_id), now=clock.now(),
                        lifecycle=LC)  # fmt: skip

        return act

    results = _race(db, project.id, [approve(r.id) for r in reviewers])
    done = [r for r in results if not isinstance(r, Exception)]
    refused = [type(r) for r in results if isinstance(r, Exception)]
    assert sorted(e.action for e in done) == ["approval_vote", "approve"]
    assert set(refused) <= {InvalidTransition, Conflict} and len(refused) == len(reviewers) - 2
    with db.session() as s:
        assert s.get(Project, project.id).state == "approved"
        assert s.scalar(select(func.count()).select_from(ApprovalVote)) == 2
        assert s.scalar(select(func.count()).where(AuditEvent.action == "approve")) == 1
        assert chain.verify(s).ok


NAMES = HookNames(guards=frozenset({"not_own_approval"}), recipients=frozenset({"reviewers"}))


def _spec(approvals: str):
    import yaml

    text = f"""
initial: a
roles: {{reviewer: 财政审核人, unit_head: 单位负责人, filler: 填报人}}
states: {{a: {{label: 甲}}, b: {{label: 乙}}}}
transitions:
  - {{trigger: go, source: a, dest: b, label: 通过, roles: [reviewer, unit_head],
      approvals: {approvals}}}
"""
    return parse_spec(yaml.safe_load(text), names=NAMES, source="variant.yaml")


@pytest.mark.parametrize(
    ("approvals", "message"),
    [
        ("{count: 2, roles: [auditor]}", "引用了未知的角色「auditor」"),
        ("{count: 2, roles: [filler]}", "角色「filler」不在该转换的 roles 中"),
        ("{count: 2, all_of: [reviewer]}", "二者选一"),
        ("{roles: [reviewer]}", "二者选一"),
        ("{count: 0}", "count 应为 1–20 的整数"),
        ("{count: 2, when: {amount_over: 5}}", "未知的条件「amount_over」"),
        ("{count: 2, when: {amount_at_least: -1}}", "不小于 0 的数"),
        ("{all_of: [reviewer, reviewer]}", "角色重复"),
        ("{count: 2, colour: red}", "未知的键：colour"),
    ],
)
def test_an_approvals_block_is_checked_at_start_up(approvals, message):
    with pytest.raises(SpecError, match=message):
        _spec(approvals)


def test_an_approvals_block_reads_both_forms():
    count = _spec("{count: 2, roles: [reviewer], when: {amount_at_least: 500}}")
    rule = count.transition("go").approvals
    assert (rule.count, rule.roles, rule.needed) == (2, frozenset({"reviewer"}), 2)
    assert rule.describe(count.roles) == "申报金额（万元）不低于 500 的项目需2 位财政审核人同意"
    both = _spec("{all_of: [reviewer, unit_head]}").transition("go").approvals
    assert (both.all_of, both.needed) == (("reviewer", "unit_head"), 2)


def test_all_of_needs_one_of_each_role_and_a_second_of_one_role_does_not_count():
    from types import SimpleNamespace

    from workflow.lifecycle.spec import ApprovalRule
    from workflow.lifecycle.votes import _role_for, _tally

    rule = ApprovalRule(all_of=("reviewer", "unit_head"))
    vote = SimpleNamespace(user_id=1, role="reviewer")
    standing = _tally(rule, [(vote, "沈审核")])
    assert (standing.count, standing.missing_roles, standing.met) == (1, ("unit_head",), False)
    another_reviewer = SimpleNamespace(id=2, roles={Role.reviewer})
    both = SimpleNamespace(id=3, roles={Role.reviewer, Role.unit_head})
    assert _role_for(rule, another_reviewer, standing) is None  # 财政审核人 is there already
    assert _role_for(rule, both, standing) == "unit_head"  # counts where it is missing
    done = _tally(rule, [(vote, "沈审核"), (SimpleNamespace(user_id=3, role="unit_head"), "郁")])
    assert done.met and done.missing_roles == ()
