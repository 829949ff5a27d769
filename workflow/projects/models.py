"""财政支出项目: the project whose state the lifecycle moves."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.db import Base, Money, UTCDateTime
from workflow.org.models import Unit, User


def _must_be_given(context):
    raise ValueError("Project.state_entered_at must be set when a project is created")


class Project(Base):
    """A fiscal-expenditure project of one unit and one year. `state` changes only via `fire`."""

    __tablename__ = "projects"
    __table_args__ = (
        Index("ix_projects_unit_id_state", "unit_id", "state"),
        # the state filter, and the oldest first within it (待我办理)
        Index("ix_projects_state_state_entered_at", "state", "state_entered_at"),
        # the list's sorts, each ending with the id that breaks ties (keyset pages walk them);
        # the year's also serves the year filter
        Index("ix_projects_updated_at_id", "updated_at", "id"),
        Index("ix_projects_amount_id", "amount", "id"),
        Index("ix_projects_year_id", "year", "id"),
        Index("ix_projects_state_entered_at_id", "state_entered_at", "id"),  # 等待最久
        # one state's projects, newest first (the state filter)
        Index("ix_projects_state_updated_at_id", "state", "updated_at", "id"),
        # the self-evaluations still to be handed in, by year (reminders, 工作台)
        Index("ix_projects_state_year", "state", "year"),
        # a unit's latest project (its people prefill a new declaration)
        Index("ix_projects_unit_id_created_at", "unit_id", "created_at"),
        # the foreign keys (PostgreSQL does not index them; a delete would scan the table)
        Index("ix_projects_created_by_id", "created_by_id"),
        Index("ix_projects_submitted_by_id", "submitted_by_id"),
        Index("ix_projects_last_transition_by_id", "last_transition_by_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    year: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    amount: Mapped[Decimal] = mapped_column(Money)  # 申报金额, 万元
    state: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # Who made the last submission (a transition marked `submission`), and who made the last
    # state change: `not_own_approval` refuses both.
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    last_transition_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Stand-in for confirmed milestones until the milestone issue brings real rows.
    milestones_confirmed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # When the project entered its current state: how long it has waited, and for whom. On
    # SQLite the column keeps the placeholder default its migration needed: an insert that
    # forgot it would silently wait since 1970, so the model refuses to forget it.
    state_entered_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=_must_be_given)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    unit: Mapped[Unit] = relationship(lazy="joined")
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
