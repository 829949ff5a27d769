"""绩效目标申报表: a minimal declaration; the full form (资金构成, 资金来源, 分解目标) is next."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.db import Base
from workflow.projects.models import Project


@dataclass(frozen=True)
class TextField:
    """A text field of a form: attribute, Chinese label, whether it must be filled."""

    name: str
    label: str
    required: bool = True
    multiline: bool = False


DECLARATION_FIELDS: tuple[TextField, ...] = (
    TextField("leaders", "项目负责人"),
    TextField("contacts", "联系人"),
    TextField("phones", "联系电话"),
    TextField("summary", "项目概况", multiline=True),
    TextField("implementation_plan", "项目实施计划", multiline=True),
    TextField("overall_goal", "项目总目标", multiline=True),
    TextField("annual_goal", "年度绩效目标", multiline=True),
    TextField("other_notes", "需要说明的其它问题", required=False, multiline=True),
)


class Declaration(Base):
    """The declaration form of one project (1:1)."""

    __tablename__ = "declarations"

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), primary_key=True)
    leaders: Mapped[str] = mapped_column(Text, default="")
    contacts: Mapped[str] = mapped_column(Text, default="")
    phones: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    implementation_plan: Mapped[str] = mapped_column(Text, default="")
    overall_goal: Mapped[str] = mapped_column(Text, default="")
    annual_goal: Mapped[str] = mapped_column(Text, default="")
    other_notes: Mapped[str] = mapped_column(Text, default="")

    project: Mapped[Project] = relationship()
