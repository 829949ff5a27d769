"""绩效运行监控: rounds opened by finance and the 监控表 each project in scope fills.

A round (「2027年1—7月绩效运行监控」) has a data cut-off, a due date, the warning-light rules it is
read with (workflow/monitoring/lights/) and, optionally, the units it covers (none: all of the
opener's). Each project of the round's year in a monitored state gets one 监控表: the year's
approved budget, what was executed by the cut-off and is forecast for the year, and a row for
each indicator of the approved yardstick with its progress, forecast, likelihood, 偏差原因 and
纠偏措施. Lights are computed from these by the round's rules, never typed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, synonym

from workflow.db import Base, Money, UTCDateTime
from workflow.projects.models import Project
from workflow.scoped_rules import ScopedRule
from workflow.text import CELL_MAX

#: 偏差原因, in the standard categories of the national monitoring form.
CAUSES = ("经费保障", "制度保障", "人员保障", "硬件条件保障", "其他")


class MonitoringRound(Base):
    __tablename__ = "monitoring_rounds"
    __table_args__ = (
        UniqueConstraint("year", "name", name="uq_monitoring_rounds_year_name"),
        Index("ix_monitoring_rounds_opened_by_id", "opened_by_id"),
        Index("ix_monitoring_rounds_due", "due"),  # the reminder run reads rounds by due date
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    year: Mapped[int] = mapped_column(Integer)
    cutoff: Mapped[dt.date] = mapped_column(Date)  # 数据截止日期
    due: Mapped[dt.date] = mapped_column(Date)  # 填报截止日期
    # a lights file's stem for every 监控表 of the round; "" (BY_UNIT): each by the admin's
    # 预警规则 for its unit and year (workflow/monitoring/choice.py)
    rules: Mapped[str] = mapped_column(String(32))
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    opened_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    unit_rows: Mapped[list[MonitoringRoundUnit]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )


class MonitoringRoundUnit(Base):
    """A unit a round covers (a round without any covers every unit its opener reviews)."""

    __tablename__ = "monitoring_round_units"
    __table_args__ = (Index("ix_monitoring_round_units_unit_id", "unit_id"),)

    round_id: Mapped[int] = mapped_column(ForeignKey("monitoring_rounds.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)


class MonitoringReport(Base):
    """监控表: one project's report in one round."""

    __tablename__ = "monitoring_reports"
    __table_args__ = (
        UniqueConstraint("round_id", "project_id", name="uq_monitoring_reports_once"),
        Index("ix_monitoring_reports_project_id", "project_id"),
        Index("ix_monitoring_reports_round_id_state", "round_id", "state"),
        Index("ix_monitoring_reports_submitted_by_id", "submitted_by_id"),
        Index("ix_monitoring_reports_last_transition_by_id", "last_transition_by_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("monitoring_rounds.id"))
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    state: Mapped[str] = mapped_column(String(32))
    budget: Mapped[Decimal] = mapped_column(Money)  # 年度预算数 (approved), 万元
    executed: Mapped[Decimal | None] = mapped_column(Money)  # 截至监控时点执行数
    forecast: Mapped[Decimal | None] = mapped_column(Money)  # 全年预计执行数
    # 偏差原因 and 纠偏措施 of the budget's execution
    cause: Mapped[str] = mapped_column(String(16), default="")
    explanation: Mapped[str] = mapped_column(String(CELL_MAX), default="")
    measures: Mapped[str] = mapped_column(String(CELL_MAX), default="")
    light: Mapped[str | None] = mapped_column(String(8))  # the project's: the worst
    # the lights file it is read with, fixed when the round opens (the round's, or the rules')
    rules: Mapped[str] = mapped_column(String(32))
    version: Mapped[int] = mapped_column(Integer, default=1)
    # its workflow (states.yaml `workflows: monitoring`): four eyes, and who is told
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    last_transition_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    round: Mapped[MonitoringRound] = relationship(lazy="joined")
    project: Mapped[Project] = relationship(lazy="joined")
    rows: Mapped[list[MonitoringIndicator]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="MonitoringIndicator.position"
    )


class MonitoringIndicator(Base):
    """One indicator of a 监控表, copied from the approved yardstick when the round opens."""

    __tablename__ = "monitoring_indicators"
    __table_args__ = (Index("ix_monitoring_indicators_report_id", "report_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("monitoring_reports.id"))
    position: Mapped[int] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(CELL_MAX))
    target: Mapped[str] = mapped_column(String(200))  # 年度目标值, as approved
    direction: Mapped[str] = mapped_column(String(8), default="")
    actual: Mapped[str] = mapped_column(String(200), default="")  # 截至监控时点实际完成值
    forecast: Mapped[str] = mapped_column(String(200), default="")  # 全年预计完成值
    likelihood: Mapped[str] = mapped_column(String(8), default="")  # 完成目标可能性
    cause: Mapped[str] = mapped_column(String(16), default="")
    explanation: Mapped[str] = mapped_column(String(CELL_MAX), default="")
    measures: Mapped[str] = mapped_column(String(CELL_MAX), default="")
    light: Mapped[str | None] = mapped_column(String(8))


class LightsRuleChoice(ScopedRule, Base):
    """预警规则: the admin's choice of lights file for one unit, one year, or one unit in one year,
    chosen as the scoring templates are (workflow/scoped_rules.py): the most specific rule wins,
    the national file without one. A round opened 「按单位和年度的规则」 reads each 监控表 by it."""

    __tablename__ = "lights_rule_choices"
    __table_args__ = ScopedRule.constraints(__tablename__)

    rules: Mapped[str] = mapped_column(String(32))  # a file stem in monitoring/lights/
    file = synonym("rules")  # as workflow/scoped_rules.py names the chosen file
