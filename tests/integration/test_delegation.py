"""委托 (issue 16): a user hands their work to a colleague while away. The delegate acts in their
name (「周复核（代 吴科长）」 in the history and the audit trail), both are told, and it opens no
loophole: not the delegate's nor the delegator's own submission, one approval a person a round,
only within its dates, and never once either of them is deactivated."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.integration import test_cosign
from workflow.audit import chain
from workflow.audit.models import AuditEvent
from workflow.clock import CHINA
from workflow.errors import GuardFailed, InvalidInput, NotAllowed
from workflow.lifecycle.machine import load_lifecycle
from workflow.lifecycle.operations import available_actions, fire
from workflow.lifecycle.votes import ApprovalVote
from workflow.notify.models import Notification
from workflow.org import delegation
from workflow.org import operations as org
from workflow.org.models import Delegation, Role
from workflow.projects.models import Project
from workflow.uow import UnitOfWork
from workflow.workbench import workbench

VARIANT = Path(__file__).parents[1] / "variants" / "with_cosign.yaml"
LC = load_lifecycle(VARIANT)
#: the fixture: a declaration of 600 万元 waiting for finance, three reviewers (吴科长 the third)
large = test_cosign.large


def _today(clock) -> dt.date:
    return clock.now().astimezone(CHINA).date()


def _delegate(session, clock, delegator, delegate, *, by=None, days=(0, 6), reason="公休假"):
    today = _today(clock)
    return delegation.create(
        UnitOfWork(session), by=by or delegator, delegator=delegator, delegate=delegate,
        starts_on=today + dt.timedelta(days=days[0]), ends_on=today + dt.timedelta(days=days[1]),
        reason=reason, now=clock.now(), today=today,
    )  # fmt: skip


def _approve(session, project, user, clock, *, on_behalf_of=None, comment=""):
    return fire(UnitOfWork(session), project, "approve", actor=user, now=clock.now(),
                comment=comment, lifecycle=LC, on_behalf_of=on_behalf_of)  # fmt: skip


def _fresh(session, project) -> Project:
    session.rollback()
    session.expire_all()
    return session.get(Project, project.id)


def test_the_delegate_approves_in_the_delegators_name_and_the_record_says_so(large, session, clock):
    project, (shen, zhou, wu), _, _ = large
    _delegate(session, clock, wu, zhou)
    first = _approve(session, project, shen, clock, comment="同意。")
    assert first.to_state is None  # 1/2
    project = _fresh(session, project)
    offered = [(a.trigger, a.for_name, a.allowed)
               for a in available_actions(session, project, zhou, now=clock.now(), lifecycle=LC)
               if a.trigger == "approve"]  # fmt: skip
    assert offered == [("approve", "", True), ("approve", "吴科长", True)]
    last = _approve(session, project, zhou, clock, on_behalf_of=wu.id, comment="代吴科长同意。")
    assert (last.to_state, last.actor_id, last.actor_name) == (
        "approved", zhou.id, "周复核（代 吴科长）")  # fmt: skip
    details = json.loads(last.details)
    assert details["on_behalf_of"] == {"id": wu.id, "name": "吴科长"}
    assert details["approvals"] == ["沈审核", "吴科长（周复核代）"]
    votes = session.scalars(select(ApprovalVote).order_by(ApprovalVote.id)).all()
    assert [(v.user_id, v.acted_by_id) for v in votes] == [(shen.id, None), (wu.id, zhou.id)]
    assert chain.verify(session).ok
    # Both are told: 吴 (whose name it was done in) gets the message too.
    told = session.scalars(
        select(Notification.title).where(Notification.user_id == wu.id)
    ).all()  # fmt: skip
    assert told and all(t.startswith("周复核（代 吴科长）已批复通过") for t in told)


def test_one_person_one_approval_a_round_in_whichever_name(large, session, clock):
    project, (shen, zhou, wu), _, _ = large
    _delegate(session, clock, wu, zhou)
    _approve(session, project, zhou, clock)  # in his own name
    with pytest.raises(GuardFailed) as twice:
        _approve(session, _fresh(session, project), zhou, clock, on_behalf_of=wu.id)
    assert "您已同意" in twice.value.problems[0].message
    project = _fresh(session, project)
    blocked = [a for a in available_actions(session, project, zhou, now=clock.now(), lifecycle=LC)
               if a.trigger == "approve"]  # fmt: skip
    assert [(a.for_name, a.allowed) for a in blocked] == [("", False), ("吴科长", False)]
    assert "不能再代他人同意" in blocked[1].problems[-1].message
    session.rollback()
    assert session.scalar(select(func.count()).select_from(ApprovalVote)) == 1


def test_the_delegators_own_approval_is_not_given_twice(large, session, clock):
    project, (shen, zhou, wu), _, _ = large
    _delegate(session, clock, wu, zhou)
    _approve(session, project, zhou, clock, on_behalf_of=wu.id)  # 吴's, cast by 周
    with pytest.raises(GuardFailed) as again:
        _approve(session, _fresh(session, project), wu, clock)  # 吴 back early, approving too
    assert "您已同意" in again.value.problems[0].message
    session.rollback()
    assert _fresh(session, project).state == "declared"


def test_no_approval_of_the_delegators_or_the_delegates_own_submission(make, session, clock):
    unit = make.unit()
    filler = make.user(Role.filler, unit=unit)
    # A small unit: its head also fills in; her deputy stands in for her.
    lin = make.user(Role.filler, Role.unit_head, unit=unit, name="林主任")
    he = make.user(Role.filler, Role.unit_head, unit=unit, name="何副主任")
    mine = make.project(unit, state="unit_review", creator=lin, submitted_by=lin)
    his = make.project(unit, state="unit_review", creator=he, submitted_by=he)
    other = make.project(unit, state="unit_review", creator=filler, submitted_by=filler)
    session.commit()
    _delegate(session, clock, lin, he)

    def declare(project, on_behalf_of):
        return fire(UnitOfWork(session), project, "declare", actor=he, now=clock.now(),
                    on_behalf_of=on_behalf_of)  # fmt: skip

    with pytest.raises(GuardFailed) as hers:
        declare(mine, lin.id)
    assert hers.value.problems[0].message == "不能代林主任审核其本人提交的内容"
    with pytest.raises(GuardFailed) as own:
        declare(_fresh(session, his), lin.id)
    assert own.value.problems[0].message == "不能审核本人提交的内容，请由其他人员办理"
    event = declare(_fresh(session, other), lin.id)  # what neither of them submitted
    assert (event.to_state, event.actor_name) == ("declared", "何副主任（代 林主任）")
    # The next step is four-eyes against the one who did it (何), not the name it was done in.
    assert _fresh(session, other).last_transition_by_id == he.id


def test_it_runs_only_within_its_dates(large, session, clock):
    project, (shen, zhou, wu), _, _ = large
    _delegate(session, clock, wu, zhou, days=(2, 4))
    with pytest.raises(NotAllowed):  # not begun
        _approve(session, project, zhou, clock, on_behalf_of=wu.id)
    session.rollback()
    board = workbench(session, zhou, LC.spec, now=clock.now())
    assert board.delegated == []
    clock.advance(dt.timedelta(days=2))
    board = workbench(session, zhou, LC.spec, now=clock.now())
    assert [(w.delegation.delegator_id, w.count, [i.project.id for i in w.todos])
            for w in board.delegated] == [(wu.id, 1, [project.id])]  # fmt: skip
    assert [a.for_name for a in board.delegated[0].todos[0].actions if a.trigger == "approve"] == [
        "吴科长"]  # fmt: skip
    assert [d.delegate_id for d in workbench(session, wu, LC.spec, now=clock.now()).delegating] == [
        zhou.id]  # fmt: skip
    clock.advance(dt.timedelta(days=3))  # the day after its end
    with pytest.raises(NotAllowed):
        _approve(session, _fresh(session, project), zhou, clock, on_behalf_of=wu.id)
    session.rollback()
    assert workbench(session, zhou, LC.spec, now=clock.now()).delegated == []
    assert session.scalar(select(func.count()).select_from(ApprovalVote)) == 0


@pytest.mark.parametrize("who", ["delegator", "delegate"])
def test_it_ends_when_either_is_deactivated(large, session, clock, make, who):
    project, (shen, zhou, wu), _, _ = large
    admin = make.user(Role.admin)
    item = _delegate(session, clock, wu, zhou)
    gone = wu if who == "delegator" else zhou
    org.update_user(UnitOfWork(session), gone, display_name=gone.display_name, unit_id=None,
                    is_active=False, actor=admin, now=clock.now())  # fmt: skip
    session.expire_all()
    item = session.get(Delegation, item.id)
    assert (item.ended_at is not None, item.end_note, item.ended_by_id) == (True, "账号停用",
                                                                          admin.id)  # fmt: skip
    ended = session.scalars(select(AuditEvent).where(AuditEvent.action == "delegation_end")).all()
    assert [e.label for e in ended] == ["结束委托（账号停用）"]
    if who == "delegator":
        with pytest.raises(NotAllowed):
            _approve(session, _fresh(session, project), zhou, clock, on_behalf_of=wu.id)
        session.rollback()
    # Reactivated, the account does not bring the delegation back.
    org.update_user(UnitOfWork(session), gone, display_name=gone.display_name, unit_id=None,
                    is_active=True, actor=admin, now=clock.now())  # fmt: skip
    with pytest.raises(NotAllowed):
        _approve(session, _fresh(session, project), zhou, clock, on_behalf_of=wu.id)


def test_notifications_go_to_the_delegate_too(make, session, clock):
    """A submission tells the unit's heads; the deputy standing in for one of them is a head
    herself, so she is told once, in her own right, not a second time as the stand-in."""
    unit = make.unit()
    filler = make.user(Role.filler, unit=unit, name="钱填报")
    head = make.user(Role.unit_head, unit=unit, name="孙处长")
    deputy = make.user(Role.unit_head, unit=unit, name="李副处长")
    project = make.project(unit, state="draft", creator=filler)
    session.commit()
    _delegate(session, clock, head, deputy)
    fire(UnitOfWork(session), project, "submit", actor=filler, now=clock.now())
    notes = session.execute(
        select(Notification.user_id, Notification.title).order_by(Notification.id)
    ).all()  # fmt: skip
    by_user = {uid: title for uid, title in notes}
    assert by_user[head.id].startswith("钱填报已提交")
    assert by_user[deputy.id].startswith("钱填报已提交")
    # the deputy (a 单位负责人 in her own right) is told once, as herself
    assert [uid for uid, _ in notes].count(deputy.id) == 1


def test_a_stand_in_is_told_in_the_delegators_name_of_what_they_may_do(make, session, clock):
    """The notice for someone away goes to their delegate too, naming whose work it is, and
    offering only what the delegate may do in their name (the roles both hold)."""
    unit = make.unit()
    filler = make.user(Role.filler, unit=unit, name="钱填报")
    head = make.user(Role.unit_head, Role.filler, unit=unit, name="孙处长")
    deputy = make.user(Role.filler, unit=unit, name="周科员")
    project = make.project(unit, state="draft", creator=filler)
    session.commit()
    _delegate(session, clock, head, deputy)  # shared: 填报人 only, not 单位负责人
    fire(UnitOfWork(session), project, "submit", actor=filler, now=clock.now())
    titles = dict(session.execute(select(Notification.user_id, Notification.title)).tuples().all())
    assert titles[head.id] == "钱填报已提交，待您办理：退回修改、审核通过并申报"
    assert titles[deputy.id] == "钱填报已提交（代孙处长知悉），现为「待单位审核」"
    body = session.scalar(select(Notification.body).where(Notification.user_id == deputy.id))
    assert "您正受托代孙处长办理其工作，此消息同时发给了孙处长。" in body
    assert "待您代" not in body


def test_who_may_set_a_delegation_and_what_is_refused(make, session, clock):
    unit, other_unit = make.unit(), make.unit("另一单位")
    head = make.user(Role.unit_head, unit=unit, name="孙处长")
    filler = make.user(Role.filler, unit=unit, name="钱填报")
    colleague = make.user(Role.filler, unit=unit, name="赵填报")
    stranger = make.user(Role.filler, unit=other_unit, name="外单位")
    reviewer = make.user(Role.reviewer, name="沈审核")
    admin = make.user(Role.admin)
    today = _today(clock)

    def refused(by, delegator, delegate, *, start=0, end=3, reason="出差"):
        with pytest.raises(InvalidInput) as exc:
            delegation.create(
                UnitOfWork(session), by=by, delegator=delegator, delegate=delegate,
                starts_on=today + dt.timedelta(days=start), ends_on=today + dt.timedelta(days=end),
                reason=reason, now=clock.now(), today=today,
            )  # fmt: skip
        session.rollback()
        return [p.message for p in exc.value.problems]

    assert refused(filler, filler, stranger) == ["受托人须与委托人在同一单位"]
    assert refused(filler, filler, reviewer) == ["受托人须与委托人同为填报人"]
    assert refused(filler, filler, filler) == ["不能委托给本人"]
    assert refused(filler, filler, colleague, start=-1) == ["开始日期不能早于今天"]
    assert refused(filler, filler, colleague, start=3, end=2) == ["结束日期不能早于开始日期"]
    assert refused(filler, filler, colleague, end=400) == ["一次委托最长 366 天"]
    assert refused(filler, filler, colleague, reason="  ") == ["请填写委托事由（如：休假、出差）"]
    assert refused(filler, filler, colleague, reason="假" * 201) == ["委托事由不能超过 200 字"]
    # Who may arrange it: the person, their 单位负责人, the 系统管理员; not a colleague.
    with pytest.raises(NotAllowed):
        _delegate(session, clock, filler, colleague, by=colleague)
    session.rollback()
    with pytest.raises(NotAllowed):
        _delegate(session, clock, stranger, stranger, by=head)
    session.rollback()
    made = _delegate(session, clock, filler, colleague, by=head)
    assert made.created_by_id == head.id
    # One delegate at a time, and no chains.
    assert refused(admin, filler, head, start=1, end=2)[0].startswith("受托人须与委托人同为")
    assert refused(filler, filler, colleague, start=2, end=8) == [
        f"钱填报在 {today} 至 {today + dt.timedelta(days=6)} 已委托赵填报，请先结束该委托"
    ]
    assert refused(colleague, colleague, filler, start=1, end=2) == [
        f"钱填报在 {today} 至 {today + dt.timedelta(days=6)} 本人也已委托他人，不能受托"
    ]
    assert refused(admin, colleague, head, start=1, end=2)[0].startswith("受托人须与委托人同为")
    assert refused(head, head, filler, start=1, end=2)[0] == "受托人须与委托人同为单位负责人"
    # Ended early, it frees the period; the end is audited.
    delegation.end(UnitOfWork(session), made.id, by=admin, now=clock.now())
    again = _delegate(session, clock, filler, colleague, by=admin, days=(1, 2))
    assert again.created_by_id == admin.id
    actions = session.scalars(select(AuditEvent.label).order_by(AuditEvent.seq)).all()
    assert actions == ["设置委托", "结束委托（提前结束）", "设置委托"]


def test_a_reviewer_delegates_only_to_one_who_reviews_their_units(make, session, clock):
    admin = make.user(Role.admin)
    east, west = make.unit("东区财政所"), make.unit("西区财政所")
    shen, zhou = make.user(Role.reviewer, name="沈审核"), make.user(Role.reviewer, name="周复核")
    session.commit()
    org.assign_reviewers(UnitOfWork(session), east, [shen.id, zhou.id], actor=admin,
                         now=clock.now())  # fmt: skip
    org.assign_reviewers(UnitOfWork(session), west, [shen.id], actor=admin, now=clock.now())
    session.expire_all()
    with pytest.raises(InvalidInput) as exc:
        _delegate(session, clock, shen, zhou)
    assert [p.message for p in exc.value.problems] == [
        "受托人须负责委托人负责的全部单位，尚缺：西区财政所"]  # fmt: skip
    session.rollback()
    assert [u.display_name for u in delegation.candidates(session, shen)] == []
    assert [u.display_name for u in delegation.candidates(session, zhou)] == ["沈审核"]
    assert _delegate(session, clock, zhou, shen).delegate_id == shen.id
