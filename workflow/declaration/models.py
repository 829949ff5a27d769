"""绩效目标申报表: the declaration form, its people, 资金构成, 资金来源 and 分解目标 rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.db import Base, Money, Percent
from workflow.text import CELL_MAX, NARRATIVE_MAX


@dataclass(frozen=True)
class TextField:
    """A text field of a form: attribute, Chinese label, whether it must be filled."""

    name: str
    label: str
    required: bool = True
    multiline: bool = False


# The prose of the form, in the order of the paper form.
DECLARATION_TEXTS: tuple[TextField, ...] = (
    TextField("summary", "项目概况", multiline=True),
    TextField("basis", "项目设立依据（相关批文名称）", multiline=True),
    TextField("necessity", "项目设立的必要性", multiline=True),
    TextField("safeguards", "保证项目实施的制度、措施", multiline=True),
    TextField("implementation_plan", "项目实施计划", multiline=True),
    TextField("overall_goal", "项目总目标", multiline=True),
    TextField("annual_goal", "年度绩效目标", multiline=True),
    TextField("other_notes", "需要说明的其它问题", required=False, multiline=True),
)

PROJECT_TYPES = (
    "公共事业类",
    "政策类",
    "信息化工程及维护类",
    "设备购置及维护类",
    "基本建设及维护类",
)
PROJECT_ATTRIBUTES = ("市立项目", "部门预算项目", "政府性基金项目", "国有资本收益项目")
CATEGORIES = ("投入", "产出", "结果", "影响力")
#: 项目资金来源 rows; "total" is the 合计 row as the unit wrote it (blank: computed).
FUND_SOURCES = (
    ("superior", "上级财政资金"),
    ("municipal", "市级财政资金"),
    ("subordinate", "下级财政资金"),
    ("bank_loan", "银行贷款"),
    ("self_raised", "单位自筹"),
    ("other", "其他"),
)
FUND_COLUMNS = (
    ("total", "项目投资总额"),
    ("last_year", "上年度资金"),
    ("this_year", "本年度计划数"),
)
LAST_YEAR_AMOUNTS = (
    ("ly_budget", "预算安排资金（万元）"),
    ("ly_appropriated", "财政拨付资金（万元）"),
    ("ly_spent", "实际支出资金（万元）"),
)
LAST_YEAR_RATES = (("ly_arrival_rate", "资金到位率（%）"), ("ly_execution_rate", "预算执行率（%）"))


class Declaration(Base):
    """The declaration form of one project (1:1). Name and year live on the project."""

    __tablename__ = "declarations"
    __table_args__ = (Index("ix_declarations_project_type", "project_type"),)  # the list filter

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), primary_key=True)
    project_type: Mapped[str] = mapped_column(String(40), default="")
    project_attribute: Mapped[str] = mapped_column(String(40), default="")
    government_procurement: Mapped[bool | None] = mapped_column(Boolean)
    government_service_purchase: Mapped[bool | None] = mapped_column(Boolean)
    summary: Mapped[str] = mapped_column(String(NARRATIVE_MAX), default="")
    basis: Mapped[str] = mapped_column(String(NARRATIVE_MAX), default="")
    necessity: Mapped[str] = mapped_column(String(NARRATIVE_MAX), default="")
    safeguards: Mapped[str] = mapped_column(String(NARRATIVE_MAX), default="")
    implementation_plan: Mapped[str] = mapped_column(String(NARRATIVE_MAX), default="")
    overall_goal: Mapped[str] = mapped_column(String(NARRATIVE_MAX), default="")
    annual_goal: Mapped[str] = mapped_column(String(NARRATIVE_MAX), default="")
    other_notes: Mapped[str] = mapped_column(String(NARRATIVE_MAX), default="")
    ly_budget: Mapped[Decimal | None] = mapped_column(Money)
    ly_appropriated: Mapped[Decimal | None] = mapped_column(Money)
    ly_spent: Mapped[Decimal | None] = mapped_column(Money)
    ly_arrival_rate: Mapped[Decimal | None] = mapped_column(Percent)
    ly_execution_rate: Mapped[Decimal | None] = mapped_column(Percent)
    fund_items_total: Mapped[Decimal | None] = mapped_column(Money)  # 合计 as written
    unit_head_name: Mapped[str] = mapped_column(String(100), default="")  # 填报单位负责人
    filled_by: Mapped[str] = mapped_column(String(100), default="")  # 填报人
    filled_on: Mapped[dt.date | None] = mapped_column(Date)  # 填报日期
    # What was typed into a number or date field and could not be read, by field path, so
    # that saving never loses it; the checks report each one until it is corrected.
    unparsed: Mapped[str] = mapped_column(Text, default="{}")

    people: Mapped[list[DeclarationPerson]] = relationship(
        order_by="DeclarationPerson.position", cascade="all, delete-orphan", lazy="selectin"
    )
    fund_items: Mapped[list[FundItem]] = relationship(
        order_by="FundItem.position", cascade="all, delete-orphan", lazy="selectin"
    )
    fund_sources: Mapped[list[FundSource]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )
    indicators: Mapped[list[Indicator]] = relationship(
        order_by="Indicator.position", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def leaders(self) -> list[DeclarationPerson]:
        return [p for p in self.people if p.kind == "leader"]

    @property
    def contacts(self) -> list[DeclarationPerson]:
        return [p for p in self.people if p.kind == "contact"]


class DeclarationPerson(Base):
    """项目负责人 (kind leader) or 联系人 with their 联系电话 (kind contact)."""

    __tablename__ = "declaration_people"
    __table_args__ = (Index("ix_declaration_people_project_id", "project_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("declarations.project_id"))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(100), default="")


class FundItem(Base):
    """项目资金构成 row: a 子项目 and its 预算金额 (万元)."""

    __tablename__ = "fund_items"
    __table_args__ = (Index("ix_fund_items_project_id", "project_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("declarations.project_id"))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(CELL_MAX), default="")
    amount: Mapped[Decimal | None] = mapped_column(Money)


class FundSource(Base):
    """项目资金来源 row: a source (or the written 合计) × 项目投资总额, 上年度资金, 本年度计划数."""

    __tablename__ = "fund_sources"

    project_id: Mapped[int] = mapped_column(ForeignKey("declarations.project_id"), primary_key=True)
    source: Mapped[str] = mapped_column(String(16), primary_key=True)
    total: Mapped[Decimal | None] = mapped_column(Money)
    last_year: Mapped[Decimal | None] = mapped_column(Money)
    this_year: Mapped[Decimal | None] = mapped_column(Money)


# 分解目标's 方向 choice: the value stored, and what the form shows.
INDICATOR_DIRECTIONS = (("", "自动"), ("higher", "越高越好"), ("lower", "越低越好"))


class Indicator(Base):
    """分解目标 row: 类别, 对应子项目 (several), 指标名称, 目标值 (as typed), 解释, 目标值来源."""

    __tablename__ = "indicators"
    __table_args__ = (Index("ix_indicators_project_id", "project_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("declarations.project_id"))
    position: Mapped[int] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(16), default="")
    sub_projects: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of 子项目 names
    name: Mapped[str] = mapped_column(String(CELL_MAX), default="")
    target: Mapped[str] = mapped_column(String(200), default="")
    # 越高越好 "higher" / 越低越好 "lower" / 自动 "": the unit's override of the direction read
    # from the 目标值 and the indicator's name (workflow/declaration/targets.py).
    direction: Mapped[str] = mapped_column(String(8), default="", server_default="")
    explanation: Mapped[str] = mapped_column(String(CELL_MAX), default="")
    evidence: Mapped[str] = mapped_column(String(CELL_MAX), default="")
