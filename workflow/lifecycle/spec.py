"""Load and validate states.yaml into spec objects; fail at start-up naming the fault in Chinese."""

from __future__ import annotations

import datetime as dt
import os
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

DEFAULT_STATES_FILE = Path(__file__).resolve().parents[2] / "states.yaml"

_STATE_KEYS = {"label", "editable", "evaluation_editable", "finance_visible", "on_enter", "sla",
               "escalate_to", "monitored"}  # fmt: skip
_TRANSITION_KEYS = {
    "trigger",
    "source",
    "dest",
    "label",
    "roles",
    "guards",
    "effects",
    "notify",
    "todo",
    "comment_required",
    "submission",
    "approvals",
}
_APPROVAL_KEYS = {"count", "roles", "all_of", "when"}
#: The conditions an approvals block may name under `when`, and what each takes.
APPROVAL_CONDITIONS = {"amount_at_least": "申报金额（万元）不低于"}
#: When a transition counts as work waiting for the people who may fire it (待我办理):
#: always (true), never (false: an optional step such as 撤回), or from 1 January after the
#: project's year (after_project_year: 开始自评 is not work while the year is still running).
TODO_WHEN = {True: "always", False: "never", "after_project_year": "after_project_year"}


class SpecError(ValueError):
    """states.yaml is malformed; the message names the file and the fault."""


@dataclass(frozen=True)
class HookNames:
    """The names the business areas registered: what states.yaml may refer to (the project
    lifecycle's); `subjects`: those the workflows of other subjects may (`workflows:`), by the
    subject's name (monitoring_report), with its Chinese name in `label`."""

    guards: frozenset[str] = frozenset()
    effects: frozenset[str] = frozenset()
    recipients: frozenset[str] = frozenset()
    label: str = "项目"
    subjects: Mapping[str, HookNames] = field(default_factory=dict)


@dataclass(frozen=True)
class StateSpec:
    name: str
    label: str
    editable: bool = False
    evaluation_editable: bool = False
    finance_visible: bool = False
    monitored: bool = False  # 绩效运行监控: a round covers the projects in such a state
    on_enter: tuple[str, ...] = ()  # effects run inside the transaction that enters the state
    # 时限: how many working days a project may wait here (`sla: {days: 5}`), and who is told
    # once when it has waited longer (`escalate_to:`, recipient names as in `notify:`).
    sla_days: int | None = None
    escalate_to: tuple[str, ...] = ()


@dataclass(frozen=True)
class ApprovalRule:
    """会签: how many approvals a transition needs before it fires (states.yaml `approvals`):
    `count` different people of `roles`, or one person of each role in `all_of`; only for the
    projects `when` names (e.g. amount_at_least 500 万元), every project when it names none.
    Each approval is a vote; a return or refusal (another transition) decides at once."""

    count: int = 1
    roles: frozenset[str] = frozenset()
    all_of: tuple[str, ...] = ()
    when: tuple[tuple[str, Decimal], ...] = ()

    @property
    def needed(self) -> int:
        return len(self.all_of) if self.all_of else self.count

    def applies(self, project) -> bool:
        for name, value in self.when:
            if name == "amount_at_least" and not (project.amount or 0) >= value:
                return False
        return True

    def needs(self, role_labels: dict[str, str]) -> str:
        """「2 位财政审核人同意」「财政审核人、单位负责人各 1 人同意」."""
        if self.all_of:
            return "、".join(role_labels.get(r, r) for r in self.all_of) + "各 1 人同意"
        names = "或".join(role_labels.get(r, r) for r in sorted(self.roles))
        return f"{self.count} 位{names}同意"

    def describe(self, role_labels: dict[str, str]) -> str:
        """What the rule needs, and of which projects (「申报金额（万元）不低于 500 的项目需…」)."""
        text = self.needs(role_labels)
        for name, value in self.when:
            text = f"{APPROVAL_CONDITIONS[name]} {value:f} 的项目需{text}"
        return text


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
    effects: tuple[str, ...] = ()  # effects of the transition itself (they may add audit details)
    notify: tuple[str, ...] = ()  # who is told, named relative to the project
    todo: str = "always"  # see TODO_WHEN
    approvals: ApprovalRule | None = None  # 会签: several approvals before it fires

    def approval_rule(self, project) -> ApprovalRule | None:
        """The 会签 rule this project needs for this transition (None: one action fires it)."""
        rule = self.approvals
        return rule if rule is not None and rule.applies(project) else None


