"""委托: a user hands their work to a colleague while away (issue 16).

The delegate holds the same role: in the same unit for the unit roles, and for a 财政审核人 the
units assigned to the delegator among their own. While the delegation runs (its dates, not
ended, both people active) the delegate sees the delegator's 待我办理 in their 工作台 and may act
in their name; the history and the audit trail read 「张三（代 李四）」, and both are told.

It opens no loophole: the delegate acts only with the roles both hold, only on projects they
may open themselves and the delegator may act on; neither the delegate's nor the delegator's own
submission can be approved that way (the guards ask both); one person casts one 会签 vote a round
in whichever name; no chain (someone away covers nobody). Setting and ending one is audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, aliased

from workflow.audit import chain
from workflow.errors import InvalidInput, NotAllowed, NotFound, Problem
from workflow.org import access
from workflow.org.models import ROLE_LABELS, UNIT_ROLES, Delegation, Role, Unit, User, UserRole
from workflow.text import clean
from workflow.uow import UnitOfWork

#: The roles whose work can be handed over (the 三员 act on no project).
BUSINESS_ROLES = frozenset({Role.filler, Role.unit_head, Role.reviewer})
MAX_DAYS = 366  # the longest delegation, in calendar days
REASON_MAX = 200
CANDIDATES_MAX = 500  # colleagues offered in the form's list


def shared_roles(delegator: User, delegate: User) -> frozenset[Role]:
    """The roles in which `delegate` may stand in for `delegator`: held by both, the unit roles
    only within one unit, 财政审核人 only when the delegate reviews every unit assigned to
    the delegator."""
    roles = delegator.roles & delegate.roles & BUSINESS_ROLES
    if delegator.unit_id is None or delegator.unit_id != delegate.unit_id:
        roles -= UNIT_ROLES
    if Role.reviewer in roles and _uncovered(delegator, delegate):
        roles -= {Role.reviewer}
    return roles


def _uncovered(delegator: User, delegate: User) -> list[int]:
    """The units assigned to the delegator that the delegate does not review."""
    held = access.assignments(delegator) or {}
    return sorted(unit for unit, ids in held.items()
                  if delegator.id in ids and delegate.id not in ids)  # fmt: skip


def may_arrange(by: User, delegator: User) -> bool:
    """Who may set or end a delegation of `delegator`'s work: they themselves, the 单位负责人
    of their unit (for someone absent), and the 系统管理员."""
    if not by.is_active:
        return False
    if by.has_role(Role.admin):
        return True
    if by.id == delegator.id:
        return bool(by.roles & BUSINESS_ROLES)
    return (by.has_role(Role.unit_head) and delegator.unit_id is not None
            and by.unit_id == delegator.unit_id)  # fmt: skip


def problems(
    session: Session, delegator: User, delegate: User | None, starts_on: dt.date | None,
    ends_on: dt.date | None, reason: str, today: dt.date,
) -> list[Problem]:  # fmt: skip
    """Every reason the delegation cannot be set, in the words the form shows."""
    found = []
    if delegate is None:
        found.append(Problem("delegate", "请选择受托人"))
    elif delegate.id == delegator.id:
        found.append(Problem("delegate", "不能委托给本人"))
    elif not delegate.is_active:
        found.append(Problem("delegate", f"{delegate.display_name}的账号已停用，不能受托"))
    elif not delegator.roles & BUSINESS_ROLES:
        found.append(Problem("delegator", f"{delegator.display_name}没有可委托的业务角色"))
    elif not shared_roles(delegator, delegate):
        found.append(Problem("delegate", _mismatch(session, delegator, delegate)))
    if not delegator.is_active:
        found.append(Problem("delegator", f"{delegator.display_name}的账号已停用"))
    if starts_on is None:
        found.append(Problem("starts_on", "请填写开始日期"))
    if ends_on is None:
        found.append(Problem("ends_on", "请填写结束日期"))
    if starts_on is not None and ends_on is not None:
        if starts_on < today:
            found.append(Problem("starts_on", "开始日期不能早于今天"))
        elif ends_on < starts_on:
            found.append(Problem("ends_on", "结束日期不能早于开始日期"))
        elif (ends_on - starts_on).days + 1 > MAX_DAYS:
            found.append(Problem("ends_on", f"一次委托最长 {MAX_DAYS} 天"))
    if not clean(reason):
        found.append(Problem("reason", "请填写委托事由（如：休假、出差）"))
    elif len(clean(reason)) > REASON_MAX:
        found.append(Problem("reason", f"委托事由不能超过 {REASON_MAX} 字"))
    if not found and delegate is not None and starts_on and ends_on:
        found += _overlaps(session, delegator, delegate, starts_on, ends_on)
    return found


def _mismatch(session: Session, delegator: User, delegate: User) -> str:
    mine = delegator.roles & BUSINESS_ROLES
    if not mine & delegate.roles:
        names = "、".join(ROLE_LABELS[r] for r in sorted(mine))
        return f"受托人须与委托人同为{names}"
    if mine & delegate.roles & UNIT_ROLES and delegator.unit_id != delegate.unit_id:
        return "受托人须与委托人在同一单位"
    missing = session.scalars(
        select(Unit.name).where(Unit.id.in_(_uncovered(delegator, delegate))).order_by(Unit.name)
    ).all()
    return f"受托人须负责委托人负责的全部单位，尚缺：{'、'.join(missing)}"


def _overlaps(session, delegator, delegate, starts_on, ends_on) -> list[Problem]:
    """One delegate at a time for a person, and no chains: someone away covers nobody."""
    rows = session.scalars(
        select(Delegation).where(
            Delegation.ended_at.is_(None), Delegation.starts_on <= ends_on,
            Delegation.ends_on >= starts_on,
            or_(Delegation.delegator_id.in_([delegator.id, delegate.id]),
                Delegation.delegate_id == delegator.id),
        ).order_by(Delegation.starts_on)
    ).all()  # fmt: skip
    found = []
    for d in rows:
        span = f"{d.starts_on:%Y-%m-%d} 至 {d.ends_on:%Y-%m-%d}"
        giver, taker = delegator.display_name, delegate.display_name
        if d.delegator_id == delegator.id:
            text = f"{giver}在 {span} 已委托{d.delegate.display_name}，请先结束该委托"
        elif d.delegator_id == delegate.id:
            text = f"{taker}在 {span} 本人也已委托他人，不能受托"
        else:
            text = f"{giver}在 {span} 正代{d.delegator.display_name}办理，请先调整该委托"
        found.append(Problem("dates", text))
    return found


def create(
    uow: UnitOfWork, *, by: User, delegator: User, delegate: User | None,
    starts_on: dt.date | None, ends_on: dt.date | None, reason: str, now: dt.datetime,
    today: dt.date,
) -> Delegation:  # fmt: skip
    """Set a delegation, audited. NotAllowed when `by` may not arrange the delegator's work;
    InvalidInput with every reason when it cannot be set, and then nothing is written."""
    with uow:
        session = uow.session
        if not may_arrange(by, delegator):
            raise NotAllowed()
        found = problems(session, delegator, delegate, starts_on, ends_on, reason, today)
        if found:
            raise InvalidInput(found)
        assert delegate is not None and starts_on is not None and ends_on is not None
        item = Delegation(delegator_id=delegator.id, delegate_id=delegate.id, starts_on=starts_on,
                          ends_on=ends_on, reason=clean(reason), created_by_id=by.id,
                          created_at=now)  # fmt: skip
        session.add(item)
        session.flush()
        roles = "、".join(ROLE_LABELS[r] for r in sorted(shared_roles(delegator, delegate)))
        chain.append(
            session, now=now, actor=by, action="delegation_set", label="设置委托",
            comment=item.reason,
            details={"delegation_id": item.id, "delegator": delegator.display_name,
                     "delegate": delegate.display_name, "roles": roles,
                     "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat()},
        )  # fmt: skip
        uow.commit()
        return item


def end(uow: UnitOfWork, delegation_id: int, *, by: User, now: dt.datetime) -> Delegation:
    """End a delegation early (the delegator is back): by whoever may arrange it, or by the
    delegate (who may decline it). Audited."""
    with uow:
        session = uow.session
        item = session.get(Delegation, delegation_id)
        if item is None:
            raise NotFound()
        if not (may_arrange(by, item.delegator) or by.id == item.delegate_id):
            raise NotAllowed()
        if item.ended_at is not None:
            raise InvalidInput([Problem("delegation", "该委托已结束")])
        _close(session, [item], by=by, now=now, note="提前结束")
        uow.commit()
        return item


def end_for_deactivated(
    session: Session, user: User, *, by: User, now: dt.datetime, note: str = "账号停用"
) -> None:
    """A deactivated (or moved) account's delegations, given or received, end inside the
    caller's transaction: reactivating it later does not revive them."""
    open_ones = session.scalars(
        select(Delegation).where(
            Delegation.ended_at.is_(None),
            or_(Delegation.delegator_id == user.id, Delegation.delegate_id == user.id),
        )
    ).all()
    _close(session, list(open_ones), by=by, now=now, note=note)


