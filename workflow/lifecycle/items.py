"""What else moves through approval beside projects (states.yaml `workflows:`): a 监控表 now, a
调整申请 next. Each belongs to a project and carries its own state, version, submitter and last
actor; `fire_item` is `fire` for it — authorize on the item's project, check the version and the
guards, move the state, run the effects, audit on the project's trail, tell the people the step
names, commit — in one transaction. The areas register what kinds of item there are (`Kind`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, false, or_, select
from sqlalchemy.orm import Session

from workflow.audit import chain
from workflow.audit.models import AuditEvent
from workflow.errors import Conflict, GuardFailed, InvalidTransition, NotAllowed, NotFound
from workflow.lifecycle.guards import GuardContext, run_guards
from workflow.lifecycle.hooks import TransitionContext, run_effects
from workflow.lifecycle.machine import Lifecycle, get_lifecycle
from workflow.lifecycle.operations import Action, _check_comment
from workflow.lifecycle.spec import LifecycleSpec, TransitionSpec
from workflow.org import access
from workflow.org.models import UNIT_ROLES, Role, User
from workflow.projects.models import Project
from workflow.projects.versioning import bump_version
from workflow.text import clean
from workflow.uow import UnitOfWork


@dataclass(frozen=True)
class Kind:
    """A kind of item with a workflow of its own: the subject its workflow in states.yaml names,
    that workflow's name, the Chinese name (「监控表」), its model (with `project`, `state`,
    `version`, `submitted_by_id`, `last_transition_by_id`, `updated_at`) and its page's path."""

    subject: str
    workflow: str
    label: str
    model: type
    path: Callable[[Any], str]


KINDS: dict[str, Kind] = {}
#: Called after every step of an item, inside its transaction, with the context (`ctx.item` is
#: what moved), its kind, the audit event and the lifecycle's spec: the areas hear of it here
#: (workflow/notify/hooks.py tells the people the step names), as they do of a project's.
ItemListener = Callable[[TransitionContext, Kind, AuditEvent, LifecycleSpec], None]
ITEM_LISTENERS: list[ItemListener] = []


def item_listener(fn: ItemListener) -> ItemListener:
    if fn not in ITEM_LISTENERS:
        ITEM_LISTENERS.append(fn)
    return fn


def register(kind: Kind) -> Kind:
    KINDS[kind.subject] = kind
    return kind


def workflow_of(kind: Kind, lc: Lifecycle | None = None) -> Lifecycle:
    """The kind's workflow as the lifecycle file declares it, as a machine; NotFound when the
    file declares none (a variant without `workflows:`): the pages then say so."""
    lc = lc or get_lifecycle()
    flow_spec(kind, lc.spec)
    return lc.workflows[kind.workflow]


def flow_spec(kind: Kind, spec: LifecycleSpec | None = None) -> LifecycleSpec:
    """The kind's workflow as declared under `workflows:` of the lifecycle file `spec` was
    read from; NotFound, saying so, when it declares none."""
    spec = spec or get_lifecycle().spec
    found = spec.workflows.get(kind.workflow)
    if found is None or found.subject != kind.subject:
        raise NotFound(f"流程定义文件未声明{kind.label}的流程（workflows.{kind.workflow}）")
    return found


def topic(kind: Kind, item) -> str:
    """The messages about one item share a topic: its 待办 are done when it moves on."""
    return f"{kind.subject}:{item.id}"


def can_view(user: User, item, kind: Kind, spec: LifecycleSpec | None = None) -> bool:
    """The unit's people see their unit's items; a 财政审核人 sees an item of a unit assigned to
    them once it is in a state its workflow marks finance_visible (a draft is the unit's own).
    `spec`: the lifecycle's (its `workflows` hold the item's)."""
    if not user.is_active:
        return False
    project = item.project
    if user.roles & UNIT_ROLES and user.unit_id == project.unit_id:
        return True
    state = flow_spec(kind, spec).states.get(item.state)
    return (
        Role.reviewer in user.roles
        and state is not None
        and state.finance_visible
        and access.reviews_unit(user, project.unit)
    )


def visible(user: User, kind: Kind, spec: LifecycleSpec | None = None) -> Select:
    """The items of this kind `user` may open, as one query (joined to their projects)."""
    spec = spec or get_lifecycle().spec
    flow = flow_spec(kind, spec)
    model = kind.model
    query = select(model).join(Project, Project.id == model.project_id)
    clauses = []
    if user.is_active and user.roles & UNIT_ROLES and user.unit_id is not None:
        clauses.append(Project.unit_id == user.unit_id)
    if user.is_active and Role.reviewer in user.roles:
        shown = [name for name, s in flow.states.items() if s.finance_visible]
        reviewed = access.visible_projects(user, spec).whereclause
        clauses.append(and_(model.state.in_(shown), reviewed))
    return query.where(or_(*clauses) if clauses else false())


