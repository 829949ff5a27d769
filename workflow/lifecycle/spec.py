"""Load and validate states.yaml into spec objects; fail at start-up naming the fault."""

from __future__ import annotations

import os
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

DEFAULT_STATES_FILE = Path(__file__).resolve().parents[2] / "states.yaml"

_STATE_KEYS = {"label", "editable", "evaluation_editable", "finance_visible"}
_TRANSITION_KEYS = {
    "trigger",
    "source",
    "dest",
    "label",
    "roles",
    "guards",
    "comment_required",
    "submission",
}


class SpecError(ValueError):
    """states.yaml is malformed; the message names the file and the fault."""


@dataclass(frozen=True)
class StateSpec:
    name: str
    label: str
    editable: bool = False
    evaluation_editable: bool = False
    finance_visible: bool = False


@dataclass(frozen=True)
class TransitionSpec:
    trigger: str
    sources: tuple[str, ...]
    dest: str
    label: str
    roles: frozenset[str]
    guards: tuple[str, ...] = ()
    comment_required: bool = False
    submission: bool = False


@dataclass(frozen=True)
class ReminderPolicy:
    """When units are reminded of a deadline (states.yaml, `reminders`)."""

    send_time: str = "08:30"  # the daily run, China time
    before_days: tuple[int, ...] = (30, 7, 1)
    on_due: bool = True
    overdue_every_days: int = 7
    escalate_after_days: int = 14  # then the 单位负责人 is told too
    evaluation_deadline_month: int = 3  # the self-evaluation is due on this day of the next year
    evaluation_deadline_day: int = 31
    lookback_days: int = 7  # how far back a scheduler that was down catches up


@dataclass(frozen=True)
class LifecycleSpec:
    initial: str
    roles: dict[str, str]
    states: dict[str, StateSpec]
    transitions: tuple[TransitionSpec, ...]
    source_file: str = ""
    by_trigger: dict[str, TransitionSpec] = field(default_factory=dict, compare=False)
    reminders: ReminderPolicy = field(default_factory=ReminderPolicy)

    def transition(self, trigger: str) -> TransitionSpec:
        return self.by_trigger[trigger]

    def transitions_from(self, state: str) -> list[TransitionSpec]:
        return [t for t in self.transitions if state in t.sources]

    def state_label(self, state: str) -> str:
        spec = self.states.get(state)
        return spec.label if spec else state


def states_file_path() -> Path:
    return Path(os.environ.get("STATES_FILE") or DEFAULT_STATES_FILE)


def load_spec(path: str | Path | None = None, *, guard_names: set[str]) -> LifecycleSpec:
    """Read and validate a lifecycle file. `guard_names` are the guards that exist in code."""
    path = Path(path) if path else states_file_path()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SpecError(f"{path}: cannot read the lifecycle file ({exc})") from exc
    except yaml.YAMLError as exc:
        raise SpecError(f"{path}: not valid YAML ({exc})") from exc
    return parse_spec(raw, guard_names=guard_names, source=str(path))


def parse_spec(raw: Any, *, guard_names: set[str], source: str = "states.yaml") -> LifecycleSpec:
    def fail(message: str) -> SpecError:
        return SpecError(f"{source}: {message}")

    if not isinstance(raw, dict):
        raise fail("expected a mapping with 'initial', 'roles', 'states' and 'transitions'")
    roles = _parse_roles(raw.get("roles"), fail)
    states = _parse_states(raw.get("states"), fail)
    initial = raw.get("initial")
    if initial not in states:
        raise fail(f"initial state {initial!r} is not declared under 'states'")
    transitions = tuple(
        _parse_transition(i, t, states, roles, guard_names, fail)
        for i, t in enumerate(raw.get("transitions") or [])
    )
    if not transitions:
        raise fail("no transitions declared")
    by_trigger = _index_triggers(transitions, fail)
    _check_reachable(initial, states, transitions, fail)
    policy = _parse_reminders(raw.get("reminders") or {}, fail)
    return LifecycleSpec(initial, roles, states, transitions, source, by_trigger, policy)


