"""The roles the code knows are the roles states.yaml declares, with the same Chinese names; the
三员 are held alone and name no transition."""

from __future__ import annotations

from workflow.lifecycle.machine import get_lifecycle
from workflow.org.models import OFFICER_ROLES, ROLE_LABELS, Role


def test_the_code_and_the_lifecycle_name_the_same_roles():
    spec = get_lifecycle().spec
    assert {r.value: label for r, label in ROLE_LABELS.items()} == spec.roles
    assert set(Role) == set(ROLE_LABELS)


def test_no_transition_is_the_work_of_the_three():
    spec = get_lifecycle().spec
    officers = {r.value for r in OFFICER_ROLES}
    assert officers == {"admin", "security_admin", "auditor"}
    assert all(not (t.roles & officers) for t in spec.transitions)


def test_the_auditors_action_filter_names_every_action_the_code_records():
    """Every `action="…"` written to the audit trail outside the lifecycle is offered by the
    安全审计员's filter (workflow/audit/trail.py), so no kind of event is unfindable."""
    import re
    from pathlib import Path

    from workflow.audit.trail import OTHER_ACTIONS

    root = Path(__file__).parents[2] / "workflow"
    written = set()
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        written |= set(re.findall(r'action="([a-z_]+)"', text))
        written |= set(re.findall(r'_audit\w*\([^)"]*"([a-z_]+)"', text))  # the first literal
    assert len(written) >= 20, written  # the patterns still match the code
    assert written - set(OTHER_ACTIONS) == set(), written - set(OTHER_ACTIONS)
