"""里程碑: the confirmed milestones of a project's 项目实施计划, planned and actual."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from sqlalchemy import Date, ForeignKey, Index, Integer, String, event, inspect, select
from sqlalchemy import text as sql
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from workflow.db import Base, Money, Percent
from workflow.text import CELL_MAX, COMMENT_MAX, NARRATIVE_MAX
from workflow.workdays import add_workdays

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
        # what is still open, by deadline: the 工作台's 已逾期 / 即将到期, the reminder run
        Index("ix_milestones_deadline_open", "deadline", sqlite_where=sql("actual_date IS NULL"),
              postgresql_where=sql("actual_date IS NULL")),
        # the releases counted from a milestone (and the foreign key's lookups on delete)
        Index("ix_milestones_anchor_id", "anchor_id"),
    )  # fmt: skip

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(24))
    title: Mapped[str] = mapped_column(String(CELL_MAX), default="")
    planned_start: Mapped[dt.date | None] = mapped_column(Date)
    due: Mapped[dt.date | None] = mapped_column(Date)
    anchor_id: Mapped[int | None] = mapped_column(ForeignKey("milestones.id"))
    offset_years: Mapped[int] = mapped_column(Integer, default=0)
    offset_months: Mapped[int] = mapped_column(Integer, default=0)
    offset_days: Mapped[int] = mapped_column(Integer, default=0)
    # working days after the years/months/days (「验收合格后10个工作日内」), on China's calendar
    offset_workdays: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    percentage: Mapped[Decimal | None] = mapped_column(Percent)
    amount: Mapped[Decimal | None] = mapped_column(Money)
    actual_date: Mapped[dt.date | None] = mapped_column(Date)
    paid_amount: Mapped[Decimal | None] = mapped_column(Money)
    note: Mapped[str] = mapped_column(String(COMMENT_MAX), default="")
    source: Mapped[str] = mapped_column(String(NARRATIVE_MAX), default="")  # its plan sentence
    # effective_due() as stored, so that what falls due can be found on an index: the own due,
    # or the anchor's actual date plus the offset; NULL while unknown. Kept by `_keep_deadlines`
    # whenever a milestone or its anchor's actual date is written through the ORM.
    deadline: Mapped[dt.date | None] = mapped_column(Date)

    anchor: Mapped[Milestone | None] = relationship(remote_side=[id], lazy="joined")

    @property
    def is_relative(self) -> bool:
        return self.anchor_id is not None

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def offset_label(self) -> str:
        parts = [(self.offset_years, "年"), (self.offset_months, "个月"), (self.offset_days, "天"),
                 (self.offset_workdays, "个工作日")]  # fmt: skip
        return "".join(f"{n}{unit}" for n, unit in parts if n) or "当日"

    def effective_due(self) -> dt.date | None:
        """The date it is due: its own, or its anchor's actual date plus the offset (None
        while the anchor has not happened)."""
        if not self.is_relative and self.anchor is None:  # (an unsaved row has no anchor_id)
            return self.due
        if self.anchor is None or self.anchor.actual_date is None:
            return None
        offset = relativedelta(  # an unsaved row's offsets may not have their defaults yet
            years=self.offset_years or 0, months=self.offset_months or 0, days=self.offset_days or 0
        )
        try:
            return add_workdays(self.anchor.actual_date + offset, self.offset_workdays or 0)
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


@event.listens_for(Session, "before_flush")
def _keep_deadlines(session: Session, _context, _instances) -> None:
    """Store each written milestone's effective due, and that of every milestone counted from
    one whose actual date changed (a 质保金 release becomes concrete when 终验 is recorded)."""
    written = [o for o in (*session.new, *session.dirty) if isinstance(o, Milestone)]
    for milestone in written:
        if milestone.anchor_id is not None and milestone.anchor is None:
            milestone.anchor = session.get(Milestone, milestone.anchor_id)
        milestone.deadline = milestone.effective_due()
    recorded = [m.id for m in written if m.id is not None and _actual_date_changed(m)]
    if recorded:
        counted = select(Milestone).where(Milestone.anchor_id.in_(recorded))
        for milestone in session.scalars(counted):
            milestone.deadline = milestone.effective_due()


def _actual_date_changed(milestone: Milestone) -> bool:
    return inspect(milestone).attrs.actual_date.history.has_changes()
