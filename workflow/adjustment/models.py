"""绩效目标调整: a unit's proposal to change its approved yardstick during implementation, and the
versions of the yardstick each approved proposal makes.

A proposal (调整申请) lists its changes — an indicator's target, an indicator added or removed, a
子项目's amount — each with its reason; it moves through its own workflow (states.yaml
`workflows: adjustment`): the 填报人 proposes, the 单位负责人 signs, a 财政审核人 approves or
returns.
Nothing changes until it is approved; then the changes are applied to the yardstick (the
自评表's indicators and 子项目, workflow/evaluation/) and a new version of it is kept, so that
every version, and what differs between any two, can be shown. The self-evaluation scores
against the last approved version.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.db import Base, UTCDateTime
from workflow.projects.models import Project
from workflow.text import CELL_MAX

#: What a change does, as the proposal's page names it.
CHANGE_KINDS = {"target": "调整目标值", "add": "新增指标", "remove": "删除指标",
                "amount": "调整子项目金额"}  # fmt: skip


class TargetAdjustment(Base):
    """调整申请: one proposal to change a project's approved yardstick."""

    __tablename__ = "target_adjustments"
    __table_args__ = (
        Index("ix_target_adjustments_project_id_state", "project_id", "state"),
        Index("ix_target_adjustments_state", "state"),
        Index("ix_target_adjustments_created_by_id", "created_by_id"),
        Index("ix_target_adjustments_submitted_by_id", "submitted_by_id"),
        Index("ix_target_adjustments_last_transition_by_id", "last_transition_by_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    state: Mapped[str] = mapped_column(String(32))
    version: Mapped[int] = mapped_column(Integer, default=1)
    reason: Mapped[str] = mapped_column(String(CELL_MAX), default="")  # 调整原因 (overall)
    base_number: Mapped[int] = mapped_column(Integer)  # the yardstick version it changes
    result_number: Mapped[int | None] = mapped_column(Integer)  # the version it made
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    last_transition_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    project: Mapped[Project] = relationship(lazy="joined")
    changes: Mapped[list[AdjustmentChange]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="AdjustmentChange.position"
    )


class AdjustmentChange(Base):
    """One change of a proposal. `row` is the position of the indicator (or 子项目) in the
    version it changes; an added indicator has none. Values are as typed (目标值) or 万元."""

    __tablename__ = "adjustment_changes"
    __table_args__ = (Index("ix_adjustment_changes_adjustment_id", "adjustment_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    adjustment_id: Mapped[int] = mapped_column(ForeignKey("target_adjustments.id"))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))  # see CHANGE_KINDS
    row: Mapped[int | None] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(16), default="")
    name: Mapped[str] = mapped_column(String(CELL_MAX), default="")
    old_value: Mapped[str] = mapped_column(String(200), default="")
    new_value: Mapped[str] = mapped_column(String(200), default="")
    direction: Mapped[str] = mapped_column(String(8), default="")
    reason: Mapped[str] = mapped_column(String(CELL_MAX), default="")

    @property
    def kind_label(self) -> str:
        return CHANGE_KINDS.get(self.kind, self.kind)


class YardstickVersion(Base):
    """One approved version of a project's yardstick: the first as finance approved the
    declaration, then one per approved adjustment. `snapshot` holds its indicators and 子项目
    (JSON), for showing it and comparing any two versions."""

    __tablename__ = "yardstick_versions"
    __table_args__ = (
        UniqueConstraint("project_id", "number", name="uq_yardstick_versions_number"),
        Index("ix_yardstick_versions_adjustment_id", "adjustment_id"),
        Index("ix_yardstick_versions_approved_by_id", "approved_by_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    number: Mapped[int] = mapped_column(Integer)
    adjustment_id: Mapped[int | None] = mapped_column(ForeignKey("target_adjustments.id"))
    snapshot: Mapped[str] = mapped_column(Text)
    approved_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class AdjustmentDeadline(Base):
    """The last day of a year on which its projects' targets may be proposed for adjustment,
    as finance set it (none: while the project is being implemented)."""

    __tablename__ = "adjustment_deadlines"
    __table_args__ = (Index("ix_adjustment_deadlines_set_by_id", "set_by_id"),)

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    deadline: Mapped[dt.date] = mapped_column(Date)
    set_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    set_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
