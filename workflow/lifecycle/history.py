"""Questions about a project's past, answered from its audit events."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from workflow.audit.models import AuditEvent
from workflow.lifecycle.spec import LifecycleSpec
from workflow.projects.models import Project


def _submissions_from(spec: LifecycleSpec, editable_flag: str):
    states = [name for name, st in spec.states.items() if getattr(st, editable_flag)]
    triggers = [t.trigger for t in spec.transitions if t.submission]
    return AuditEvent.from_state.in_(states), AuditEvent.action.in_(triggers)


def submitted_before(
    session: Session, project: Project, spec: LifecycleSpec, editable_flag: str
) -> bool:
    """Whether a form (editable in states marked `editable_flag`) was ever submitted: edits
    after that go to the audit trail (before it, a draft is the filler's own business)."""
    query = exists().where(
        AuditEvent.project_id == project.id, *_submissions_from(spec, editable_flag)
    )
    return bool(session.scalar(select(query)))


def last_submitted_snapshot(
    session: Session, project: Project, spec: LifecycleSpec, editable_flag: str
) -> dict[str, Any] | None:
    """The form as it was at its last submission, or None if it was never submitted."""
    details = session.scalar(
        select(AuditEvent.details)
        .where(AuditEvent.project_id == project.id, *_submissions_from(spec, editable_flag))
        .order_by(AuditEvent.seq.desc())
        .limit(1)
    )
    return json.loads(details).get("snapshot") if details else None


def event_changes(event: AuditEvent) -> list[list[str]]:
    """The field/old/new rows an audited edit carries (for the history on page and in PDF)."""
    try:
        return json.loads(event.details).get("changes", [])
    except (ValueError, AttributeError):
        return []


def standing_return(events: list[AuditEvent], spec: LifecycleSpec) -> AuditEvent | None:
    """The latest return or refusal (a step that needs a comment) as long as it still stands:
    until the step that returned the project has been passed again. It is what the people now
    working on the project must answer, shown to everyone who can see it."""
    for n in range(len(events) - 1, -1, -1):
        event = events[n]
        transition = spec.by_trigger.get(event.action) if event.to_state else None
        if transition is None or not transition.comment_required:
            continue
        passed = any(e.from_state == event.from_state and e.to_state for e in events[n + 1 :])
        return None if passed else event
    return None