def _close(session: Session, items: list[Delegation], *, by: User, now: dt.datetime, note: str):
    for item in items:
        item.ended_at, item.ended_by_id, item.end_note = now, by.id, note
        chain.append(
            session, now=now, actor=by, action="delegation_end", label=f"结束委托（{note}）",
            details={"delegation_id": item.id, "delegator": item.delegator.display_name,
                     "delegate": item.delegate.display_name},
        )  # fmt: skip
    session.flush()


def _running(today: dt.date):
    return and_(Delegation.ended_at.is_(None), Delegation.starts_on <= today,
                Delegation.ends_on >= today)  # fmt: skip


def acting_for(session: Session, delegate: User, today: dt.date) -> list[Delegation]:
    """The delegations `delegate` runs today, each with its delegator loaded: one statement."""
    if not delegate.is_active or not delegate.roles & BUSINESS_ROLES:
        return []
    rows = session.scalars(
        select(Delegation).where(Delegation.delegate_id == delegate.id, _running(today))
        .order_by(Delegation.starts_on, Delegation.id)
    ).all()  # fmt: skip
    return [d for d in rows if d.runs_on(today)]


def running_involving(
    session: Session, user: User, today: dt.date
) -> tuple[list[Delegation], list[Delegation]]:
    """The delegations running today in which the user stands in for someone, and those in
    which someone stands in for them (the 工作台 shows both): one statement."""
    if not user.is_active or not user.roles & BUSINESS_ROLES:
        return [], []
    rows = session.scalars(
        select(Delegation).where(
            or_(Delegation.delegate_id == user.id, Delegation.delegator_id == user.id),
            _running(today),
        ).order_by(Delegation.starts_on, Delegation.id)
    ).all()  # fmt: skip
    rows = [d for d in rows if d.runs_on(today)]
    return ([d for d in rows if d.delegate_id == user.id],
            [d for d in rows if d.delegator_id == user.id])  # fmt: skip