@dataclass(frozen=True)
class ReminderPolicy:
    """When units are reminded of a deadline (states.yaml, `reminders`)."""

    send_time: str = "08:30"  # the daily run, China time
    before_days: tuple[int, ...] = (30, 7, 1)
    on_due: bool = True
    overdue_every_days: int = 7  # while overdue: this often for the first month …
    overdue_weekly_for_months: int = 1
    overdue_then_every_months: int = 1  # … then this many months apart
    escalate_after_days: int = 14  # then the 单位负责人 is told too
    evaluation_deadline_month: int = 3  # the self-evaluation is due on this day of the next year
    evaluation_deadline_day: int = 31
    lookback_days: int = 7  # how far back a scheduler that was down catches up
    upcoming_days: int = 30  # the 工作台 lists what falls due this many days ahead


@dataclass(frozen=True)
class LifecycleSpec:
    initial: str
    roles: dict[str, str]
    states: dict[str, StateSpec]
    transitions: tuple[TransitionSpec, ...]
    source_file: str = ""
    by_trigger: dict[str, TransitionSpec] = field(default_factory=dict, compare=False)
    reminders: ReminderPolicy = field(default_factory=ReminderPolicy)
    #: What moves through it: "project" for the lifecycle, another subject for `workflows:`
    subject: str = "project"
    #: The other workflows the file declares (`workflows:`), by name: the 监控表's and others,
    #: each with the same roles; their own `workflows` are empty.
    workflows: dict[str, LifecycleSpec] = field(default_factory=dict, compare=False)

    def workflow(self, name: str) -> LifecycleSpec:
        """A workflow declared under `workflows:`; KeyError names it when the file has none."""
        return self.workflows[name]

    def transition(self, trigger: str) -> TransitionSpec:
        return self.by_trigger[trigger]

    def transitions_from(self, state: str) -> list[TransitionSpec]:
        return [t for t in self.transitions if state in t.sources]

    def state_label(self, state: str) -> str:
        spec = self.states.get(state)
        return spec.label if spec else state

    def has_ended(self, state: str) -> bool:
        """No transition leaves the state: the project's lifecycle is over (归档, 不予支持)."""
        return not self.transitions_from(state)

    def ended_states(self) -> list[str]:
        return [name for name in self.states if self.has_ended(name)]

    def todo_transitions(self, state: str) -> list[TransitionSpec]:
        """The transitions out of `state` that are work for whoever may fire them."""
        return [t for t in self.transitions_from(state) if t.todo != "never"]

    def holders(self, state: str) -> list[str]:
        """The roles whose work the project waits for in `state` (在「财政审核人」处)."""
        roles = {r for t in self.todo_transitions(state) for r in t.roles}
        return [r for r in self.roles if r in roles]


def states_file_path() -> Path:
    return Path(os.environ.get("STATES_FILE") or DEFAULT_STATES_FILE)


def load_spec(path: str | Path | None = None, *, names: HookNames) -> LifecycleSpec:
    """Read and validate a lifecycle file against the names the areas registered."""
    path = Path(path) if path else states_file_path()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SpecError(f"{path}：无法读取流程定义文件（{exc}）") from exc
    except yaml.YAMLError as exc:
        raise SpecError(f"{path}：不是有效的 YAML（{exc}）") from exc
    return parse_spec(raw, names=names, source=str(path))


def parse_spec(raw: Any, *, names: HookNames, source: str = "states.yaml") -> LifecycleSpec:
    def fail(message: str) -> SpecError:
        return SpecError(f"{source}：{message}")

    if not isinstance(raw, dict):
        raise fail("应为包含 initial、roles、states 和 transitions 的映射")
    unknown = set(raw) - _TOP_KEYS
    if unknown:
        raise fail(f"含未知的键：{'、'.join(sorted(map(str, unknown)))}")
    roles = _parse_roles(raw.get("roles"), fail)
    policy = _parse_reminders(raw.get("reminders") or {}, fail)
    workflows = _parse_workflows(raw.get("workflows"), roles, names, fail)
    return _parse_workflow(raw, roles, names, fail, source, policy=policy, workflows=workflows)


