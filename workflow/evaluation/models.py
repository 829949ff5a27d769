"""绩效自评表: a minimal self-evaluation (narrative sections); scoring comes with its own issue."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.db import Base
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
