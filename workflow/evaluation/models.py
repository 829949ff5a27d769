"""绩效自评表: the narrative sections and the indicator rows (frozen targets, actual values),
and the admin's rules saying which scoring template scores which projects."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship, synonym

from workflow.db import Base, Money, Percent
from workflow.declaration.models import TextField
from workflow.projects.models import Project
from workflow.scoped_rules import ScopedRule
from workflow.text import CELL_MAX, NARRATIVE_MAX

EVALUATION_FIELDS: tuple[TextField, ...] = (
    TextField("implementation", "项目实施情况", multiline=True),
    TextField("management_results", "项目管理成效", multiline=True),
    TextField("problems", "项目管理存在的问题及原因", multiline=True),
    TextField("suggestions", "进一步加强项目管理的建议", multiline=True),
)


class SelfEvaluation(Base):
    """The self-evaluation of one project (1:1), created when evaluation begins."""

    __tablename__ = "self_evaluations"
    __table_args__ = (Index("ix_self_evaluations_grade", "grade"),)

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), primary_key=True)
    implementation: Mapped[str] = mapped_column(String(NARRATIVE_MAX), default="")
    management_results: Mapped[str] = mapped_column(String(NARRATIVE_MAX), default="")
    problems: Mapped[str] = mapped_column(String(NARRATIVE_MAX), default="")
    suggestions: Mapped[str] = mapped_column(String(NARRATIVE_MAX), default="")
    # 市级预算执行情况 and 市级财政资金使用情况, 万元
    budget_initial: Mapped[Decimal | None] = mapped_column(Money)  # 年初预算数
    budget_adjustment: Mapped[Decimal | None] = mapped_column(Money)  # 上年结余结转及调整预算数
    appropriated: Mapped[Decimal | None] = mapped_column(Money)  # 财政拨款数
    paid: Mapped[Decimal | None] = mapped_column(Money)  # 实际支付数
    carried_over: Mapped[Decimal | None] = mapped_column(Money)  # 结转数
    recovered: Mapped[Decimal | None] = mapped_column(Money)  # 财政收回数
    budget_notes: Mapped[str] = mapped_column(String(NARRATIVE_MAX), default="")  # 差异说明
    # The scoring template (file stem) that scores this evaluation once it is closed; None while
    # the admin's current rules decide (see workflow/evaluation/choice.py).
    scoring_template: Mapped[str | None] = mapped_column(String(64))
    # The score the 自评表 had when its unit signed it and sent it to finance (record_score),
    # rounded as pages show it; None before, and again once it is reopened for editing. The
    # dashboard counts grades from these rather than scoring every project on each request.
    score: Mapped[Decimal | None] = mapped_column(Percent)  # 自评得分 (points, 0.01)
    score_points: Mapped[Decimal | None] = mapped_column(Percent)  # the template's 总分
    grade: Mapped[str | None] = mapped_column(String(16))  # 自评等级

    project: Mapped[Project] = relationship()


class EvaluationIndicator(Base):
    """One row of the 自评表's indicator table. Category, name and target are copied from the
    declaration when finance approves it and never change after (the approved yardstick); the
    unit fills the actual value, an explanation and, if it scores itself, its claimed 自评分."""

    __tablename__ = "evaluation_indicators"
    __table_args__ = (Index("ix_evaluation_indicators_project_id", "project_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    position: Mapped[int] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(CELL_MAX))
    target: Mapped[str] = mapped_column(String(200))
    # The declaration's 方向 choice, copied with the target: "higher", "lower" or "" (自动).
    direction: Mapped[str] = mapped_column(String(8), default="", server_default="")
    actual: Mapped[str] = mapped_column(String(200), default="")
    explanation: Mapped[str] = mapped_column(String(CELL_MAX), default="")
    # 自评分: points out of the row's 权重 (「4」 of 6), as the paper form has it, two decimals;
    # the Percent type only stores them exactly as integer hundredths.
    claimed: Mapped[Decimal | None] = mapped_column(Percent)


#: The budget figures of the 自评表, in the order of the paper form.
BUDGET_FIELDS = (
    ("budget_initial", "年初预算数"),
    ("budget_adjustment", "当年使用上年结余、结转及当年调整预算数"),
    ("appropriated", "财政拨款数"),
    ("paid", "实际支付数"),
    ("carried_over", "结转数"),
    ("recovered", "财政收回数"),
)


class EvaluationFundItem(Base):
    """项目资金构成 of the 自评表: each 子项目 of the approved declaration and its 实际金额."""

    __tablename__ = "evaluation_fund_items"
    __table_args__ = (Index("ix_evaluation_fund_items_project_id", "project_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(CELL_MAX))
    # 预算金额 as approved (and as adjusted since, workflow/adjustment/), 万元
    planned: Mapped[Decimal | None] = mapped_column(Money)
    actual: Mapped[Decimal | None] = mapped_column(Money)  # 实际金额, 万元


class ScoringTemplateChoice(ScopedRule, Base):
    """评分模板规则: the admin's choice of scoring template for one unit, one year, or one unit
    in one year. The most specific rule wins; with none, the default (Suzhou) template scores
    (workflow/scoped_rules.py, workflow/evaluation/choice.py)."""

    __tablename__ = "scoring_template_choices"
    __table_args__ = ScopedRule.constraints(__tablename__)

    template: Mapped[str] = mapped_column(String(64))  # a file stem in evaluation/templates/
    file = synonym("template")  # as workflow/scoped_rules.py names the chosen file
