"""The self-evaluation: indicators frozen at approval, the narrative and each indicator's actual
value saved as typed, and the score sheet the template's rules give."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from workflow.audit import chain
from workflow.declaration.models import Declaration
from workflow.errors import InvalidInput, NotAllowed, Problem
from workflow.evaluation.checks import fund_items_of, indicators_of
from workflow.evaluation.choice import template_for
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
    not_scored,
    score,
)
from workflow.evaluation.templates import ScoringTemplate
from workflow.lifecycle.history import submitted_before
from workflow.lifecycle.machine import Lifecycle, get_lifecycle
from workflow.numbers import NumberError, parse_percent, parse_wan
from workflow.org import access
from workflow.org.models import User
from workflow.projects.models import Project
from workflow.projects.versioning import bump_version
from workflow.text import clean
from workflow.uow import UnitOfWork

__all__ = [
    "EvaluationScore",
    "freeze_approved",
    "fund_items_of",
    "indicators_of",
    "save_evaluation",
    "score_sheet",
]

MAX_TEXT = 100_000


def freeze_approved(session: Session, project: Project) -> None:
    """Copy the approved declaration's indicators and 子项目: later edits of the declaration
    cannot move the yardstick the self-evaluation is measured against."""
    if indicators_of(session, project):
        return
    declaration = session.get(Declaration, project.id)
    for position, item in enumerate(declaration.fund_items):
        session.add(EvaluationFundItem(project_id=project.id, position=position, name=item.name))
    for position, i in enumerate(declaration.indicators):
        session.add(
            EvaluationIndicator(
                project_id=project.id,
                position=position,
                category=i.category,
                name=i.name,
                target=i.target,
            )
        )


@dataclass(frozen=True)
class EvaluationScore(ScoreSheet):
    """A project's score sheet and the template that gave it (file stem and Chinese title).

    `unscored` counts the indicators the template has no place for (a 类别 it neither has nor
    maps): they are listed with 0 and the reason, never dropped, never guessed. Indicators the
    template maps to none (投入 under the national template) are listed unscored by design and
    are not counted here."""

    template_key: str
    template_title: str
    form_title: str
    unscored: int


def score_sheet(session: Session, project: Project) -> EvaluationScore:
    """The scores the project's template (chosen by the admin's rules, Suzhou by default, kept
    once the project is archived) gives the indicators as saved."""
    template = template_for(session, project)
    rows = [
        IndicatorInput(
            category=i.category,
            name=i.name,
            target=i.target,
            actual=i.actual,
            explanation=i.explanation,
            claimed=i.claimed,
        )
        for i in indicators_of(session, project)
    ]
    known = [r for r in rows if _scorable(template, r)]
    sheet = score(template, known, budget_execution=_budget_execution(session, project))
    scored = iter(sheet.rows[: len(known)])
    merged = [next(scored) if _scorable(template, r) else _unscored(template, r) for r in rows]
    values = {f.name: getattr(sheet, f.name) for f in dataclasses.fields(ScoreSheet)}
    values |= {"rows": merged + sheet.rows[len(known) :], "claimed_total": claimed_total(merged)}
    return EvaluationScore(
        **values,
        template_key=template.key,
        template_title=template.label,
        form_title=template.form_title,
        unscored=len(rows) - len(known),
    )


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
    """Save the narrative and the indicators' actual values as typed; edits after a submission
    are audited (field, old, new)."""
    lc = lifecycle or get_lifecycle()
    with uow:
        access.require_view(actor, project, lc.spec)
        if not access.can_edit_evaluation(actor, project, lc.spec):
            raise NotAllowed("当前状态下不能修改自评表")
        texts = _texts(data)
        evaluation = uow.session.get(SelfEvaluation, project.id)
        changes = [
            [f.label, getattr(evaluation, f.name) or "", texts[f.name]]
            for f in EVALUATION_FIELDS
            if (getattr(evaluation, f.name) or "") != texts[f.name]
        ]
        indicators = indicators_of(uow.session, project)
        values = _indicator_values(data, indicators)
        items = fund_items_of(uow.session, project)
        figures = _budget_values(data, items)
        bump_version(uow.session, project, expected_version, updated_at=now)
        for name, value in texts.items():
            setattr(evaluation, name, value)
        changes += _apply_indicators(indicators, values)
        changes += _apply_budget(evaluation, items, figures)
        if changes and submitted_before(uow.session, project, lc.spec, "evaluation_editable"):
            chain.append(
                uow.session,
                now=now,
                actor=actor,
                action="edit_evaluation",
                label="修改自评表",
                project_id=project.id,
                details={"changes": changes},
            )
        uow.commit()
        return changes


def _texts(data: Mapping[str, Any]) -> dict[str, str]:
    values, problems = {}, []
    for f in EVALUATION_FIELDS:
        value = clean(data.get(f.name))
        if len(value) > MAX_TEXT:
            problems.append(Problem(f.name, f"「{f.label}」内容过长（不能超过 {MAX_TEXT} 字）"))
        values[f.name] = value
    if problems:
        raise InvalidInput(problems)
    return values


def _indicator_values(data, indicators) -> list[tuple[str, str, Decimal | None]]:
    values, problems = [], []
    for n, i in enumerate(indicators):
        actual = clean(data.get(f"indicators-{n}-actual"))
        explanation = clean(data.get(f"indicators-{n}-explanation"))
        if len(actual) > 200 or len(explanation) > MAX_TEXT:
            problems.append(Problem(f"indicators-{n}-actual", f"指标「{i.name}」的内容过长"))
        try:
            claimed = parse_percent(data.get(f"indicators-{n}-claimed"), f"「{i.name}」自评分")
        except NumberError as exc:
            problems.append(Problem(f"indicators-{n}-claimed", exc.message))
            claimed = None
        values.append((actual, explanation, claimed))
    if problems:
        raise InvalidInput(problems)
    return values


def _budget_values(data, items) -> dict[str, Any]:
    values: dict[str, Any] = {"budget_notes": clean(data.get("budget_notes"))}
    problems = []
    fields = [(key, label) for key, label in BUDGET_FIELDS]
    fields += [
        (f"fund_items-{n}-actual", f"子项目「{i.name}」实际金额") for n, i in enumerate(items)
    ]
    for key, label in fields:
        try:
            values[key] = parse_wan(data.get(key), label)
        except NumberError as exc:
            problems.append(Problem(key, exc.message))
    if len(values["budget_notes"]) > MAX_TEXT:
        problems.append(Problem("budget_notes", "「差异说明」内容过长"))
    if problems:
        raise InvalidInput(problems)
    return values


def _apply_budget(evaluation, items, values) -> list[list[str]]:
    targets = [(evaluation, key, label, values[key]) for key, label in BUDGET_FIELDS]
    targets.append((evaluation, "budget_notes", "差异说明", values["budget_notes"]))
    targets += [(i, "actual", f"子项目「{i.name}」实际金额", values[f"fund_items-{n}-actual"])
                for n, i in enumerate(items)]  # fmt: skip
    changes = []
    for obj, attr, label, new in targets:
        old = getattr(obj, attr)
        if old != new and not (old in (None, "") and new in (None, "")):
            changes.append(
                [label, "" if old is None else str(old), "" if new is None else str(new)]
            )
            setattr(obj, attr, new)
    return changes


def _apply_indicators(indicators, values) -> list[list[str]]:
    changes = []
    for i, (actual, explanation, claimed) in zip(indicators, values, strict=True):
        for label, attr, new in (
            ("实际完成值", "actual", actual),
            ("说明", "explanation", explanation),
            ("自评分", "claimed", claimed),
        ):
            old = getattr(i, attr)
            if old != new and not (old in (None, "") and new in (None, "")):
                changes.append(
                    [
                        f"{i.name}·{label}",
                        "" if old is None else str(old),
                        "" if new is None else str(new),
                    ]
                )
                setattr(i, attr, new)
    return changes
