"""Named guards: each returns the problems that block a transition (an empty list lets it pass).
The areas register theirs (workflow/*/hooks.py); the two below concern only who acts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from workflow.errors import Problem
from workflow.org.models import User
from workflow.projects.models import Project

if TYPE_CHECKING:
    from workflow.lifecycle.spec import TransitionSpec


@dataclass(frozen=True)
class GuardContext:
    session: Session
    actor: User
    transition: TransitionSpec
    now: dt.datetime
    #: What each guard's preload fetched for many projects at once: guard name → project id →
    #: data. A guard uses its entry when there is one and loads for itself otherwise.
    preloaded: Mapping[str, Mapping[int, Any]] = field(default_factory=dict)
    #: 委托: the user in whose name the actor acts (None: their own)
    principal: User | None = None
    #: The lifecycle file's spec, for a guard of another workflow that asks about the project's
    #: state (set by workflow/lifecycle/items.py)
    lifecycle: Any = None

    def loaded(self, guard_name: str, project: Project) -> Any | None:
        return self.preloaded.get(guard_name, {}).get(project.id)


Guard = Callable[[Project, GuardContext], list[Problem]]
#: Fetches what a guard reads for many projects at once, so that a page listing fifty
#: projects with their blocked actions runs a fixed number of queries.
Preload = Callable[[Session, Sequence[Project]], Mapping[int, Any]]
GUARDS: dict[str, Guard] = {}
PRELOADS: dict[str, Preload] = {}
#: The subjects whose workflows may name each guard (a project's by default; a 监控表's, …).
GUARD_SUBJECTS: dict[str, tuple[str, ...]] = {}


def guard(name: str, *, preload: Preload | None = None,
          subjects: tuple[str, ...] = ("project",)) -> Callable[[Guard], Guard]:  # fmt: skip
    """Register a guard under the name states.yaml uses, for the workflows of `subjects`. A
    guard is given what moves (the project, the 监控表) and the context."""

    def register(fn: Guard) -> Guard:
        GUARDS[name] = fn
        GUARD_SUBJECTS[name] = subjects
        if preload is not None:
            PRELOADS[name] = preload
        return fn

    return register


def run_guards(project: Project, ctx: GuardContext) -> list[Problem]:
    problems: list[Problem] = []
    for name in ctx.transition.guards:
        problems.extend(GUARDS[name](project, ctx))
    return problems


def preload(session: Session, wanted: Mapping[str, Sequence[Project]]) -> dict[str, Mapping]:
    """Run each guard's preload once for all the projects it is about to check."""
    return {
        name: PRELOADS[name](session, projects)
        for name, projects in wanted.items()
        if name in PRELOADS and projects
    }


# Both ask only who submitted and who acted last, which every subject with a workflow records
# ("*": every subject, workflow/lifecycle/hooks.py).
@guard("not_own_approval", subjects=("*",))
def not_own_approval(project: Project, ctx: GuardContext) -> list[Problem]:
    """Four eyes: nobody approves what they submitted or handled in the step before; acting
    in another's name (委托), neither what that person did."""
    if ctx.actor.id == project.submitted_by_id:
        return [Problem("actor", "不能审核本人提交的内容，请由其他人员办理")]
    if ctx.actor.id == project.last_transition_by_id:
        return [Problem("actor", "不能审核本人上一步经办的内容，请由其他人员办理")]
    principal = ctx.principal
    if principal is not None and principal.id == project.submitted_by_id:
        return [Problem("actor", f"不能代{principal.display_name}审核其本人提交的内容")]
    if principal is not None and principal.id == project.last_transition_by_id:
        return [Problem("actor", f"不能代{principal.display_name}审核其上一步经办的内容")]
    return []


@guard("own_submission", subjects=("*",))
def own_submission(project: Project, ctx: GuardContext) -> list[Problem]:
    submitter = project.submitted_by_id
    if ctx.actor.id != submitter and (ctx.principal is None or ctx.principal.id != submitter):
        return [Problem("actor", "只有提交人本人可以撤回")]
    return []
