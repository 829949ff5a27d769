"""states.yaml is validated at load: good files load, broken ones name their fault."""

from pathlib import Path

import pytest
import yaml

from workflow.lifecycle.guards import GUARDS
from workflow.lifecycle.machine import Lifecycle, get_lifecycle, load_lifecycle
from workflow.lifecycle.spec import DEFAULT_STATES_FILE, SpecError, parse_spec

EXPECTED = {
    "submit": ("draft", "unit_review", {"filler"}),
    "withdraw": ("unit_review", "draft", {"filler"}),
    "return_to_filler": ("unit_review", "draft", {"unit_head"}),
    "declare": ("unit_review", "declared", {"unit_head"}),
    "approve": ("declared", "approved", {"reviewer"}),
    "return_for_revision": ("declared", "draft", {"reviewer"}),
    "refuse": ("declared", "refused", {"reviewer"}),
    "start_implementation": ("approved", "implementing", {"filler", "unit_head"}),
    "begin_evaluation": ("implementing", "evaluating", {"filler"}),
    "submit_evaluation": ("evaluating", "evaluation_unit_review", {"filler"}),
    "return_evaluation_to_filler": ("evaluation_unit_review", "evaluating", {"unit_head"}),
    "sign_evaluation": ("evaluation_unit_review", "self_evaluated", {"unit_head"}),
    "return_evaluation": ("self_evaluated", "evaluating", {"reviewer"}),
    "archive": ("self_evaluated", "archived", {"reviewer"}),
}


def _raw():
    return yaml.safe_load(DEFAULT_STATES_FILE.read_text(encoding="utf-8"))


def test_the_bundled_lifecycle_is_the_agreed_one():
    spec = get_lifecycle().spec
    actual = {t.trigger: (t.sources[0], t.dest, set(t.roles)) for t in spec.transitions}
    assert actual == EXPECTED
    assert spec.states["draft"].label == "填报中"
    assert spec.states["declared"].label == "已申报（待财政审核）"
    assert {t.trigger for t in spec.transitions if t.comment_required} == {
        "return_to_filler", "return_for_revision", "refuse", "return_evaluation_to_filler",
        "return_evaluation",
    }  # fmt: skip


def test_the_machine_is_built_once_per_process():
    assert get_lifecycle() is get_lifecycle()
    assert isinstance(get_lifecycle(), Lifecycle)


def test_every_guard_named_in_states_yaml_runs_from_the_registry():
    named = {g for t in get_lifecycle().spec.transitions for g in t.guards}
    assert named == {"declaration_complete", "milestones_confirmed", "evaluation_complete",
                     "not_own_approval", "own_submission"}  # fmt: skip
    assert named <= set(GUARDS)


def _broken(mutate) -> str:
    raw = _raw()
    mutate(raw)
    with pytest.raises(SpecError) as excinfo:
        parse_spec(raw, guard_names=set(GUARDS), source="variant.yaml")
    return str(excinfo.value)


def test_unknown_state_is_named():
    def mutate(raw):
        raw["transitions"][0]["dest"] = "nowhere"

    assert "unknown state 'nowhere'" in _broken(mutate)


def test_unknown_guard_is_named():
    def mutate(raw):
        raw["transitions"][0]["guards"] = ["budget_balanced"]

    assert "unknown guard 'budget_balanced'" in _broken(mutate)


def test_unreachable_state_is_named():
    def mutate(raw):
        raw["states"]["orphan"] = {"label": "孤立状态"}

    assert "unreachable state(s) from 'draft': orphan" in _broken(mutate)


def test_missing_label_is_named():
    def mutate(raw):
        del raw["transitions"][3]["label"]

    assert "transition 'declare' has no label" in _broken(mutate)


def test_duplicate_trigger_is_named():
    def mutate(raw):
        raw["transitions"].append(dict(raw["transitions"][0]))

    assert "duplicate trigger 'submit'" in _broken(mutate)


def test_unknown_role_and_unknown_key_are_named():
    def bad_role(raw):
        raw["transitions"][0]["roles"] = ["mayor"]

    def bad_key(raw):
        raw["transitions"][0]["on_enter"] = "launch"

    assert "unknown role 'mayor'" in _broken(bad_role)
    assert "unknown keys: on_enter" in _broken(bad_key)


def test_a_file_that_is_not_yaml_fails_with_its_path(tmp_path: Path):
    path = tmp_path / "states.yaml"
    path.write_text("states: [unclosed", encoding="utf-8")
    with pytest.raises(SpecError, match="not valid YAML"):
        load_lifecycle(path)