def _parse_reminders(raw: Any, fail) -> ReminderPolicy:
    if not isinstance(raw, dict):
        raise fail("'reminders' must be a mapping")
    known = set(ReminderPolicy.__dataclass_fields__)
    unknown = set(raw) - known
    if unknown:
        raise fail(f"reminders has unknown keys: {', '.join(sorted(unknown))}")
    values = dict(raw)
    if "before_days" in values:
        values["before_days"] = tuple(values["before_days"])
    try:
        policy = ReminderPolicy(**values)
        hour, minute = (int(x) for x in policy.send_time.split(":"))
        assert 0 <= hour < 24 and 0 <= minute < 60
        assert all(isinstance(n, int) and n > 0 for n in policy.before_days)
        assert policy.overdue_every_days > 0 and policy.escalate_after_days > 0
    except (TypeError, ValueError, AssertionError) as exc:
        raise fail(f"reminders: invalid settings ({exc or 'out of range'})") from exc
    return policy


def _parse_roles(raw: Any, fail) -> dict[str, str]:
    if not isinstance(raw, dict) or not raw:
        raise fail("'roles' must map each role name to its Chinese label")
    for name, label in raw.items():
        if not isinstance(label, str) or not label.strip():
            raise fail(f"role {name!r} has no label")
    return {str(k): str(v) for k, v in raw.items()}


def _parse_states(raw: Any, fail) -> dict[str, StateSpec]:
    if not isinstance(raw, dict) or not raw:
        raise fail("'states' must map each state name to its settings")
    states = {}
    for name, body in raw.items():
        if not isinstance(body, dict) or not str(body.get("label") or "").strip():
            raise fail(f"state {name!r} has no label")
        unknown = set(body) - _STATE_KEYS
        if unknown:
            raise fail(f"state {name!r} has unknown keys: {', '.join(sorted(unknown))}")
        states[str(name)] = StateSpec(name=str(name), **body)
    return states


def _parse_transition(i, raw, states, roles, guard_names, fail) -> TransitionSpec:
    if not isinstance(raw, dict):
        raise fail(f"transition #{i + 1} is not a mapping")
    trigger = raw.get("trigger")
    where = f"transition {trigger!r}" if trigger else f"transition #{i + 1}"
    if not trigger or not str(trigger).isidentifier():
        raise fail(f"{where} needs a 'trigger' that is a valid identifier")
    unknown = set(raw) - _TRANSITION_KEYS
    if unknown:
        raise fail(f"{where} has unknown keys: {', '.join(sorted(unknown))}")
    sources = raw.get("source")
    sources = tuple(sources) if isinstance(sources, list) else (sources,)
    for state in (*sources, raw.get("dest")):
        if state not in states:
            raise fail(f"{where} names unknown state {state!r}")
    if not str(raw.get("label") or "").strip():
        raise fail(f"{where} has no label")
    t_roles = raw.get("roles") or []
    if not t_roles:
        raise fail(f"{where} names no roles")
    for role in t_roles:
        if role not in roles:
            raise fail(f"{where} names unknown role {role!r}")
    for guard in raw.get("guards") or []:
        if guard not in guard_names:
            known = ", ".join(sorted(guard_names))
            raise fail(f"{where} names unknown guard {guard!r} (known: {known})")
    return TransitionSpec(
        trigger=str(trigger),
        sources=sources,
        dest=raw["dest"],
        label=str(raw["label"]),
        roles=frozenset(t_roles),
        guards=tuple(raw.get("guards") or ()),
        comment_required=bool(raw.get("comment_required", False)),
        submission=bool(raw.get("submission", False)),
    )


def _index_triggers(transitions, fail) -> dict[str, TransitionSpec]:
    by_trigger: dict[str, TransitionSpec] = {}
    for t in transitions:
        if t.trigger in by_trigger:
            # One trigger, one row: a second row from the same or another source would make the
            # label, roles and guards ambiguous. Use a list of sources instead.
            raise fail(f"duplicate trigger {t.trigger!r}: declare it once, with a list of sources")
        by_trigger[t.trigger] = t
    return by_trigger


def _check_reachable(initial, states, transitions, fail) -> None:
    seen, queue = {initial}, deque([initial])
    while queue:
        state = queue.popleft()
        for t in transitions:
            if state in t.sources and t.dest not in seen:
                seen.add(t.dest)
                queue.append(t.dest)
    unreachable = [s for s in states if s not in seen]
    if unreachable:
        raise fail(f"unreachable state(s) from {initial!r}: {', '.join(unreachable)}")
