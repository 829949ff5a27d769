"""The 绩效自评表 as one record for every way it is shown (the project page, the print view and
its PDF, the XLSX, the dossier PDF): the figures the checks compute, the score sheet the rules
give, and 待核实事项, every point a 财政审核人 must verify. Nothing is computed here that the
evaluation package computes.

Flags name the 绩效指标 row as the form numbers it (「第3行「隐患推送率」…」), and one cause is one
flag: a total that differs from the claimed total only by the rows already flagged is not
flagged again."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, lazyload

from workflow.declaration.models import DECLARATION_TEXTS, Declaration
from workflow.evaluation.checks import BudgetFigures, budget_figures, budget_flags
from workflow.evaluation.models import EVALUATION_FIELDS, EvaluationFundItem, SelfEvaluation
from workflow.evaluation.operations import (
    EvaluationScore,
    fund_items_of,
    indicators_of,
    score_sheet,
)
from workflow.evaluation.scoring import CLAIM_TOLERANCE, IndicatorScore, ScoreSheet, display
from workflow.projects.models import Project

#: 项目概况, 项目总目标, 年度绩效目标: copied into the 自评表 from the approved declaration.
GOAL_FIELDS = ("summary", "overall_goal", "annual_goal")

FLAG_KINDS = {
    "budget": "资金数据不一致",
    "score": "规则得分与自评分不一致",
    "missing": "未填实际完成值",
    "judge": "需审核人判定",
    "total": "合计得分与自评总分不一致",
    "monitoring": "与运行监控不一致",
}


@dataclass(frozen=True)
class FundRow:
    """项目资金构成: a 子项目, its amount in the approved declaration and its 实际金额."""

    name: str
    approved: Decimal | None
    actual: Decimal | None


@dataclass(frozen=True)
class Flag:
    """One 待核实事项. `explained` is None where the form asks for no explanation (a differing
    claim); `explanation` is what the unit wrote, if anything."""

    kind: str
    message: str
    explained: bool | None = None
    explanation: str = ""

    @property
    def kind_label(self) -> str:
        return FLAG_KINDS[self.kind]


@dataclass(frozen=True)
class Subtotal:
    category: str
    weight: Decimal
    score: Decimal
    claimed: Decimal | None  # None unless every indicator of the category carries a claim


@dataclass(frozen=True)
class NumberedRow:
    """A row of the 绩效指标 table: its number on the form (None for a row the template adds,
    such as the national 预算执行率) and its score."""

    number: int | None
    score: IndicatorScore


@dataclass(frozen=True)
class CategoryRun:
    """Consecutive rows of one category, as the paper form groups them (类别 spans its rows)."""

    category: str
    weight: Decimal
    rows: list[NumberedRow]


@dataclass(frozen=True)
class Monitored:
    """What the latest 绩效运行监控 sent to finance said of the project (workflow/monitoring/):
    its round, the budget's figures, the project's light, and the rows it flagged."""

    round_name: str
    cutoff: object
    light: str | None
    budget: Decimal | None
    executed: Decimal | None
    forecast: Decimal | None
    rows: list  # MonitoringIndicator: every row, with its light, forecast and explanation

    @property
    def flagged(self) -> list:
        return [r for r in self.rows if r.light in ("red", "yellow")]


@dataclass(frozen=True)
class EvaluationReport:
    project: Project
    evaluation: SelfEvaluation
    goals: list[tuple[str, str]]  # (label, text) of 项目概况, 项目总目标, 年度绩效目标
    figures: BudgetFigures
    fund_rows: list[FundRow]
    approved_total: Decimal
    sheet: EvaluationScore
    subtotals: list[Subtotal]
    flags: list[Flag]
    indicator_count: int  # the first rows of the sheet are the form's 绩效指标, in order
    monitored: Monitored | None = None  # the latest monitoring finance received, if any

    @property
    def filled(self) -> bool:
        """Whether any 实际完成值 is typed: until then there is no score to show."""
        return self.sheet.filled

    @property
    def numbered_rows(self) -> list[NumberedRow]:
        """Every row of the sheet; the indicators numbered 1… as on the form."""
        count = self.indicator_count
        return [NumberedRow(n + 1 if n < count else None, r) for n, r in enumerate(self.sheet.rows)]

    @property
    def runs(self) -> list[CategoryRun]:
        """The rows in their order, in runs of one category (the paper form's 类别 column)."""
        runs: list[CategoryRun] = []
        for row in self.numbered_rows:
            if runs and runs[-1].category == row.score.category:
                runs[-1].rows.append(row)
            else:
                runs.append(CategoryRun(row.score.category, Decimal(0), [row]))
        return [
            CategoryRun(r.category, sum((x.score.weight for x in r.rows), Decimal(0)), r.rows)
            for r in runs
        ]

    @property
    def narrative(self) -> list[tuple[str, str]]:
        """项目实施情况 … 进一步加强项目管理的建议, as (label, text)."""
        return [(f.label, getattr(self.evaluation, f.name) or "") for f in EVALUATION_FIELDS]


_GOALS_AND_FUNDS = (
    lazyload(Declaration.people), lazyload(Declaration.fund_sources),
    lazyload(Declaration.indicators),
)  # fmt: skip


def evaluation_report(session: Session, project: Project) -> EvaluationReport | None:
    """The project's 自评表 with its figures, scores and flags; None before evaluation begins."""
    evaluation = session.get(SelfEvaluation, project.id)
    if evaluation is None:
        return None
    # The report reads the goals and the 资金构成 of the declaration, not its people, sources
    # and indicators (the 申报表 section loads those when it is shown).
    declaration = session.get(Declaration, project.id, options=_GOALS_AND_FUNDS)
    items = fund_items_of(session, project)
    indicators = indicators_of(session, project)
    sheet = score_sheet(session, project, indicators)
    count = len(indicators)
    rows = sheet.rows[:count]
    fund_rows = _fund_rows(declaration, items)
    labels = {f.name: f.label for f in DECLARATION_TEXTS}
    monitored = _monitored(session, project)
    return EvaluationReport(
        project=project,
        evaluation=evaluation,
        goals=[(labels[name], getattr(declaration, name) or "") for name in GOAL_FIELDS],
        figures=budget_figures(evaluation, items),
        fund_rows=fund_rows,
        approved_total=sum((r.approved for r in fund_rows if r.approved is not None), Decimal(0)),
        sheet=sheet,
        subtotals=_subtotals(sheet),
        flags=_budget_flags(evaluation, items)
        + _score_flags(rows)
        + _total_flags(sheet, rows)
        + _monitoring_flags(monitored, rows),
        indicator_count=count,
        monitored=monitored,
    )


def _fund_rows(declaration: Declaration, items: list[EvaluationFundItem]) -> list[FundRow]:
    # The yardstick keeps each 子项目's approved amount (as adjusted since, 绩效目标调整); rows
    # frozen before it kept amounts take the declaration's by name; a name that no longer
    # matches (the declaration was changed after approval) shows no amount rather than a wrong one.
    approved: dict[str, Decimal | None] = {}
    for item in declaration.fund_items:
        approved.setdefault(item.name, item.amount)
    return [FundRow(i.name, i.planned if i.planned is not None else approved.get(i.name),
                    i.actual) for i in items]  # fmt: skip


def _monitored(session: Session, project: Project) -> Monitored | None:
    """The latest 监控表 of the project that reached finance (a state its workflow marks
    finance_visible), with its rows: two statements."""
    from workflow.lifecycle.machine import get_lifecycle
    from workflow.monitoring.models import MonitoringReport, MonitoringRound

    flow = get_lifecycle().spec.workflows.get("monitoring")
    if flow is None:
        return None
    sent = [name for name, s in flow.states.items() if s.finance_visible]
    report = session.scalar(
        select(MonitoringReport).join(MonitoringRound)
        .where(MonitoringReport.project_id == project.id, MonitoringReport.state.in_(sent))
        .order_by(MonitoringRound.cutoff.desc(), MonitoringReport.id.desc()).limit(1)
    )  # fmt: skip
    if report is None:
        return None
    return Monitored(report.round.name, report.round.cutoff, report.light, report.budget,
                     report.executed, report.forecast, list(report.rows))  # fmt: skip


def _percent(value: Decimal) -> str:
    """「25%」「98.5%」: two places at most, no trailing zeros."""
    return f"{value.quantize(Decimal('0.01')).normalize():f}%"


def _monitoring_flags(monitored: Monitored | None, rows: list[IndicatorScore]) -> list[Flag]:
    """Where the self-evaluation contradicts what the unit told finance mid-year: an indicator
    it then called out of reach (red, or 完全不可能) now reported as met; one it then forecast
    as met (green or blue, 确定能) now reported far short. Rows are matched by category and
    name, as an adjustment may have moved them."""
    if monitored is None:
        return []
    then = {(r.category, r.name): r for r in monitored.rows}
    flags = []
    for n, r in enumerate(rows, start=1):
        said = then.get((r.input.category, r.input.name))
        if said is None or r.completion is None or not (r.input.actual or "").strip():
            continue
        name = f"第{n}行「{r.input.name}」"
        hopeless = said.light == "red" or said.likelihood == "完全不可能"
        assured = said.light in ("green", "blue") and said.likelihood == "确定能"
        if not ((hopeless and r.completion >= 100) or (assured and r.completion < 60)):
            continue
        forecast, likelihood = said.forecast or "—", said.likelihood or "未选"
        message = (f"{name}：「{monitored.round_name}」填报的全年预计完成值为“{forecast}”，"
                   f"完成目标可能性“{likelihood}”；自评实际完成值“{r.input.actual}”，"
                   f"完成率 {_percent(r.completion)}")  # fmt: skip
        explanation = (r.input.explanation or "").strip()
        flags.append(Flag("monitoring", message, bool(explanation), explanation))
    return flags


def _subtotals(sheet: ScoreSheet) -> list[Subtotal]:
    out = []
    for category, score in sheet.subtotals.items():
        rows = [r for r in sheet.rows if r.scored and r.category == category]
        claims = [r.claimed for r in rows]
        claimed = sum(claims, Decimal(0)) if claims and None not in claims else None
        weight = sum((r.weight for r in rows), Decimal(0))
        out.append(Subtotal(category, weight, score, claimed))
    return out


def _budget_flags(evaluation: SelfEvaluation, items: list[EvaluationFundItem]) -> list[Flag]:
    notes = (evaluation.budget_notes or "").strip()
    return [Flag("budget", p.message, bool(notes), notes) for p in budget_flags(evaluation, items)]


def _score_flags(rows: list[IndicatorScore]) -> list[Flag]:
    flags = []
    for n, r in enumerate(rows, start=1):
        name, explanation = f"第{n}行「{r.input.name}」", (r.input.explanation or "").strip()
        if r.differs:
            message = (
                f"{name}规则得分 {display(r.score)}，单位自评分 {display(r.claimed)}（{r.reason}）"
            )
            flags.append(Flag("score", message, None, explanation))
        if not (r.input.actual or "").strip():
            message = f"{name}未填写实际完成值（目标值 {r.input.target}）"
            flags.append(Flag("missing", message, bool(explanation), explanation))
        elif r.needs_judgement:
            # Most reasons quote the actual themselves; say it once.
            shown = "" if "实际" in r.reason else f"实际“{r.input.actual}”："
            flags.append(Flag("judge", f"{name}{shown}{r.reason}", None, explanation))
    return flags


def _total_flags(sheet: ScoreSheet, rows: list[IndicatorScore]) -> list[Flag]:
    """The totals differ for a reason of their own: not only by the rows flagged above (a
    claimed 4 for a rule's 3 makes the claimed total one more; that is one cause, one flag)."""
    claimed = sheet.claimed_total
    if claimed is None:
        return []
    flagged = sum(((r.claimed or 0) - r.score for r in rows if r.differs), Decimal(0))
    if abs(claimed - sheet.total - flagged) <= CLAIM_TOLERANCE:
        return []
    message = f"规则合计 {display(sheet.total)} 分，单位自评合计 {display(claimed)} 分"
    return [Flag("total", message)]
