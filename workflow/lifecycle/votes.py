"""会签: the approvals a transition collects before it fires (states.yaml `approvals`).

Each approval is a vote, kept in `approval_votes` and audited with its comment; the transition
fires with the vote that meets the rule. A vote counts only in the round it was cast in: the
time the project entered its state, so a return (which moves the project out and, later, back)
leaves the earlier votes behind. Nobody votes twice in a round (a unique key says so too); the
submitter never votes. A return or a refusal is a transition of its own and decides at once.

Votes on one project are taken one at a time: the project's row is locked first (PostgreSQL;
SQLite serializes writers), so racing approvals give exactly the votes cast and one transition.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import (
    ColumnElement,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    and_,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, Session, aliased, mapped_column

from workflow.db import Base, UTCDateTime
from workflow.errors import GuardFailed, Problem
from workflow.lifecycle.spec import ApprovalRule, TransitionSpec
from workflow.org.models import User
from workflow.projects.models import Project


class ApprovalVote(Base):
    """One person's approval of a transition of a project, in one round (`round_at`: when the
    project entered the state the transition leaves), counted for one role."""

    __tablename__ = "approval_votes"
    __table_args__ = (
        UniqueConstraint("project_id", "trigger", "round_at", "user_id",
                         name="uq_approval_votes_once"),
        Index("ix_approval_votes_user_id", "user_id"),
    )  # fmt: skip

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    trigger: Mapped[str] = mapped_column(String(64))
    round_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    role: Mapped[str] = mapped_column(String(32))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    # the audit event that recorded it (its seq): the vote's comment is there
    event_seq: Mapped[int | None] = mapped_column(Integer)
    # 委托: who cast it in `user_id`'s name (None: they did themselves). One person casts at
    # most one vote a round, in their own name or another's.
    acted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)


@dataclass(frozen=True)
class Tally:
    """Where a 会签 stands: the votes of this round (voter's name, role), how many the rule
    needs, and which roles (all_of) or how many more people (count) are still awaited."""

    rule: ApprovalRule
    votes: tuple[tuple[int, str, str], ...]  # (user id, name as shown, role)
    missing_roles: tuple[str, ...]
    cast_by: frozenset[int] = frozenset()  # who cast a vote in another's name (委托)

    @property
    def count(self) -> int:
        return len(self.votes)

    @property
    def needed(self) -> int:
        return self.rule.needed

    @property
    def met(self) -> bool:
        return self.count >= self.needed and not self.missing_roles

    def voted(self, user: User) -> bool:
        """Whether this person approved this round, in their own name or another's."""
        return user.id in self.cast_by or any(uid == user.id for uid, _, _ in self.votes)

    def voted_as(self, user: User) -> bool:
        """Whether an approval in this person's name is in (cast by them or their delegate)."""
        return any(uid == user.id for uid, _, _ in self.votes)


def voted_on(user: User, trigger: str) -> ColumnElement[bool]:
    """Whether `user` approved `trigger` of the project in the query, in its current round: in
    their own name, or in another's as their delegate, or their delegate did in theirs."""
    return (
        select(ApprovalVote.id)
        .where(ApprovalVote.project_id == Project.id, ApprovalVote.trigger == trigger,
               ApprovalVote.round_at == Project.state_entered_at,
               or_(ApprovalVote.user_id == user.id, ApprovalVote.acted_by_id == user.id))
        .exists()
    )  # fmt: skip


def approved_this_round(user: User, transitions) -> ColumnElement[bool] | None:
    """Whether `user` has given, in its current round, a 会签 approval the project in the query
    waits for (of any of `transitions` with an approvals block); None when none has one."""
    cast = [and_(Project.state.in_(t.sources), voted_on(user, t.trigger))
            for t in transitions if t.approvals]  # fmt: skip
    return or_(*cast) if cast else None


def round_votes(session: Session, project: Project, trigger: str) -> list[tuple[ApprovalVote, str]]:
    """This round's votes on `trigger`, oldest first, each with the voter's name as shown
    (「李四（张三代）」 for a vote a delegate cast)."""
    by = aliased(User)
    rows = session.execute(
        select(ApprovalVote, User.display_name, by.display_name)
        .join(User, User.id == ApprovalVote.user_id)
        .outerjoin(by, by.id == ApprovalVote.acted_by_id)
        .where(ApprovalVote.project_id == project.id, ApprovalVote.trigger == trigger,
               ApprovalVote.round_at == project.state_entered_at)
        .order_by(ApprovalVote.id)
    )  # fmt: skip
    return [(v, f"{name}（{by_name}代）" if by_name else name) for v, name, by_name in rows]


def tally(session: Session, project: Project, t: TransitionSpec) -> Tally | None:
    """Where the 会签 of `t` stands for this project; None when it needs no 会签."""
    rule = t.approval_rule(project)
    if rule is None:
        return None
    return _tally(rule, round_votes(session, project, t.trigger))


def _tally(rule: ApprovalRule, rows) -> Tally:
    votes = tuple((v.user_id, name, v.role) for v, name in rows)
    covered = {role for _, _, role in votes}
    missing = tuple(r for r in rule.all_of if r not in covered)
    cast_by = frozenset(by for v, _ in rows if (by := getattr(v, "acted_by_id", None)))
    return Tally(rule, votes, missing, cast_by)


def cast(
    session: Session, project: Project, t: TransitionSpec, rule: ApprovalRule, actor: User,
    now: dt.datetime, principal: User | None = None,
) -> tuple[ApprovalVote, Tally]:  # fmt: skip
    """Record an approval (the project's row is locked by the caller): `actor`'s own, or, as
    their delegate, `principal`'s; the tally after it. GuardFailed, and nothing written, when
    it may not be cast: the submitter never votes, nor their delegate; nobody votes twice in a
    round, in whichever name."""
    before = _tally(rule, round_votes(session, project, t.trigger))
    voter = principal or actor
    if project.submitted_by_id in (actor.id, voter.id):
        raise GuardFailed(
            [
                Problem("actor", "不能审核本人提交的内容，请由其他人员办理")
                if project.submitted_by_id == actor.id
                else Problem("actor", f"不能代{voter.display_name}审核其本人提交的内容")
            ]
        )
    if before.voted(actor):
        awaited = before.needed - before.count
        raise GuardFailed([Problem("actor", f"您已同意，尚需另外 {awaited} 人同意，无需重复办理")])
    if before.voted(voter):
        raise GuardFailed([Problem("actor", f"{voter.display_name}已同意，无需重复办理")])
    role = _role_for(rule, voter, before)
    if role is None:
        wanted = "、".join(before.missing_roles)
        raise GuardFailed([Problem("actor", f"会签尚缺的是其他角色的同意（{wanted}）")])
    vote = ApprovalVote(project_id=project.id, trigger=t.trigger, round_at=project.state_entered_at,
                        user_id=voter.id, role=role, at=now,
                        acted_by_id=actor.id if principal is not None else None)  # fmt: skip
    session.add(vote)
    session.flush()
    shown = (voter.display_name if principal is None
             else f"{voter.display_name}（{actor.display_name}代）")  # fmt: skip
    after = Tally(rule, (*before.votes, (voter.id, shown, role)),
                  tuple(r for r in before.missing_roles if r != role),
                  before.cast_by | ({actor.id} if principal is not None else set()))  # fmt: skip
    return vote, after


def _role_for(rule: ApprovalRule, actor: User, before: Tally) -> str | None:
    """The role the actor's vote counts for: one of the rule's (for all_of, one still missing)."""
    held = sorted(str(r) for r in actor.roles)
    if rule.all_of:
        return next((r for r in rule.all_of if r in before.missing_roles and r in held), None)
    return next((r for r in held if r in rule.roles), None)


@dataclass(frozen=True)
class Cosign:
    """What the project page says of a 会签 under way: the rule, who approved, who may still."""

    label: str  # the transition's (批复通过)
    rule_text: str  # 「2 位财政审核人同意」
    tally: Tally
    awaited: tuple[str, ...]  # names of those who may still approve


def cosigns(session: Session, project: Project, spec) -> list[Cosign]:
    """Every 会签 the project's state holds, with the people still awaited: active users of the
    rule's roles (for all_of, those of a role still missing) who may act on the project, and
    have neither approved nor submitted it. Two statements when there is one; none otherwise."""
    from workflow.org import access
    from workflow.org.models import UserRole

    found = []
    for t in spec.transitions_from(project.state):
        rule = t.approval_rule(project)
        if rule is None:
            continue
        standing = _tally(rule, round_votes(session, project, t.trigger))
        roles = standing.missing_roles or tuple(rule.all_of or sorted(rule.roles))
        people = session.scalars(
            select(User)
            .where(User.is_active.is_(True), User.role_rows.any(UserRole.role.in_(roles)))
            .order_by(User.display_name, User.id)
        ).all()  # fmt: skip
        awaited = tuple(
            u.display_name for u in people
            if not standing.voted(u) and u.id not in (project.submitted_by_id,
                                                     project.last_transition_by_id)
            and access.can_view(u, project, spec) and access.may_fire(u, project, t)
        )  # fmt: skip
        found.append(Cosign(t.label, rule.needs(spec.roles), standing, awaited))
    return found
