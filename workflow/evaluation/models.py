"""绩效自评表: the narrative sections and the indicator rows (frozen targets, actual values)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.db import Base, Percent
from workflow.declaration.models import TextField
from workflow.projects.models import Project

EVALUATION_FIELDS: tuple[TextField, ...] = (
    TextField("implementation", "项目实施情况", multiline=True),
    TextField("management_results", "项目管理成效", multiline=True),
    TextField("problems", "项目管理存在的问题及原因", multiline=True),
    TextField("suggestions", "进一步加强项目管理的建议", multiline=True),
)


class SelfEvaluation(Base):
    """The self-evaluation of one project (1:1), created when evaluation begins."""

    __tablename__ = "self_evaluations"

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), primary_key=True)
    implementation: Mapped[str] = mapped_column(Text, default="")
    management_results: Mapped[str] = mapped_column(Text, default="")
    problems: Mapped[str] = mapped_column(Text, default="")
    suggestions: Mapped[str] = mapped_column(Text, default="")

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
    name: Mapped[str] = mapped_column(Text)
    target: Mapped[str] = mapped_column(String(200))
    actual: Mapped[str] = mapped_column(String(200), default="")
    explanation: Mapped[str] = mapped_column(Text, default="")
    claimed: Mapped[Decimal | None] = mapped_column(Percent)  # 自评分, two decimals