#: The keys of the file, and of each workflow under `workflows:`.
_TOP_KEYS = {"initial", "roles", "states", "transitions", "reminders", "workflows"}
_WORKFLOW_KEYS = {"subject", "initial", "states", "transitions"}
#: What a state or transition of another subject's workflow may say: the 时限, 会签 and the
#: 自评/监控 flags concern projects only.
_WORKFLOW_STATE_KEYS = {"label", "editable", "finance_visible", "on_enter"}
_WORKFLOW_TRANSITION_KEYS = _TRANSITION_KEYS - {"approvals"}


def _parse_workflow(raw, roles, names: HookNames, fail, source, *, subject="project",
                    policy=None, workflows=None) -> LifecycleSpec:  # fmt: skip
    """One workflow: its states, initial state and transitions, every name checked against what
    the areas registered for its subject."""
    own = subject != "project"
    states = _parse_states(raw.get("states"), names, fail,
                           allowed=_WORKFLOW_STATE_KEYS if own else _STATE_KEYS)  # fmt: skip
    initial = raw.get("initial")
    if initial not in states:
        raise fail(f"初始状态「{initial}」未在 states 中声明")
    transitions = tuple(
        _parse_transition(i, t, states, roles, names, fail,
                          allowed=_WORKFLOW_TRANSITION_KEYS if own else _TRANSITION_KEYS)
        for i, t in enumerate(raw.get("transitions") or [])
    )  # fmt: skip
    if not transitions:
        raise fail("未声明任何转换（transitions）")
    by_trigger = _index_triggers(transitions, fail)
    _check_reachable(initial, states, transitions, fail)
    return LifecycleSpec(initial, roles, states, transitions, source, by_trigger,
                         policy or ReminderPolicy(), subject, workflows or {})  # fmt: skip


