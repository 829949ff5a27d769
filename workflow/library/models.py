"""The 绩效指标库: indicators with their category, default target, unit, direction, 指标解释 and
目标值来源, the 项目类型 each suits, and which of those types finance requires it for (核心指标)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.db import Base, UTCDateTime
from workflow.text import CELL_MAX

DIRECTIONS = {"": "按目标值判断", "higher": "越高越好", "lower": "越低越好"}


class LibraryIndicator(Base):
    __tablename__ = "library_indicators"
    __table_args__ = (
        UniqueConstraint("category", "name", name="uq_library_indicators_category_name"),
        Index("ix_library_indicators_name", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[str] = mapped_column(String(16))  # 投入 / 产出 / 结果 / 影响力
    name: Mapped[str] = mapped_column(String(200))
    target: Mapped[str] = mapped_column(String(200), default="")  # the usual way to write it
    unit: Mapped[str] = mapped_column(String(32), default="")  # 计量单位: %, 人次, 平方米 …
    direction: Mapped[str] = mapped_column(String(8), default="")  # a key of DIRECTIONS
    explanation: Mapped[str] = mapped_column(String(CELL_MAX), default="")
    evidence: Mapped[str] = mapped_column(String(CELL_MAX), default="")
    source: Mapped[str] = mapped_column(String(100), default="")  # where it came from
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    retired_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # 停用: kept, not offered

    types: Mapped[list[LibraryIndicatorType]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="LibraryIndicatorType.project_type"
    )

    @property
    def project_types(self) -> list[str]:
        return [t.project_type for t in self.types]

    @property
    def core_types(self) -> list[str]:
        return [t.project_type for t in self.types if t.core]


class LibraryIndicatorType(Base):
    """An indicator suits a 项目类型; `core`: finance requires it of that type's declarations."""

    __tablename__ = "library_indicator_types"
    __table_args__ = (
        Index("ix_library_indicator_types_project_type", "project_type", "indicator_id"),
    )

    indicator_id: Mapped[int] = mapped_column(ForeignKey("library_indicators.id"), primary_key=True)
    project_type: Mapped[str] = mapped_column(String(40), primary_key=True)
    core: Mapped[bool] = mapped_column(Boolean, default=False)
