"""里程碑: the confirmed milestones of a project's 项目实施计划, planned and actual."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy import text as sql
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.db import Base, Money, Percent

KIND_LABELS = {
    "phase": "实施阶段",
    "procurement": "招标采购",
    "acceptance": "验收",
    "payment": "付款",
    "warranty_release": "质保金支付",
}


class Milestone(Base):
    """One milestone: a phase (start–due), a dated step, or a due counted from another milestone
    (质保金: 终验 + 3 年) that becomes concrete once the anchor has its actual date."""

    __tablename__ = "milestones"
    __table_args__ = (
        Index("ix_milestones_project_id_position", "project_id", "position"),
        # what is still open, by due date: the 工作台's 已逾期 / 即将到期
        Index("ix_milestones_due_open", "due", sqlite_where=sql("actual_date IS NULL"),
              postgresql_where=sql("actual_date IS NULL")),
    )  # fmt: skip

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(24))
    title: Mapped[str] = mapped_column(Text, default="")
    planned_start: Mapped[dt.date | None] = mapped_column(Date)
    due: Mapped[dt.date | None] = mapped_column(Date)
    anchor_id: Mapped[int | None] = mapped_column(ForeignKey("milestones.id"))
    offset_years: Mapped[int] = mapped_column(Integer, default=0)
    offset_months: Mapped[int] = mapped_column(Integer, default=0)
    offset_days: Mapped[int] = mapped_column(Integer, default=0)
    percentage: Mapped[Decimal | None] = mapped_column(Percent)
    amount: Mapped[Decimal | None] = mapped_column(Money)
    actual_date: Mapped[dt.date | None] = mapped_column(Date)
    paid_amount: Mapped[Decimal | None] = mapped_column(Money)
    note: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")  # the plan sentence it came from

    anchor: Mapped[Milestone | None] = relationship(remote_side=[id], lazy="joined")

    @property
    def is_relative(self) -> bool:
        return self.anchor_id is not None

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def offset_label(self) -> str:
        parts = [(self.offset_years, "年"), (self.offset_months, "个月"), (self.offset_days, "天")]
        return "".join(f"{n}{unit}" for n, unit in parts if n) or "当日"

    def effective_due(self) -> dt.date | None:
        """The date it is due: its own, or its anchor's actual date plus the offset (None
        while the anchor has not happened)."""
        if not self.is_relative:
            return self.due
        if self.anchor is None or self.anchor.actual_date is None:
            return None
        offset = relativedelta(
            years=self.offset_years, months=self.offset_months, days=self.offset_days
        )
        try:
            return self.anchor.actual_date + offset
        except (OverflowError, ValueError):  # past the year 9999: no date anyone can meet
            return None

    def status(self, today: dt.date) -> str:
        """done, waiting (for its anchor), overdue or planned."""
        if self.actual_date is not None:
            return "done"
        due = self.effective_due()
        if due is None:
            return "waiting"
        return "overdue" if due < today else "planned"