def running_for(session: Session, delegate: User, principal_id: int, today: dt.date):
    """The delegation that lets `delegate` act for the user `principal_id` today, or None."""
    return next((d for d in acting_for(session, delegate, today)
                 if d.delegator_id == principal_id), None)  # fmt: skip


def delegates_of(session: Session, user_ids: list[int], today: dt.date) -> dict[int, list[User]]:
    """Who stands in today for each of these users (for telling both): one statement."""
    if not user_ids:
        return {}
    rows = session.scalars(
        select(Delegation).where(Delegation.delegator_id.in_(user_ids), _running(today))
    ).all()
    found: dict[int, list[User]] = {}
    for d in rows:
        if d.runs_on(today):
            found.setdefault(d.delegator_id, []).append(d.delegate)
    return found


def acting_name(actor: User, principal: User | None) -> str:
    """「张三（代 李四）」: how a step done in another's name is shown (at most 100 characters,
    the width of an audit event's actor name)."""
    if principal is None:
        return actor.display_name
    a, p = actor.display_name, principal.display_name
    if len(a) + len(p) > 94:
        a, p = a[:46], p[:46]
    return f"{a}（代 {p}）"


@dataclass(frozen=True)
class Listing:
    """The 委托办理 page: what the user gave, received, and arranged for others."""

    given: list[Delegation]
    received: list[Delegation]
    arranged: list[Delegation]


LISTED = 50


def listing(session: Session, user: User) -> Listing:
    newest = (Delegation.ends_on.desc(), Delegation.id.desc())
    mine = select(Delegation).order_by(*newest).limit(LISTED)
    given = session.scalars(mine.where(Delegation.delegator_id == user.id)).all()
    received = session.scalars(mine.where(Delegation.delegate_id == user.id)).all()
    arranged: list[Delegation] = []
    if user.has_role(Role.admin):
        arranged = list(session.scalars(mine.where(Delegation.delegator_id != user.id)))
    elif user.has_role(Role.unit_head) and user.unit_id is not None:
        colleague = aliased(User)
        arranged = list(session.scalars(
            mine.join(colleague, colleague.id == Delegation.delegator_id)
            .where(colleague.unit_id == user.unit_id, Delegation.delegator_id != user.id)
        ))  # fmt: skip
    return Listing(list(given), list(received), arranged)


def arrangeable(session: Session, by: User) -> list[User]:
    """Whose work `by` may hand over from the form: themselves, their unit's people (单位负责人)."""
    people = [by] if by.roles & BUSINESS_ROLES else []
    if by.has_role(Role.unit_head) and by.unit_id is not None:
        people += session.scalars(
            select(User).where(User.unit_id == by.unit_id, User.id != by.id,
                               User.is_active.is_(True))
            .order_by(User.display_name, User.id)
        ).all()  # fmt: skip
    return [u for u in people if u.roles & BUSINESS_ROLES]


def candidates(session: Session, delegator: User) -> list[User]:
    """The colleagues who could stand in for `delegator` (the form's list)."""
    roles = [r.value for r in delegator.roles & BUSINESS_ROLES]
    if not roles:
        return []
    query = select(User).where(
        User.is_active.is_(True), User.id != delegator.id,
        User.role_rows.any(UserRole.role.in_(roles)),
    )  # fmt: skip
    if not delegator.roles & {Role.reviewer}:
        query = query.where(User.unit_id == delegator.unit_id)
    people = session.scalars(query.order_by(User.display_name, User.id).limit(CANDIDATES_MAX))
    return [u for u in people if shared_roles(delegator, u)]
