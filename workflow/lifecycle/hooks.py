"""What the business areas plug into the engine, under the names states.yaml uses: effects (of a
transition, or of entering a state), recipients (who is told of a transition) and listeners
(called after every transition). `fire` runs them inside its transaction, so a transition and
everything it causes commit or roll back together; the engine itself knows none of the areas."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from workflow.lifecycle.guards import GUARD_SUBJECTS, GUARDS
from workflow.lifecycle.spec import HookNames, LifecycleSpec, TransitionSpec
from workflow.org.models import User
from workflow.projects.models import Project

if TYPE_CHECKING:
    from workflow.audit.models import AuditEvent


@dataclass(frozen=True)
class TransitionContext:
    """One transition as it happens: the project has already moved to `dest`; `submitted_by_id`
    and `last_actor_id` are who submitted it and who moved it last *before* this transition."""

    session: Session
    project: Project
    actor: User
    transition: TransitionSpec
    source: str
    dest: str
    comment: str
    now: dt.datetime
    spec: LifecycleSpec
    submitted_by_id: int | None
    last_actor_id: int | None
    base_url: str = ""
    principal: User | None = None  # 委托: in whose name the actor acted
    #: What moved when it is not the project itself (a 监控表: `workflows:` in states.yaml)
    item: Any = None

    @property
    def moved(self) -> Any:
        """What this transition moved: the project, or the item of another workflow."""
        return self.project if self.item is None else self.item

    @property
    def actor_name(self) -> str:
        """「张三」, or 「张三（代 李四）」 for a step done in another's name."""
        from workflow.org.delegation import acting_name

        return acting_name(self.actor, self.principal)


Effect = Callable[[TransitionContext], dict[str, Any] | None]
#: A recipient rule gives a condition on User: who, relative to this project, is meant.
RecipientRule = Callable[[TransitionContext], ColumnElement[bool]]
Listener = Callable[[TransitionContext, "AuditEvent"], None]

EFFECTS: dict[str, Effect] = {}
RECIPIENTS: dict[str, RecipientRule] = {}
LISTENERS: list[Listener] = []
#: The subjects whose workflows may name each effect and each recipient rule.
EFFECT_SUBJECTS: dict[str, tuple[str, ...]] = {}
RECIPIENT_SUBJECTS: dict[str, tuple[str, ...]] = {}
#: What may move through a workflow of states.yaml, with its Chinese name: projects, and what
#: the areas add (the 监控表, `workflows:`).
SUBJECTS: dict[str, str] = {"project": "项目"}
#: Registered for every subject: a hook that asks only what every item with a workflow has
#: (its project, who submitted it, who acted last).
EVERY = "*"


def subject(name: str, label: str) -> None:
    """Register something with a workflow of its own under `workflows:` in states.yaml."""
    SUBJECTS[name] = label


def effect(name: str, *, subjects: tuple[str, ...] = ("project",)) -> Callable[[Effect], Effect]:
    """Register an effect under the name states.yaml uses (`on_enter:` or `effects:`). What it
    returns is added to the transition's audit event details."""

    def register(fn: Effect) -> Effect:
        EFFECTS[name] = fn
        EFFECT_SUBJECTS[name] = subjects
        return fn

    return register


def recipients(
    name: str, *, subjects: tuple[str, ...] = ("project",)
) -> Callable[[RecipientRule], RecipientRule]:
    """Register a recipient rule under the name states.yaml uses in `notify:`. A rule reads the
    project of what moved (`ctx.project`) and who submitted and acted last on what moved."""

    def register(fn: RecipientRule) -> RecipientRule:
        RECIPIENTS[name] = fn
        RECIPIENT_SUBJECTS[name] = subjects
        return fn

    return register


#: Called after a 会签 approval that does not yet move the project: (session, project, voter,
#: its audit event, now, the colleague in whose name they voted or None), inside its transaction.
VoteListener = Callable[[Any, Any, Any, "AuditEvent", Any, Any], None]
VOTE_LISTENERS: list[VoteListener] = []


def vote_listener(fn: VoteListener) -> VoteListener:
    """Register a function called after each 会签 approval that does not yet fire."""
    if fn not in VOTE_LISTENERS:
        VOTE_LISTENERS.append(fn)
    return fn


def listener(fn: Listener) -> Listener:
    """Register a function called after every transition, inside its transaction."""
    if fn not in LISTENERS:
        LISTENERS.append(fn)
    return fn


def registered_names() -> HookNames:
    """What states.yaml may name: for the project lifecycle, and for each other subject's
    workflow what was registered for that subject."""

    def of(subject: str) -> HookNames:
        def named(registry: dict, subjects: dict[str, tuple[str, ...]]) -> frozenset[str]:
            return frozenset(n for n in registry
                             if {subject, EVERY} & set(subjects.get(n, ("project",))))  # fmt: skip

        return HookNames(named(GUARDS, GUARD_SUBJECTS), named(EFFECTS, EFFECT_SUBJECTS),
                         named(RECIPIENTS, RECIPIENT_SUBJECTS), SUBJECTS[subject])  # fmt: skip

    others = {name: of(name) for name in SUBJECTS if name != "project"}
    return HookNames(**{**of("project").__dict__, "subjects": others})


def run_effects(ctx: TransitionContext) -> dict[str, Any]:
    """The transition's own effects, then those of entering its destination; their audit
    details merged."""
    details: dict[str, Any] = {}
    for name in (*ctx.transition.effects, *ctx.spec.states[ctx.dest].on_enter):
        details |= EFFECTS[name](ctx) or {}
    return details
