"""states.yaml is validated at load: good files load, broken ones name their fault."""

from pathlib import Path

import pytest
import yaml

from workflow.lifecycle.guards import GUARDS
from workflow.lifecycle.hooks import EFFECTS, registered_names
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


def test_every_effect_named_in_states_yaml_is_registered_by_its_area():
    spec = get_lifecycle().spec
    on_enter = {name: s.on_enter for name, s in spec.states.items() if s.on_enter}
    assert on_enter == {"approved": ("freeze_targets", "propose_milestones"),
                        "evaluating": ("open_self_evaluation",),
                        "self_evaluated": ("record_score",)}  # fmt: skip
    assert {t.trigger: t.effects for t in spec.transitions if t.effects} == {
        "submit": ("record_declaration",)
    }
    assert {*on_enter["approved"], "open_self_evaluation", "record_declaration",
            "record_score"} <= set(EFFECTS)  # fmt: skip


def test_optional_and_year_end_steps_are_not_always_work():
    spec = get_lifecycle().spec
    todo = {t.trigger: t.todo for t in spec.transitions if t.todo != "always"}
    assert todo == {"withdraw": "never", "begin_evaluation": "after_project_year"}
    assert spec.holders("declared") == ["reviewer"]
    assert spec.holders("unit_review") == ["unit_head"]  # 撤回 is the filler's option, not work
    assert spec.holders("approved") == ["filler", "unit_head"]
    assert spec.holders("archived") == [] and spec.has_ended("archived")
    assert set(spec.ended_states()) == {"archived", "refused"}


def _broken(mutate) -> str:
    raw = _raw()
    mutate(raw)
    with pytest.raises(SpecError) as excinfo:
        parse_spec(raw, names=registered_names(), source="variant.yaml")
    return str(excinfo.value)


def test_unknown_state_is_named():
    def mutate(raw):
        raw["transitions"][0]["dest"] = "nowhere"

    assert _broken(mutate) == "variant.yaml：转换「submit」引用了未知的状态「nowhere」"


def test_unknown_guard_is_named_with_the_known_ones():
    def mutate(raw):
        raw["transitions"][0]["guards"] = ["budget_balanced"]

    message = _broken(mutate)
    assert message.startswith("variant.yaml：转换「submit」引用了未知的校验「budget_balanced」")
    assert "declaration_complete" in message


def test_unknown_effect_is_named_on_a_state_and_on_a_transition():
    def on_state(raw):
        raw["states"]["approved"]["on_enter"] = ["freeze_targets", "launch_rocket"]

    def on_transition(raw):
        raw["transitions"][0]["effects"] = ["snapshot_everything"]

    assert "状态「approved」引用了未知的效果「launch_rocket」" in _broken(on_state)
    assert "转换「submit」引用了未知的效果「snapshot_everything」" in _broken(on_transition)


def test_a_wrong_todo_setting_is_named():
    def mutate(raw):
        raw["transitions"][0]["todo"] = "sometimes"

    assert "转换「submit」的 todo 应为 true、false 或 after_project_year" in _broken(mutate)


def test_unreachable_state_is_named():
    def mutate(raw):
        raw["states"]["orphan"] = {"label": "孤立状态"}

    assert "从初始状态「draft」无法到达：orphan" in _broken(mutate)


def test_missing_label_is_named():
    def mutate(raw):
        del raw["transitions"][3]["label"]

    assert "转换「declare」缺少 label" in _broken(mutate)


def test_duplicate_trigger_is_named():
    def mutate(raw):
        raw["transitions"].append(dict(raw["transitions"][0]))

    assert "转换「submit」重复声明" in _broken(mutate)


def test_unknown_role_and_unknown_key_are_named():
    def bad_role(raw):
        raw["transitions"][0]["roles"] = ["mayor"]

    def bad_key(raw):
        raw["transitions"][0]["on_enter"] = "launch"

    assert "转换「submit」引用了未知的角色「mayor」" in _broken(bad_role)
    assert "转换「submit」含未知的键：on_enter" in _broken(bad_key)


def test_a_state_flag_must_be_true_or_false():
    """`monitored: yes please` would otherwise switch 绩效运行监控 on for a state unseen."""

    def mutate(raw):
        raw["states"]["implementing"]["monitored"] = "yes please"

    assert _broken(mutate) == "variant.yaml：状态「implementing」的 monitored 应为 true 或 false"
    assert parse_spec(_raw(), names=registered_names()).states["implementing"].monitored


def test_a_file_that_is_not_yaml_fails_with_its_path(tmp_path: Path):
    path = tmp_path / "states.yaml"
    path.write_text("states: [unclosed", encoding="utf-8")
    with pytest.raises(SpecError, match="不是有效的 YAML"):
        load_lifecycle(path)


def test_unknown_recipient_is_named_with_the_known_ones():
    def mutate(raw):
        raw["transitions"][0]["notify"] = ["unit_heads", "mayor"]

    message = _broken(mutate)
    assert "转换「submit」引用了未知的通知对象「mayor」" in message
    assert all(name in message for name in ("submitter", "unit_heads", "reviewers"))


def test_a_self_evaluation_deadline_that_some_years_lack_is_refused():
    def mutate(raw):
        raw["reminders"]["evaluation_deadline_month"] = 2
        raw["reminders"]["evaluation_deadline_day"] = 29

    assert "reminders 设置无效" in _broken(mutate)
