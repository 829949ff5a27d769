"""The one way a project changes state (`fire`) and the question of what a user may do next."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Select, and_, false, func, or_, select
from sqlalchemy.orm import Session

from workflow.audit import chain
from workflow.audit.models import AuditEvent
from workflow.clock import CHINA
from workflow.errors import (
    Conflict,
    GuardFailed,
    InvalidInput,
    InvalidTransition,
    NotAllowed,
    Problem,
)
from workflow.lifecycle import votes
from workflow.lifecycle.guards import GuardContext, run_guards
from workflow.lifecycle.hooks import LISTENERS, VOTE_LISTENERS, TransitionContext, run_effects
from workflow.lifecycle.machine import Lifecycle, get_lifecycle
from workflow.lifecycle.spec import LifecycleSpec
from workflow.org import access
from workflow.org.delegation import acting_for, acting_name, running_for
from workflow.org.models import UNIT_ROLES, User
from workflow.projects.models import Project
from workflow.projects.versioning import bump_version
from workflow.text import COMMENT_MAX, clean
from workflow.uow import UnitOfWork

MAX_COMMENT = COMMENT_MAX  # workflow/text.py


@dataclass(frozen=True)
class Action:
    """A transition the user holds the role for: enabled, or blocked with the reasons why."""

    trigger: str
    label: str
    dest: str
    comment_required: bool
    problems: list[Problem] = field(default_factory=list)
    # 委托: the colleague in whose name this button acts (None: the user's own)
    for_id: int | None = None
    for_name: str = ""

    @property
    def allowed(self) -> bool:
        return not self.problems

    @property
    def title(self) -> str:
        """The button's words: 「批复通过」, or 「批复通过（代 吴科长）」 in a colleague's name."""
        return f"{self.label}（代 {self.for_name}）" if self.for_id else self.label


def available_actions(
    session: Session,
    project: Project,
    user: User,
    *,
    now: dt.datetime,
    lifecycle: Lifecycle | None = None,
) -> list[Action]:
    """The transitions out of the project's state that `user` holds the role for, each with the
    problems its guards report now (an empty list means the button works)."""
    lc = lifecycle or get_lifecycle()
    if not access.can_view(user, project, lc.spec):
        return []
    actions = []
    standings = {}
    for t in lc.spec.transitions_from(project.state):
        if not access.may_fire(user, project, t):
            continue
        ctx = GuardContext(session=session, actor=user, transition=t, now=now)
        problems = run_guards(project, ctx)
        standing = standings[t.trigger] = votes.tally(session, project, t)
        if standing is not None and standing.voted(user):
            awaited = standing.needed - standing.count
            problems.append(Problem("actor", f"您已同意，尚需另外 {awaited} 人同意"))
        actions.append(Action(t.trigger, t.label, t.dest, t.comment_required, problems))
    return actions + _delegated_actions(session, project, user, now, lc, actions, standings)


def _delegated_actions(session, project, user, now, lc, own, standings) -> list[Action]:
    """委托: the buttons that act in the name of a colleague the user stands in for, where that
    differs from acting in their own: a 会签 (the approval counts as the colleague's), or a step
    the user cannot take in their own name. One statement to find the delegations."""
    today = now.astimezone(CHINA).date()
    mine = {a.trigger: a for a in own}
    found = []
    for d in acting_for(session, user, today):
        principal = d.delegator
        for t in lc.spec.transitions_from(project.state):
            if not access.may_fire_for(user, principal, project, t, lc.spec):
                continue
            if t.trigger not in standings:
                standings[t.trigger] = votes.tally(session, project, t)
            standing = standings[t.trigger]
            if standing is None and t.trigger in mine and mine[t.trigger].allowed:
                continue  # the same step in their own name: one button
            ctx = GuardContext(session, user, t, now, principal=principal)
            problems = run_guards(project, ctx)
            if standing is not None and standing.voted(user):
                problems.append(Problem("actor", "您本轮已同意过，不能再代他人同意"))
            elif standing is not None and standing.voted_as(principal):
                problems.append(Problem("actor", f"{principal.display_name}已同意"))
            found.append(Action(t.trigger, t.label, t.dest, t.comment_required, problems,
                                principal.id, principal.display_name))  # fmt: skip
    return found


def work_for(user: User, project: Project, spec: LifecycleSpec, today: dt.date) -> list:
    """The transitions out of the project's state that are work for `user` now (待我办理): not
    optional ones, and 开始自评 only once the project's year is over."""
    return [
        t
        for t in spec.todo_transitions(project.state)
        if access.may_fire(user, project, t) and (t.todo == "always" or today.year > project.year)
    ]


def todo_projects(user: User, spec: LifecycleSpec, today: dt.date) -> Select[tuple[Project]]:
    """The projects on which `user` may fire a transition that is work now (the same rules as
    `work_for`, as one query): the list, its count and the badge on every page."""
    clauses = []
    voted = votes.approved_this_round(user, spec.transitions)
    for t in spec.transitions:
        if t.todo == "never":
            continue
        for role in user.roles:
            if role not in t.roles:
                continue
            where = [Project.state.in_(t.sources)]
            if role in UNIT_ROLES:
                where.append(Project.unit_id == user.unit_id)
            if voted is not None:  # 会签: once they approved in this round, their part is done
                where.append(~voted)
            if t.todo == "after_project_year":
                where.append(Project.year < today.year)
            clauses.append(and_(*where))
    return access.visible_projects(user, spec).where(or_(*clauses) if clauses else false())


def delegated_todo_projects(
    actor: User, principal: User, spec: LifecycleSpec, today: dt.date
) -> Select[tuple[Project]]:
    """委托: the projects waiting for `principal` (their 待我办理) that `actor`, standing in for
    them, may open, but for a 会签 the actor has approved already this round (in whichever
    name: one person, one approval)."""
    query = todo_projects(principal, spec, today).where(
        access.visible_projects(actor, spec).whereclause
    )
    cast = votes.approved_this_round(actor, spec.transitions)
    return query.where(~cast) if cast is not None else query


def todo_states(user: User, spec: LifecycleSpec) -> list[str]:
    """The states in which some project may be work for `user` (todo_projects' sources)."""
    states = {state for t in spec.transitions if t.todo != "never" and user.roles & set(t.roles)
              for state in t.sources}  # fmt: skip
    return [name for name in spec.states if name in states]


def todo_count_query(user: User, spec: LifecycleSpec, today: dt.date) -> Select[tuple[int]]:
    """How many projects wait for `user` (the badge on every page), as a query."""
    return todo_projects(user, spec, today).with_only_columns(func.count()).order_by(None)


def todo_count(session: Session, user: User, spec: LifecycleSpec, today: dt.date) -> int:
    return session.scalar(todo_count_query(user, spec, today))


def fire(
    uow: UnitOfWork,
    project: Project,
    trigger: str,
    *,
    actor: User,
    now: dt.datetime,
    comment: str = "",
    expected_version: int | None = None,
    lifecycle: Lifecycle | None = None,
    base_url: str = "",
    on_behalf_of: int | None = None,
) -> AuditEvent:
    """Authorize, check guards, move the state with a version check, run the effects states.yaml
    names, record the audit event, tell the people it names, and commit, all in one transaction.
    Raises NotFound, NotAllowed, InvalidTransition, GuardFailed or Conflict, and then nothing has
    changed. `base_url` is the site's address, for the links in emails. `on_behalf_of`: the id
    of the colleague in whose name the actor acts, as their delegate (委托)."""
    lc = lifecycle or get_lifecycle()
    with uow:
        session = uow.session
        access.require_view(actor, project, lc.spec)
        if expected_version is not None and expected_version != project.version:
            raise Conflict()  # the page the user acted on is out of date
        t = lc.spec.by_trigger.get(trigger)
        if t is None or project.state not in t.sources:
            raise InvalidTransition()
        principal = _principal(session, actor, on_behalf_of, now)
        allowed = (access.may_fire(actor, project, t) if principal is None
                   else access.may_fire_for(actor, principal, project, t, lc.spec))  # fmt: skip
        if not allowed:
            raise NotAllowed()
        comment = clean(comment)
        _check_comment(comment, t.comment_required)
        problems = run_guards(project, GuardContext(session, actor, t, now, principal=principal))
        if problems:
            raise GuardFailed(problems)
        rule = t.approval_rule(project)
        approvals = None
        if rule is not None:  # 会签: a vote, and the transition only with the one that meets it
            _lock(session, project, t)
            vote, approvals = votes.cast(session, project, t, rule, actor, now, principal)
            if not approvals.met:
                return _record_vote(session, uow, project, t, vote, approvals, actor, comment, now,
                                    principal)  # fmt: skip
        source, dest = project.state, lc.next_state(project.state, trigger)
        before = (project.submitted_by_id, project.last_transition_by_id)
        values = {"state": dest, "updated_at": now, "state_entered_at": now,
                  "last_transition_by_id": actor.id}  # fmt: skip
        if t.submission:
            values["submitted_by_id"] = actor.id
        bump_version(session, project, expected_version, **values)
        ctx = TransitionContext(session, project, actor, t, source, dest, comment, now, lc.spec,
                                *before, base_url=base_url, principal=principal)  # fmt: skip
        details = run_effects(ctx)
        if approvals is not None:
            details = {**(details or {}), "approvals": [name for _, name, _ in approvals.votes]}
        if principal is not None:
            details = {**(details or {}), **_behalf(principal)}
        label = t.label
        if approvals is not None:
            label += f"（会签同意 {approvals.count}/{approvals.needed}）"
        event = chain.append(
            session,
            now=now,
            actor=actor,
            action=trigger,
            label=label,
            project_id=project.id,
            from_state=source,
            to_state=dest,
            comment=comment,
            details=details or None,
            actor_name=ctx.actor_name,
        )
        if approvals is not None:
            vote.event_seq = event.seq
        for listener in LISTENERS:
            listener(ctx, event)
        uow.commit()
        return event


def _lock(session: Session, project: Project, t) -> None:
    """Take the project's row for this transaction and read it again: votes on one project are
    counted one at a time. It may have moved while the actor looked at it."""
    session.execute(
        select(Project.id).where(Project.id == project.id).with_for_update()
    )  # fmt: skip
    session.refresh(project)
    if project.state not in t.sources:
        raise InvalidTransition()


def _record_vote(session, uow, project, t, vote, approvals, actor, comment, now,
                 principal) -> AuditEvent:  # fmt: skip
    """A vote that does not yet meet the rule: audited with its comment; the areas hear of it
    (the voter's 待办 on the project is done, workflow/notify/hooks.py). The project does not
    move, nor does its version: the others' pages stay valid, so that two reviewers approving
    at once both count."""
    details = {"trigger": t.trigger, "votes": approvals.count, "needed": approvals.needed}
    event = chain.append(
        session, now=now, actor=actor, action="approval_vote",
        label=f"{t.label}（会签同意 {approvals.count}/{approvals.needed}）",
        project_id=project.id, comment=comment,
        details={**details, **(_behalf(principal) if principal is not None else {})},
        actor_name=acting_name(actor, principal),
    )  # fmt: skip
    vote.event_seq = event.seq
    for vote_listener in VOTE_LISTENERS:
        vote_listener(session, project, actor, event, now, principal)
    uow.commit()
    return event


def _principal(session: Session, actor: User, on_behalf_of: int | None, now) -> User | None:
    """The colleague the actor stands in for today, or None when acting in their own name.
    NotAllowed when no delegation from that colleague runs today (ended, not begun, either of
    them deactivated)."""
    if on_behalf_of is None:
        return None
    found = running_for(session, actor, on_behalf_of, now.astimezone(CHINA).date())
    if found is None:
        raise NotAllowed()
    return found.delegator


def _behalf(principal: User) -> dict:
    return {"on_behalf_of": {"id": principal.id, "name": principal.display_name}}


def _check_comment(comment: str, required: bool) -> None:
    if required and not comment:
        raise GuardFailed([Problem("comment", "请填写意见：退回或不予支持时必须说明理由")])
    if len(comment) > MAX_COMMENT:
        raise InvalidInput([Problem("comment", f"意见不能超过 {MAX_COMMENT} 字")])
