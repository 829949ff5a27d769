"""The self-evaluation: indicators frozen at approval, the narrative and each indicator's actual
value saved as typed, and the score sheet the template's rules give."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.audit import chain
from workflow.declaration.models import Declaration
from workflow.errors import Conflict, NotAllowed
from workflow.evaluation.checks import FUND_ROWS, INDICATOR_ROWS, fund_items_of, indicators_of
from workflow.evaluation.choice import template_for
from workflow.evaluation.form import EvaluationInput, RowWeight, read_evaluation
from workflow.evaluation.models import (
    BUDGET_FIELDS,
    EVALUATION_FIELDS,
    EvaluationFundItem,
    EvaluationIndicator,
    SelfEvaluation,
)
from workflow.evaluation.scoring import (
    IndicatorInput,
    IndicatorScore,
    ScoreSheet,
    claimed_total,
    display,
    not_scored,
    score,
)
from workflow.evaluation.templates import ScoringTemplate
from workflow.lifecycle.history import submitted_before
from workflow.lifecycle.machine import Lifecycle, get_lifecycle
from workflow.lifecycle.spec import LifecycleSpec
from workflow.org import access
from workflow.org.models import User
from workflow.projects.models import Project
from workflow.projects.versioning import bump_version
from workflow.uow import UnitOfWork

__all__ = [
    "EvaluationConflict",
    "EvaluationScore",
    "freeze_approved",
    "fund_items_of",
    "indicators_of",
    "row_weights",
    "save_evaluation",
    "score_sheet",
]


def freeze_approved(session: Session, project: Project) -> None:
    """Copy the approved declaration's indicators and 子项目: later edits of the declaration
    cannot move the yardstick the self-evaluation is measured against."""
    if indicators_of(session, project):
        return
    declaration = session.get(Declaration, project.id)
    for position, item in enumerate(declaration.fund_items):
        session.add(EvaluationFundItem(project_id=project.id, position=position, name=item.name,
                                       planned=item.amount))  # fmt: skip
    for position, i in enumerate(declaration.indicators):
        session.add(
            EvaluationIndicator(
                project_id=project.id,
                position=position,
                category=i.category,
                name=i.name,
                target=i.target,
                direction=i.direction,
            )
        )


@dataclass(frozen=True)
class EvaluationScore(ScoreSheet):
    """A project's score sheet and the template that gave it (file stem and Chinese title).

    `unscored` counts the indicators the template has no place for (a 类别 it neither has nor
    maps): they are listed with 0 and the reason, never dropped, never guessed. Indicators the
    template maps to none (投入 under the national template) are listed unscored by design and
    are not counted here. `filled` says whether any 实际完成值 has been typed."""

    template_key: str
    template_title: str
    form_title: str
    unscored: int
    # False until some 实际完成值 is typed: an empty 自评表 has no grade (`grade` is "") and its
    # total is no score; pages show 「尚未填写，暂无得分」 instead.
    filled: bool = True


def score_sheet(
    session: Session, project: Project, indicators: list[EvaluationIndicator] | None = None
) -> EvaluationScore:
    """The scores the project's template (chosen by the admin's rules, Suzhou by default, kept
    once the project is archived) gives the indicators as saved (`indicators`, when the caller
    has loaded them already)."""
    template = template_for(session, project)
    if indicators is None:
        indicators = indicators_of(session, project)
    rows = [
        IndicatorInput(
            category=i.category,
            name=i.name,
            target=i.target,
            direction=i.direction,
            actual=i.actual,
            explanation=i.explanation,
            claimed=i.claimed,
        )
        for i in indicators
    ]
    known = [r for r in rows if _scorable(template, r)]
    sheet = score(template, known, budget_execution=_budget_execution(session, project))
    scored = iter(sheet.rows[: len(known)])
    merged = [next(scored) if _scorable(template, r) else _unscored(template, r) for r in rows]
    values = {f.name: getattr(sheet, f.name) for f in dataclasses.fields(ScoreSheet)}
    values |= {"rows": merged + sheet.rows[len(known) :], "claimed_total": claimed_total(merged)}
    filled = any((r.actual or "").strip() for r in rows)
    if not filled:
        values["grade"] = ""
    return EvaluationScore(
        **values,
        template_key=template.key,
        template_title=template.label,
        form_title=template.form_title,
        unscored=len(rows) - len(known),
        filled=filled,
    )


def record_score(session: Session, project: Project) -> SelfEvaluation | None:
    """Record on the 自评表 its score, the template's 总分 and the grade, rounded as pages
    show them (None while no 实际完成值 is typed: no grade yet)."""
    evaluation = session.get(SelfEvaluation, project.id)
    if evaluation is None:
        return None
    sheet = score_sheet(session, project)
    if not sheet.filled:
        clear_score(evaluation)
        return evaluation
    evaluation.score = Decimal(display(sheet.total))
    evaluation.score_points = Decimal(display(sheet.points))
    evaluation.grade = sheet.grade[:16]
    return evaluation


def clear_score(evaluation: SelfEvaluation) -> None:
    evaluation.score = evaluation.score_points = evaluation.grade = None


def rescore_signed(session: Session, spec: LifecycleSpec, *, missing_only: bool = False) -> int:
    """Record again the score of every signed 自评表 whose template the rules still choose (the
    closed ones keep theirs), after a rule changed; with `missing_only`, of those signed before
    scores were recorded (`jixiao init-db`). Returns how many were scored."""
    stale = SelfEvaluation.grade.is_(None)
    if not missing_only:
        stale |= SelfEvaluation.scoring_template.is_(None)
    rows = session.execute(
        select(Project)
        .join(SelfEvaluation, SelfEvaluation.project_id == Project.id)
        .where(stale, Project.state.in_(signed_states(spec)))
        .order_by(Project.id)
    ).scalars()
    count = 0
    for project in rows:
        record_score(session, project)
        count += 1
    return count


def signed_states(spec: LifecycleSpec) -> list[str]:
    """The states whose 自评表 the unit has signed: those entered with record_score, and those
    that follow them (归档)."""
    signed = [name for name, state in spec.states.items() if "record_score" in state.on_enter]
    for name in signed:  # and on, through what follows (the list grows as it is read)
        signed += [t.dest for t in spec.transitions_from(name) if t.dest not in signed
                   and not spec.states[t.dest].evaluation_editable]  # fmt: skip
    return signed


def _scorable(template: ScoringTemplate, row: IndicatorInput) -> bool:
    """The template has a place for the row: one of its categories, or none by its maps."""
    return template.placement(row.category, row.name) is not None


def _unscored(template: ScoringTemplate, row: IndicatorInput) -> IndicatorScore:
    reason = f"类别「{row.category}」不属于评分模板「{template.label}」，未计分"
    return not_scored(row, reason)


def _budget_execution(session: Session, project: Project) -> tuple[Decimal, Decimal] | None:
    """(全年执行数, 全年预算数) for templates with a 预算执行率 category: 实际支付数 and
    年初预算数 + 调整预算数 of the 自评表; None while either is missing."""
    evaluation = session.get(SelfEvaluation, project.id)
    if evaluation is None or evaluation.paid is None or evaluation.budget_initial is None:
        return None
    return evaluation.paid, evaluation.budget_initial + (evaluation.budget_adjustment or 0)


class EvaluationConflict(Conflict):
    """The 自评表 was saved by someone else (or in another tab) after this page was opened, and
    what was typed differs from what is saved now: nothing is saved. `differences` are [field,
    saved now, typed], `version` the version saved now, so that saving again, having read
    them, is taken as meant."""

    message = "自评表已被修改，您填写的内容尚未保存"

    def __init__(self, differences: list[list[str]], version: int) -> None:
        super().__init__()
        self.differences, self.version = differences, version


def row_weights(session: Session, project: Project) -> list[RowWeight]:
    """Each 绩效指标 row's 权重 under the project's template (what a 自评分 may claim)."""
    indicators = indicators_of(session, project)
    sheet = score_sheet(session, project, indicators)
    return [RowWeight(r.weight, r.scored) for r in sheet.rows[: len(indicators)]]


def save_evaluation(
    uow: UnitOfWork,
    project: Project,
    data: Mapping[str, Any],
    *,
    actor: User,
    now: dt.datetime,
    expected_version: int | None,
    lifecycle: Lifecycle | None = None,
) -> list[list[str]]:
    """Save the whole 自评表 as typed, or nothing. Every field is read first
    (`form.read_evaluation`): any problem refuses the save with all of them (InvalidInput). A
    page older than what is saved saves nothing either (EvaluationConflict, listing what
    differs; a repeat of what is saved is no conflict). Edits after a submission are audited
    (field, old, new)."""
    lc = lifecycle or get_lifecycle()
    with uow:
        access.require_view(actor, project, lc.spec)
        if not access.can_edit_evaluation(actor, project, lc.spec):
            raise NotAllowed("当前状态下不能修改自评表")
        session = uow.session
        evaluation = session.get(SelfEvaluation, project.id) or _opened(session, project)
        indicators, items = indicators_of(session, project), fund_items_of(session, project)
        weights = row_weights(session, project)
        typed = read_evaluation(data, weights=weights, item_count=len(items))
        changes = _changes(evaluation, indicators, items, typed)
        if expected_version is not None and expected_version != project.version:
            if changes:
                raise EvaluationConflict(changes, project.version)
            return []
        bump_version(session, project, expected_version, updated_at=now)
        _apply(evaluation, indicators, items, typed)
        if changes and submitted_before(session, project, lc.spec, "evaluation_editable"):
            chain.append(
                session,
                now=now,
                actor=actor,
                action="edit_evaluation",
                label="修改自评表",
                project_id=project.id,
                details={"changes": changes},
            )
        uow.commit()
        return changes


def _opened(session: Session, project: Project) -> SelfEvaluation:
    """The 自评表 row, made if evaluation began before it was opened (it holds nothing yet)."""
    evaluation = SelfEvaluation(project_id=project.id)
    session.add(evaluation)
    return evaluation


def _targets(evaluation, indicators, items, typed: EvaluationInput) -> list[tuple]:
    """(object, attribute, label, new value) for every value of the form, in its order."""
    labels = dict(BUDGET_FIELDS)
    out = [(evaluation, key, labels[key], value) for key, value in typed.budget.items()]
    for n, (item, value) in enumerate(zip(items, typed.fund_items, strict=True)):
        out.append((item, "actual", f"{FUND_ROWS}第{n + 1}行「{item.name}」实际金额", value))
    out.append((evaluation, "budget_notes", "差异说明", typed.budget_notes))
    for n, (i, v) in enumerate(zip(indicators, typed.indicators, strict=True)):
        row = f"{INDICATOR_ROWS}第{n + 1}行「{i.name}」"
        out += [(i, "actual", f"{row}实际完成值", v.actual),
                (i, "explanation", f"{row}说明", v.explanation),
                (i, "claimed", f"{row}自评分", v.claimed)]  # fmt: skip
    out += [(evaluation, f.name, f.label, typed.texts[f.name]) for f in EVALUATION_FIELDS]
    return out


def _changes(evaluation, indicators, items, typed: EvaluationInput) -> list[list[str]]:
    """[field, saved, typed] for every value the save would change."""
    changes = []
    for obj, attr, label, new in _targets(evaluation, indicators, items, typed):
        old = getattr(obj, attr)
        if old != new and not (old in (None, "") and new in (None, "")):
            changes.append([label, _shown(old), _shown(new)])
    return changes


def _shown(value) -> str:
    return "" if value is None else str(value)


def _apply(evaluation, indicators, items, typed: EvaluationInput) -> None:
    for obj, attr, _, new in _targets(evaluation, indicators, items, typed):
        if getattr(obj, attr) != new:
            setattr(obj, attr, new)