def _parse_workflows(raw, roles, names: HookNames, fail) -> dict[str, LifecycleSpec]:
    """`workflows:` — the other subjects' workflows (the 监控表's, …), each validated as the
    project lifecycle is, against the names registered for its subject."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise fail("workflows 应把每个流程名映射到其定义（subject、initial、states、transitions）")
    found = {}
    for name, body in raw.items():
        where = f"流程「{name}」"

        def fail_in(message: str, where=where) -> SpecError:
            return fail(f"{where}：{message}")

        if not str(name).isidentifier() or name == "project":
            raise fail(f"{where}的名称应为标识符（且不能是 project）")
        if not isinstance(body, dict):
            raise fail_in("应为包含 subject、initial、states 和 transitions 的映射")
        unknown = set(body) - _WORKFLOW_KEYS
        if unknown:
            raise fail_in(f"含未知的键：{'、'.join(sorted(map(str, unknown)))}（时限、会签、"
                          "提醒只用于项目流程）")  # fmt: skip
        subject = body.get("subject")
        if subject not in names.subjects:
            listed = "、".join(sorted(names.subjects)) or "无"
            raise fail_in(f"subject「{subject}」不是已登记的办理对象（可用：{listed}）")
        if any(w.subject == subject for w in found.values()):
            raise fail_in(f"办理对象「{subject}」已有流程，每个对象只能声明一个")
        found[str(name)] = _parse_workflow(body, roles, names.subjects[subject], fail_in,
                                           "", subject=subject)  # fmt: skip
    return found


def _parse_reminders(raw: Any, fail) -> ReminderPolicy:
    if not isinstance(raw, dict):
        raise fail("reminders 应为映射")
    known = set(ReminderPolicy.__dataclass_fields__)
    unknown = set(raw) - known
    if unknown:
        raise fail(f"reminders 含未知的键：{'、'.join(sorted(unknown))}")
    values = dict(raw)
    if "before_days" in values:
        values["before_days"] = tuple(values["before_days"])
    try:
        policy = ReminderPolicy(**values)
        hour, minute = (int(x) for x in policy.send_time.split(":"))
        assert 0 <= hour < 24 and 0 <= minute < 60
        assert all(isinstance(n, int) and n > 0 for n in policy.before_days)
        positive = ("overdue_every_days", "overdue_then_every_months", "escalate_after_days",
                    "upcoming_days")  # fmt: skip
        assert all(isinstance(getattr(policy, k), int) and getattr(policy, k) > 0 for k in positive)
        assert isinstance(policy.overdue_weekly_for_months, int)
        assert policy.overdue_weekly_for_months >= 0
        # a day every year has (2月29日 would not be)
        dt.date(2001, policy.evaluation_deadline_month, policy.evaluation_deadline_day)
    except (TypeError, ValueError, AssertionError) as exc:
        raise fail(f"reminders 设置无效（{exc or '超出范围'}）") from exc
    return policy


def _parse_roles(raw: Any, fail) -> dict[str, str]:
    if not isinstance(raw, dict) or not raw:
        raise fail("roles 应把每个角色名映射到其中文名称")
    for name, label in raw.items():
        if not isinstance(label, str) or not label.strip():
            raise fail(f"角色「{name}」缺少中文名称")
    return {str(k): str(v) for k, v in raw.items()}


def _names(value: Any, where: str, key: str, known: frozenset[str], what: str, fail) -> tuple:
    """A list of registered names under `key`; an unknown one is named with the known ones."""
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise fail(f"{where}的 {key} 应为名称列表")
    for name in value:
        if name not in known:
            listed = "、".join(sorted(known)) or "无"
            raise fail(f"{where}引用了未知的{what}「{name}」（可用：{listed}）")
    return tuple(value)


def _parse_states(raw: Any, names: HookNames, fail, *, allowed=_STATE_KEYS) -> dict[str, StateSpec]:
    if not isinstance(raw, dict) or not raw:
        raise fail("states 应把每个状态名映射到其设置")
    states = {}
    for name, body in raw.items():
        if not isinstance(body, dict) or not str(body.get("label") or "").strip():
            raise fail(f"状态「{name}」缺少 label（中文名称）")
        unknown = set(body) - allowed
        if unknown:
            raise fail(f"状态「{name}」含未知的键：{'、'.join(sorted(unknown))}")
        where = f"状态「{name}」"
        on_enter = _names(body.get("on_enter"), where, "on_enter", names.effects, "效果", fail)
        sla = body.get("sla")
        escalate = _names(body.get("escalate_to"), where, "escalate_to", names.recipients,
                          "通知对象", fail)  # fmt: skip
        days = None
        if sla is not None:
            days = sla.get("days") if isinstance(sla, dict) and set(sla) == {"days"} else None
            if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 365:
                raise fail(f"{where}的 sla 应为 {{days: N}}，N 为 1–365 个工作日")
        if escalate and days is None:
            raise fail(f"{where}写了 escalate_to 但没有 sla（时限）")
        flags = {k: v for k, v in body.items() if k not in ("on_enter", "sla", "escalate_to")}
        wrong = [k for k, v in flags.items() if k != "label" and not isinstance(v, bool)]
        if wrong:
            raise fail(f"{where}的 {wrong[0]} 应为 true 或 false")
        states[str(name)] = StateSpec(name=str(name), **flags, on_enter=on_enter, sla_days=days,
                                      escalate_to=escalate)  # fmt: skip
    return states


def _parse_transition(i, raw, states, roles, names: HookNames, fail,
                      allowed=_TRANSITION_KEYS) -> TransitionSpec:  # fmt: skip
    if not isinstance(raw, dict):
        raise fail(f"第{i + 1}个转换不是映射")
    trigger = raw.get("trigger")
    where = f"转换「{trigger}」" if trigger else f"第{i + 1}个转换"
    if not trigger or not str(trigger).isidentifier():
        raise fail(f"{where}需要一个有效标识符作为 trigger")
    unknown = set(raw) - allowed
    if unknown:
        raise fail(f"{where}含未知的键：{'、'.join(sorted(unknown))}")
    sources = raw.get("source")
    sources = tuple(sources) if isinstance(sources, list) else (sources,)
    for state in (*sources, raw.get("dest")):
        if state not in states:
            raise fail(f"{where}引用了未知的状态「{state}」")
    if not str(raw.get("label") or "").strip():
        raise fail(f"{where}缺少 label（按钮与办理记录中的中文名称）")
    t_roles = raw.get("roles") or []
    if not t_roles:
        raise fail(f"{where}未指定可办理的角色（roles）")
    for role in t_roles:
        if role not in roles:
            raise fail(f"{where}引用了未知的角色「{role}」")
    todo = raw.get("todo", True)
    if not isinstance(todo, bool) and todo != "after_project_year":
        raise fail(f"{where}的 todo 应为 true、false 或 after_project_year")
    approvals = _parse_approvals(raw.get("approvals"), where, frozenset(t_roles), roles, fail)
    return TransitionSpec(
        trigger=str(trigger),
        sources=sources,
        dest=raw["dest"],
        label=str(raw["label"]),
        roles=frozenset(t_roles),
        guards=_names(raw.get("guards"), where, "guards", names.guards, "校验", fail),
        comment_required=bool(raw.get("comment_required", False)),
        submission=bool(raw.get("submission", False)),
        effects=_names(raw.get("effects"), where, "effects", names.effects, "效果", fail),
        notify=_names(raw.get("notify"), where, "notify", names.recipients, "通知对象", fail),
        todo=TODO_WHEN[todo],
        approvals=approvals,
    )


def _parse_approvals(raw, where, t_roles, roles, fail) -> ApprovalRule | None:
    """`approvals: {count: 2, roles: [reviewer]}` or `{all_of: [reviewer, unit_head]}`, with an
    optional `when: {amount_at_least: 500}`."""
    if raw is None:
        return None
    where = f"{where}的 approvals"
    if not isinstance(raw, dict):
        raise fail(f"{where}应为映射，如 {{count: 2, roles: [reviewer]}}")
    unknown = set(raw) - _APPROVAL_KEYS
    if unknown:
        raise fail(f"{where}含未知的键：{'、'.join(sorted(unknown))}")
    if ("all_of" in raw) == ("count" in raw):
        raise fail(f"{where}应写 count（几人同意）或 all_of（每个角色各一人），二者选一")
    named = raw.get("all_of") if "all_of" in raw else raw.get("roles", sorted(t_roles))
    if not isinstance(named, list) or not named or not all(isinstance(r, str) for r in named):
        raise fail(f"{where}的角色应为角色名列表")
    for role in named:
        if role not in roles:
            raise fail(f"{where}引用了未知的角色「{role}」")
        if role not in t_roles:
            raise fail(f"{where}的角色「{role}」不在该转换的 roles 中，无法办理")
    when = _parse_when(raw.get("when"), where, fail)
    if "all_of" in raw:
        if len(set(named)) != len(named):
            raise fail(f"{where}的 all_of 中角色重复；需同一角色多人同意时请用 count")
        return ApprovalRule(all_of=tuple(named), when=when)
    count = raw["count"]
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= 20:
        raise fail(f"{where}的 count 应为 1–20 的整数")
    return ApprovalRule(count=count, roles=frozenset(named), when=when)


def _parse_when(raw, where, fail) -> tuple[tuple[str, Decimal], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict) or not raw:
        raise fail(f"{where}的 when 应为映射，如 {{amount_at_least: 500}}")
    conditions = []
    for name, value in raw.items():
        if name not in APPROVAL_CONDITIONS:
            listed = "、".join(APPROVAL_CONDITIONS)
            raise fail(f"{where}的 when 引用了未知的条件「{name}」（可用：{listed}）")
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise fail(f"{where}的 when.{name} 应为不小于 0 的数（万元）")
        conditions.append((name, Decimal(str(value))))
    return tuple(conditions)


def _index_triggers(transitions, fail) -> dict[str, TransitionSpec]:
    by_trigger: dict[str, TransitionSpec] = {}
    for t in transitions:
        if t.trigger in by_trigger:
            # One trigger, one row: a second row from the same or another source would make the
            # label, roles and guards ambiguous. Use a list of sources instead.
            raise fail(f"转换「{t.trigger}」重复声明：请只声明一次，用列表写出多个来源状态")
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
        raise fail(f"从初始状态「{initial}」无法到达：{'、'.join(unreachable)}")
