"""What keeps a self-evaluation from being submitted or signed.

Problems point at what the user sees: the 自评表 numbers the rows of its 项目资金构成 and
绩效指标 tables, and a message names the row numbers shown there (「绩效指标第3行」). One cause is
one message: it names every row it touches, and each of those rows' fields carries the same
message, so a list shows it once (`one_per_cause`) and the form shows it beside every field."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.errors import Problem
from workflow.evaluation.models import (
    BUDGET_FIELDS,
    EVALUATION_FIELDS,
    EvaluationFundItem,
    EvaluationIndicator,
    SelfEvaluation,
)
from workflow.numbers import show_wan
from workflow.projects.models import Project
from workflow.text import rows_label

INDICATOR_ROWS = "绩效指标"  # the 自评表's tables, as their headings name them
FUND_ROWS = "资金构成"


@dataclass(frozen=True)
class RowFault:
    """One row's share of a cause: `row` is 0-based, `field` the input it marks, `cause` a key
    (faults with one key are one message), `many` the message with {rows} for the row numbers,
    `one` a fuller message (naming the row's own figures) used when the cause touches one row."""

    row: int
    field: str
    cause: str
    many: str
    one: str = ""


def grouped(faults: Sequence[RowFault]) -> list[Problem]:
    """A problem on each fault's field; a cause touching several rows says so in one message."""
    rows_of: dict[str, list[int]] = {}
    for f in faults:
        rows_of.setdefault(f.cause, []).append(f.row + 1)
    problems = []
    for f in faults:
        rows = rows_of[f.cause]
        text = f.one if f.one and len(rows) == 1 else f.many
        problems.append(Problem(f.field, text.replace("{rows}", rows_label(rows), 1)))
    return problems


def one_per_cause(problems: Iterable[Problem]) -> list[Problem]:
    """Each message once, in order: the list a summary shows."""
    seen: set[str] = set()
    kept = []
    for p in problems:
        if p.message not in seen:
            seen.add(p.message)
            kept.append(p)
    return kept


def indicators_of(session: Session, project: Project) -> list[EvaluationIndicator]:
    query = select(EvaluationIndicator).where(EvaluationIndicator.project_id == project.id)
    return list(session.scalars(query.order_by(EvaluationIndicator.position)))


def indicator_problems(indicators: list[EvaluationIndicator]) -> list[Problem]:
    """Every indicator needs an actual value or an explanation of why there is none."""
    message = f"{INDICATOR_ROWS}{{rows}}未填写实际完成值，也未说明原因"
    return grouped([
        RowFault(n, f"indicators-{n}-actual", "missing", message)
        for n, i in enumerate(indicators)
        if not i.actual.strip() and not i.explanation.strip()
    ])  # fmt: skip


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
    # A negative balance (paid more than appropriated) is reported once, below: 结转数 and
    # 财政收回数 cannot be negative, so their sum differs from it for the same cause.
    if f.balance is not None and f.balance >= 0 and f.balance != settled:
        message = (
            f"资金结余结转数 {show_wan(f.balance)} 与结转数加财政收回数 {show_wan(settled)} 不一致"
        )
        flags.append(Problem("carried_over", message))
    # While a 子项目 has no amount, that is the cause to report (budget_problems), not the sum.
    complete = all(i.actual is not None for i in items)
    if e.paid is not None and items and complete and f.items_total != e.paid:
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
    no explanation (one cause, the missing 差异说明, so one message listing them)."""
    missing = [Problem(key, f"「{label}」未填写") for key, label in BUDGET_FIELDS[:4]
               if key != "budget_adjustment" and getattr(evaluation, key) is None]  # fmt: skip
    missing += grouped([
        RowFault(n, f"fund_items-{n}-actual", "amount", f"{FUND_ROWS}{{rows}}未填写实际金额")
        for n, i in enumerate(items) if i.actual is None
    ])  # fmt: skip
    flags = budget_flags(evaluation, items)
    if not flags or (evaluation.budget_notes or "").strip():
        return missing
    listed = "；".join(p.message for p in flags)
    return [*missing, Problem("budget_notes", f"{listed}，请在「差异说明」中说明原因")]


def narrative_problems(evaluation: SelfEvaluation) -> list[Problem]:
    """项目实施情况 … 进一步加强项目管理的建议 must be written."""
    return [
        Problem(f.name, f"「{f.label}」未填写")
        for f in EVALUATION_FIELDS
        if f.required and not (getattr(evaluation, f.name, "") or "").strip()
    ]


def submission_problems(
    evaluation: SelfEvaluation | None,
    indicators: list[EvaluationIndicator],
    items: list[EvaluationFundItem],
) -> list[Problem]:
    """Everything that keeps the 自评表 from being submitted (the 提交自评 guard), in the order of
    the form: the budget, 资金构成 and 差异说明, the 绩效指标, the narrative."""
    if evaluation is None:
        return [Problem("evaluation", "尚未填写绩效自评表")]
    return (
        budget_problems(evaluation, items)
        + indicator_problems(indicators)
        + narrative_problems(evaluation)
    )


def submission_problems_of(session: Session, project: Project) -> list[Problem]:
    """`submission_problems` of one project, loaded here."""
    evaluation = session.get(SelfEvaluation, project.id)
    return submission_problems(
        evaluation, indicators_of(session, project), fund_items_of(session, project)
    )
