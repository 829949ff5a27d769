"""The one way a project changes state (`fire`) and the question of what a user may do next."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from workflow.audit import chain
from workflow.audit.models import AuditEvent
from workflow.declaration.models import Declaration
from workflow.declaration.snapshot import diff, flatten
from workflow.errors import (
    Conflict,
    GuardFailed,
    InvalidInput,
    InvalidTransition,
    NotAllowed,
    Problem,
)
from workflow.evaluation.models import SelfEvaluation
from workflow.evaluation.operations import freeze_approved
from workflow.lifecycle.guards import GuardContext, run_guards
from workflow.lifecycle.history import last_submitted_snapshot
from workflow.lifecycle.machine import Lifecycle, get_lifecycle
from workflow.milestones.operations import milestones_of, propose_for
from workflow.org import access
from workflow.org.models import User
from workflow.projects.models import Project
from workflow.projects.versioning import bump_version
from workflow.text import clean
from workflow.uow import UnitOfWork

MAX_COMMENT = 2000


@dataclass(frozen=True)
class Action:
    """A transition the user holds the role for: enabled, or blocked with the reasons why."""

    trigger: str
    label: str
    dest: str
    comment_required: bool
    problems: list[Problem] = field(default_factory=list)

    @property
    def allowed(self) -> bool:
        return not self.problems


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
    for t in lc.spec.transitions_from(project.state):
        if not access.may_fire(user, project, t):
            continue
        ctx = GuardContext(session=session, actor=user, transition=t, now=now)
        actions.append(
            Action(t.trigger, t.label, t.dest, t.comment_required, run_guards(project, ctx))
        )
    return actions


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
) -> AuditEvent:
    """Authorize, check guards, move the state with a version check, record the audit event and
    commit, all in one transaction. Raises NotFound, NotAllowed, InvalidTransition, GuardFailed
    or Conflict, and then nothing has changed."""
    lc = lifecycle or get_lifecycle()
    with uow:
        session = uow.session
        access.require_view(actor, project, lc.spec)
        if expected_version is not None and expected_version != project.version:
            raise Conflict()  # the page the user acted on is out of date
        t = lc.spec.by_trigger.get(trigger)
        if t is None or project.state not in t.sources:
            raise InvalidTransition()
        if not access.may_fire(actor, project, t):
            raise NotAllowed()
        comment = clean(comment)
        _check_comment(comment, t.comment_required)
        problems = run_guards(project, GuardContext(session, actor, t, now))
        if problems:
            raise GuardFailed(problems)
        source, dest = project.state, lc.next_state(project.state, trigger)
        values = {"state": dest, "updated_at": now, "last_transition_by_id": actor.id}
        if t.submission:
            values["submitted_by_id"] = actor.id
        bump_version(session, project, expected_version, **values)
        event = chain.append(
            session,
            now=now,
            actor=actor,
            action=trigger,
            label=t.label,
            project_id=project.id,
            from_state=source,
            to_state=dest,
            comment=comment,
            details=_submission_record(session, project, t, source, lc),
        )
        _on_enter(session, project, dest)
        uow.commit()
        return event


def _check_comment(comment: str, required: bool) -> None:
    if required and not comment:
        raise GuardFailed([Problem("comment", "请填写意见：退回或不予支持时必须说明理由")])
    if len(comment) > MAX_COMMENT:
        raise InvalidInput([Problem("comment", f"意见不能超过 {MAX_COMMENT} 字")])


def _submission_record(session, project, t, source: str, lc: Lifecycle) -> dict | None:
    """A declaration submission keeps what was submitted and what changed since the last one,
    so the history can show the difference between two submissions field by field."""
    if not (t.submission and lc.spec.states[source].editable):
        return None
    snapshot = flatten(project, session.get(Declaration, project.id))
    previous = last_submitted_snapshot(session, project, lc.spec, "editable")
    return {"snapshot": snapshot, "changes": diff(previous, snapshot) if previous else []}


def _on_enter(session: Session, project: Project, state: str) -> None:
    # Effects of entering a state live here, inside the transaction, never in machine callbacks.
    if state == "evaluating" and session.get(SelfEvaluation, project.id) is None:
        session.add(SelfEvaluation(project_id=project.id))
    if state == "approved":
        freeze_approved(session, project)  # the approved yardstick of the self-evaluation
        if not milestones_of(session, project):
            propose_for(session, project)
