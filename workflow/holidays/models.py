"""节假日安排 as the 系统管理员 entered it: one row per day that is not what its weekday says, and
one row per year with its counts and a stamp that changes with every edit."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.db import Base, UTCDateTime
from workflow.org.models import User

HOLIDAY, WORKDAY = "holiday", "workday"
KIND_LABELS = {HOLIDAY: "放假", WORKDAY: "调休上班"}
NAME_MAX = 32  # 「国庆节、中秋节」 and the like


class CalendarDay(Base):
    """One 放假 day (`holiday`) or 调休上班 day (`workday`) of a year chinese-calendar does not
    know: 春节 2027-02-08, say. Days absent from the table are what their weekday says."""

    __tablename__ = "calendar_days"
    __table_args__ = (
        CheckConstraint("kind IN ('holiday', 'workday')", name="kind"),
        Index("ix_calendar_days_entered_by_id", "entered_by_id"),  # a foreign key
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # unique: its index also serves a year's days, by date (BETWEEN 1月1日 AND 12月31日)
    day: Mapped[dt.date] = mapped_column(Date, unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    entered_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    entered_by: Mapped[User | None] = relationship()

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


class CalendarYear(Base):
    """A year the admin has entered days for: how many of each, and a `stamp` replaced on every
    change, which each process compares with the copy it holds (workdays.EnteredYear). The
    row stays when its last day is removed, so that the change is seen too."""

    __tablename__ = "calendar_years"
    __table_args__ = (Index("ix_calendar_years_updated_by_id", "updated_by_id"),)

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    stamp: Mapped[str] = mapped_column(String(32))
    holidays: Mapped[int] = mapped_column(Integer)
    workdays: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    updated_by: Mapped[User | None] = relationship()