def todo(user: User, kind: Kind, spec: LifecycleSpec | None = None) -> Select:
    """The items of this kind waiting for `user` (a step that is work for one of their roles),
    as one query: the 工作台's list and its count."""
    spec = spec or get_lifecycle().spec
    model = kind.model
    clauses = []
    for t in flow_spec(kind, spec).transitions:
        if t.todo == "never":
            continue
        for role in user.roles & t.roles:
            where = [model.state.in_(t.sources)]
            if role in UNIT_ROLES:
                where.append(Project.unit_id == user.unit_id)
            clauses.append(and_(*where))
    return visible(user, kind, spec).where(or_(*clauses) if clauses else false())


def history(session: Session, item, kind: Kind) -> list[AuditEvent]:
    """The steps taken on one item (and its audited edits), from its project's trail: the
    events of its workflow (`monitoring.submit`, …) that name it in their details."""
    events = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.project_id == item.project_id,
               AuditEvent.action.like(f"{kind.workflow}.%"))
        .order_by(AuditEvent.seq)
    ).all()  # fmt: skip
    return [e for e in events if _names(e, kind, item)]


def _names(event: AuditEvent, kind: Kind, item) -> bool:
    try:
        return json.loads(event.details or "{}").get(kind.subject) == item.id
    except (ValueError, AttributeError):
        return False


def may_fire(user: User, item, t: TransitionSpec) -> bool:
    """Who may take a step on an item: as on its project (a unit role for its own unit, a
    reviewer for the units assigned to them)."""
    return access.may_fire(user, item.project, t)


def available_actions(session: Session, item, user: User, *, kind: Kind, now: dt.datetime,
                      lifecycle: Lifecycle | None = None) -> list[Action]:  # fmt: skip
    """The steps out of the item's state `user` holds the role for, each with the problems its
    guards report now (none: the button works)."""
    lc = lifecycle or get_lifecycle()
    flow = workflow_of(kind, lc)
    if not can_view(user, item, kind, lc.spec):
        return []
    actions = []
    for t in flow.spec.transitions_from(item.state):
        if not may_fire(user, item, t):
            continue
        problems = run_guards(item, GuardContext(session, user, t, now, lifecycle=lc.spec))
        actions.append(Action(t.trigger, t.label, t.dest, t.comment_required, problems))
    return actions


def fire_item(
    uow: UnitOfWork,
    item,
    trigger: str,
    *,
    kind: Kind,
    actor: User,
    now: dt.datetime,
    comment: str = "",
    expected_version: int | None = None,
    lifecycle: Lifecycle | None = None,
    base_url: str = "",
) -> AuditEvent:
    """Take one step of the item's workflow. Raises NotFound, NotAllowed, InvalidTransition,
    GuardFailed, InvalidInput or Conflict, and then nothing has changed."""
    lc = lifecycle or get_lifecycle()
    flow = workflow_of(kind, lc)
    with uow:
        session = uow.session
        if not can_view(actor, item, kind, lc.spec):
            raise NotFound()
        if expected_version is not None and expected_version != item.version:
            raise Conflict()
        t = flow.spec.by_trigger.get(trigger)
        if t is None or item.state not in t.sources:
            raise InvalidTransition(f"{kind.label}当前状态不允许此操作")
        if not may_fire(actor, item, t):
            raise NotAllowed()
        comment = clean(comment)
        _check_comment(comment, t.comment_required)
        problems = run_guards(item, GuardContext(session, actor, t, now, lifecycle=lc.spec))
        if problems:
            raise GuardFailed(problems)
        source, dest = item.state, flow.next_state(item.state, trigger)
        before = (item.submitted_by_id, item.last_transition_by_id)
        values = {"state": dest, "updated_at": now, "last_transition_by_id": actor.id}
        if t.submission:
            values["submitted_by_id"] = actor.id
        bump_version(session, item, expected_version, **values)
        ctx = TransitionContext(session, item.project, actor, t, source, dest, comment, now,
                                flow.spec, *before, base_url=base_url, item=item)  # fmt: skip
        details = run_effects(ctx) or {}
        event = chain.append(
            session, now=now, actor=actor, action=f"{kind.workflow}.{trigger}",
            label=f"{kind.label}{t.label}", project_id=item.project_id, comment=comment,
            details={kind.subject: item.id, "from": source, "to": dest, **details},
        )  # fmt: skip
        for listener in ITEM_LISTENERS:
            listener(ctx, kind, event, lc.spec)
        uow.commit()
        return event
