"""What keeps a self-evaluation from being submitted or signed."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.errors import Problem
from workflow.evaluation.models import (
    BUDGET_FIELDS,
    EvaluationFundItem,
    EvaluationIndicator,
    SelfEvaluation,
)
from workflow.numbers import show_wan
from workflow.projects.models import Project


def indicators_of(session: Session, project: Project) -> list[EvaluationIndicator]:
    query = select(EvaluationIndicator).where(EvaluationIndicator.project_id == project.id)
    return list(session.scalars(query.order_by(EvaluationIndicator.position)))


def indicator_problems(indicators: list[EvaluationIndicator]) -> list[Problem]:
    """Every indicator needs an actual value or an explanation of why there is none."""
    return [
        Problem(f"indicators-{n}-actual", f"指标「{i.name}」未填写实际完成值，也未说明原因")
        for n, i in enumerate(indicators)
        if not i.actual.strip() and not i.explanation.strip()
    ]


def fund_items_of(session: Session, project: Project) -> list[EvaluationFundItem]:
    query = select(EvaluationFundItem).where(EvaluationFundItem.project_id == project.id)
    return list(session.scalars(query.order_by(EvaluationFundItem.position)))


@dataclass(frozen=True)
class BudgetFigures:
    """The 自评表's arithmetic: 指标结余数 = A + B − C; 资金结余结转数 = C − D."""

    unspent_quota: Decimal | None  # 指标结余数
    balance: Decimal | None  # 资金结余、结转数
    items_total: Decimal  # 项目资金构成合计（实际金额）


def budget_figures(evaluation: SelfEvaluation, items: list[EvaluationFundItem]) -> BudgetFigures:
    e = evaluation
    quota = None
    if e.budget_initial is not None and e.appropriated is not None:
        quota = e.budget_initial + (e.budget_adjustment or 0) - e.appropriated
    balance = e.appropriated - e.paid if e.appropriated is not None and e.paid is not None else None
    items_total = sum((i.actual for i in items if i.actual is not None), Decimal(0))
    return BudgetFigures(quota, balance, items_total)


def budget_flags(evaluation: SelfEvaluation, items: list[EvaluationFundItem]) -> list[Problem]:
    """Every place where the figures do not add up; each needs an explanation (差异说明)."""
    e, f = evaluation, budget_figures(evaluation, items)
    flags = []
    settled = (e.carried_over or 0) + (e.recovered or 0)
    if f.balance is not None and f.balance != settled:
        message = (
            f"资金结余结转数 {show_wan(f.balance)} 与结转数加财政收回数 {show_wan(settled)} 不一致"
        )
        flags.append(Problem("carried_over", message))
    if e.paid is not None and items and f.items_total != e.paid:
        message = (
            f"项目资金构成合计 {show_wan(f.items_total)} 与实际支付数 {show_wan(e.paid)} 不一致"
        )
        flags.append(Problem("fund_items", message))
    if f.unspent_quota is not None and f.unspent_quota < 0:
        flags.append(Problem("appropriated", "财政拨款数大于预算数（指标结余数为负）"))
    if f.balance is not None and f.balance < 0:
        flags.append(Problem("paid", "实际支付数大于财政拨款数"))
    return flags


def budget_problems(evaluation: SelfEvaluation, items: list[EvaluationFundItem]) -> list[Problem]:
    """What keeps the budget part from being submitted: missing figures, and flags that carry
    no explanation."""
    missing = [Problem(key, f"「{label}」未填写") for key, label in BUDGET_FIELDS[:4]
               if key != "budget_adjustment" and getattr(evaluation, key) is None]  # fmt: skip
    missing += [Problem(f"fund_items-{n}-actual", f"子项目「{i.name}」未填写实际金额")
                for n, i in enumerate(items) if i.actual is None]  # fmt: skip
    flags = budget_flags(evaluation, items)
    if flags and not evaluation.budget_notes.strip():
        flags = [Problem(p.field, f"{p.message}，请在「差异说明」中说明原因") for p in flags]
    else:
        flags = []
    return missing + flags
