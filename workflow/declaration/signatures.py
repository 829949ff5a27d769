"""The 申报表's signature block (填报单位负责人, 填报人, 填报日期) as the history writes it: who
submitted the form and when, and which 单位负责人 passed it on, and when. Nobody types it; a form
that came from paper keeps what was written on it until the system has a history of its own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from workflow.audit.models import AuditEvent
from workflow.clock import CHINA
from workflow.declaration.models import Declaration
from workflow.lifecycle.spec import LifecycleSpec

UNIT_HEAD = "unit_head"


@dataclass(frozen=True)
class Signatures:
    unit_head: str
    signed_on: dt.date | None
    filled_by: str
    filled_on: dt.date | None
    from_history: bool  # False: nothing was submitted in the system yet


def signatures(
    events: Sequence[AuditEvent], spec: LifecycleSpec, declaration: Declaration | None
) -> Signatures:
    """From the last submission of the 申报表 (out of a state where it is edited) and the unit
    head's step that passed it on after it; else what the paper form said."""
    editable = {name for name, s in spec.states.items() if s.editable}
    submitted = None
    for n, e in enumerate(events):
        t = spec.by_trigger.get(e.action) if e.to_state else None
        if t is not None and t.submission and e.from_state in editable:
            submitted = n
    if submitted is None:
        typed = declaration or Declaration()
        return Signatures(typed.unit_head_name or "", None, typed.filled_by or "",
                          typed.filled_on, from_history=False)  # fmt: skip
    event = events[submitted]
    signer, signed_on = "", None
    for e in events[submitted + 1 :]:
        t = spec.by_trigger.get(e.action) if e.to_state else None
        if t is None:
            continue
        if UNIT_HEAD in t.roles and not t.comment_required:
            signer, signed_on = e.actor_name, _day(e)
        break  # the next step decides: signed, returned or withdrawn
    return Signatures(signer, signed_on, event.actor_name, _day(event), from_history=True)


def _day(event: AuditEvent) -> dt.date:
    return event.at.astimezone(CHINA).date()
