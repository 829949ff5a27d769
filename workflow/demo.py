"""Demo units, users and projects, made through the real operations so their history is real."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.clock import CHINA, Clock
from workflow.declaration import operations as declaration_ops
from workflow.declaration.models import Declaration
from workflow.declaration.seed_forms import SEED_FORMS
from workflow.evaluation import operations as ops
from workflow.lifecycle.machine import get_lifecycle
from workflow.lifecycle.operations import fire
from workflow.milestones import operations as milestone_ops
from workflow.org import operations as org
from workflow.org.models import Role, Unit, User
from workflow.projects.models import Project
from workflow.uow import UnitOfWork

DEMO_PASSWORD = "jixiao2026"
DEMO_MAIL_DOMAIN = "jixiao.invalid"  # reserved: demo mail can never reach anyone

# (unit code, short name used in usernames)
_UNIT_KEYS = {"000": "gaj", "001": "yjj", "002": "zjj"}
_SEED_UNIT = {**{k: k for k in _UNIT_KEYS}, "004": "000"}  # 004 is 苏州市公安局's too
_FALLBACK_CODES = {"000": "000379", "001": "000501", "002": "000421"}

DEMO_ACCOUNTS: list[tuple[str, str]] = [
    ("admin", "管理员"),
    ("cz_shen", "财政审核人 沈审核（市财政局）"),
    ("cz_zhou", "财政审核人 周复核（市财政局）"),
]
for _key, _label in (("gaj", "苏州市公安局"), ("yjj", "苏州市应急管理局"),
                     ("zjj", "苏州市住房和城乡建设局")):  # fmt: skip
    DEMO_ACCOUNTS += [
        (f"{_key}_tb", f"填报人（{_label}）"),
        (f"{_key}_fzr", f"单位负责人（{_label}）"),
    ]

# The path of triggers (and the confirm/evaluation steps between them) to reach each state.
_PATHS = {
    "draft": [],
    "unit_review": ["submit"],
    "declared": ["submit", "declare"],
    "approved": ["submit", "declare", "approve"],
    "implementing": ["submit", "declare", "approve", "@confirm", "start_implementation"],
    "refused": ["submit", "declare", "refuse"],
    "returned": ["submit", "return_to_filler"],
}
_PATHS["evaluating"] = [*_PATHS["implementing"], "begin_evaluation"]
_PATHS["evaluation_unit_review"] = [*_PATHS["evaluating"], "@evaluate", "submit_evaluation"]
_PATHS["self_evaluated"] = [*_PATHS["evaluation_unit_review"], "sign_evaluation"]
_PATHS["archived"] = [*_PATHS["self_evaluated"], "archive"]

_COMMENTS = {
    "refuse": "项目绩效目标与部门职能关联不足，本年度不予支持。",
    "return_to_filler": "请补充项目实施计划中的时间节点。",
}

_EVALUATION = {
    "implementation": "项目按计划完成建设并通过验收，系统运行稳定。",
    "management_results": "建立了项目管理制度，资金使用规范。",
    "problems": "部分子项目付款进度滞后于计划。",
    "suggestions": "加强合同履约管理，提前做好付款计划。",
}

# Earlier projects of the same units: (seed whose form they reuse, name, year, state).
_HISTORY = [
    ("000", "苏州市“331”消防安全监管平台运维", 2020, "archived"),
    ("000", "全市消防宣传教育设施购置", 2021, "refused"),
    ("000", "基层网格员消防隐患采集终端", 2022, "self_evaluated"),
    ("001", "应急指挥中心视频会商系统升级", 2021, "evaluation_unit_review"),
    ("001", "安全生产执法装备更新", 2022, "evaluating"),
    ("001", "危化品企业在线监测接入", 2022, "approved"),
    ("002", "建筑工地扬尘在线监测运维", 2021, "implementing"),
    ("002", "住房保障信息系统改造", 2022, "unit_review"),
    ("002", "物业管理信用评价平台", 2022, "returned"),
]
# The real forms themselves, shown first. 000 is complete and waits at the finance bureau;
# 001, 002 and 004 keep the problems the real forms have (a truncated 子项目 name, 影响力 rows
# without a 子项目, blank targets), so they stay drafts and show the checks on real data.
_SEED_STATES = {"004": "draft", "002": "draft", "001": "draft", "000": "declared"}


@dataclass
class _Cast:
    admin: User
    reviewers: list[User]
    fillers: dict[str, User]
    heads: dict[str, User]


def load_demo(session: Session, clock: Clock) -> list[tuple[str, str]] | None:
    """Load the demo once; returns the accounts, or None when units already exist."""
    if session.scalar(select(Unit.id).limit(1)) is not None:
        return None
    t = _Ticker(clock.now() - dt.timedelta(days=120))
    cast = _make_cast(session, t)
    for seed, name, year, state in _HISTORY:
        data = _with_known_sub_projects(seed_form_data(seed))
        _make_project(session, cast, seed, data, state, t, name=name, year=year)
    for seed, state in _SEED_STATES.items():
        _make_project(session, cast, seed, seed_form_data(seed), state, t)
    return DEMO_ACCOUNTS


def seed_form_data(seed: str) -> dict[str, Any]:
    """A seed declaration (typed in faithfully in seed_forms.py) as the form posts it."""
    form = SEED_FORMS[seed]
    yes_no = {True: "是", False: "否", None: ""}
    data: dict[str, Any] = {key: form[key] for key in _SEED_TEXTS}
    data |= {"name": form["name"], "year": str(form["year"]), "unit_head_name": form["unit_head"],
             "filled_on": form["filled_on"].isoformat() if form["filled_on"] else "",
             "government_procurement": yes_no[form["government_procurement"]],
             "government_service_purchase": yes_no[form["government_service_purchase"]],
             "fund_items_total": _text(form["fund_items_total"])}  # fmt: skip
    data |= {f"ly_{key}": _text(value) for key, value in form["last_year"].items()}
    data["leaders"] = [{"name": name} for name in form["leaders"]]
    data["contacts"] = [{"name": name, "phone": phone} for name, phone in form["contacts"]]
    data["fund_items"] = [{"name": n, "amount": _text(a)} for n, a in form["fund_items"]]
    rows = {**form["fund_sources"], "total": form["fund_source_totals"]}
    data["fund_sources"] = {
        key: dict(zip(("total", "last_year", "this_year"), map(_text, cells), strict=True))
        for key, cells in rows.items()
    }
    data["indicators"] = [
        {**{k: row[k] for k in ("category", "name", "target", "explanation", "evidence")},
         "sub_projects": "\n".join(row["sub_projects"])}
        for row in form["indicators"]
    ]  # fmt: skip
    return data


def _with_known_sub_projects(data: dict[str, Any]) -> dict[str, Any]:
    """The earlier projects reuse a seed's form with its 对应子项目 put right, so that they
    can move through the lifecycle."""
    names = [item["name"] for item in data["fund_items"]]
    indicators = [
        {**row, "sub_projects": row["sub_projects"]
         if row["category"] == "投入" or set(row["sub_projects"].split("\n")) <= set(names)
         else names[0]}
        for row in data["indicators"]
    ]  # fmt: skip
    return {**data, "indicators": indicators}


_SEED_TEXTS = ("project_type", "project_attribute", "summary", "basis", "necessity",
               "safeguards", "implementation_plan", "overall_goal", "annual_goal",
               "other_notes", "filled_by")  # fmt: skip


def _text(value) -> str:
    return "" if value is None else str(value)


class _Ticker:
    """Demo time: one step a working day, in office hours, so the history reads like real work."""

    def __init__(self, start: dt.datetime) -> None:
        self.day, self.steps = start.astimezone(CHINA).date(), 0

    def __call__(self) -> dt.datetime:
        self.steps += 1
        self.day += dt.timedelta(days=1)
        while self.day.weekday() >= 5:
            self.day += dt.timedelta(days=1)
        local = dt.datetime.combine(self.day, dt.time(9 + self.steps * 3 % 8, self.steps * 7 % 60))
        return local.replace(tzinfo=CHINA).astimezone(dt.UTC)


def _make_cast(session: Session, t: _Ticker) -> _Cast:
    uow = UnitOfWork(session)
    admin = org.create_user(uow, username="admin", display_name="系统管理员",
                            password=DEMO_PASSWORD, roles=[Role.admin], unit_id=None,
                            actor=None, now=t())  # fmt: skip
    reviewers = [
        org.create_user(uow, username=u, display_name=n, password=DEMO_PASSWORD,
                        roles=[Role.reviewer], unit_id=None, actor=admin, now=t())
        for u, n in (("cz_shen", "沈审核"), ("cz_zhou", "周复核"))
    ]  # fmt: skip
    fillers, heads = {}, {}
    names = {"000": ("李明", "郁海成"), "001": ("王芳", "陈刚"), "002": ("赵敏", "孙伟")}
    for seed, key in _UNIT_KEYS.items():
        form = SEED_FORMS[seed]
        unit = org.create_unit(uow, code=form["unit_code"] or _FALLBACK_CODES[seed],
                               name=form["unit_name"], actor=admin, now=t())  # fmt: skip
        filler_name, head_name = names[seed]
        fillers[seed] = org.create_user(
            uow, username=f"{key}_tb", display_name=filler_name, password=DEMO_PASSWORD,
            roles=[Role.filler], unit_id=unit.id, actor=admin, now=t(),
            email=f"{key}_tb@{DEMO_MAIL_DOMAIN}",
        )  # fmt: skip
        heads[seed] = org.create_user(
            uow, username=f"{key}_fzr", display_name=head_name, password=DEMO_PASSWORD,
            roles=[Role.unit_head], unit_id=unit.id, actor=admin, now=t(),
            email=f"{key}_fzr@{DEMO_MAIL_DOMAIN}",
        )  # fmt: skip
    return _Cast(admin, reviewers, fillers, heads)


def _make_project(session, cast: _Cast, seed: str, data: dict, state: str, t: _Ticker,
                  name: str | None = None, year: int | None = None) -> Project:  # fmt: skip
    """A project of the seed's unit, driven to `state` through the real operations."""
    uow = UnitOfWork(session)
    seed = _SEED_UNIT[seed]  # from here on: whose unit it is
    filler = cast.fillers[seed]
    data = {**data, "name": name or data["name"], "year": str(year or data["year"])}
    project = declaration_ops.create_project(uow, data, actor=filler, now=t())
    declaration_ops.save_declaration(uow, project, data, actor=filler, now=t(),
                                     expected_version=None)  # fmt: skip
    lc = get_lifecycle()
    for step in _PATHS[state]:
        _step(uow, cast, seed, project, step, lc, t)
    return project


def _step(uow, cast: _Cast, seed: str, project: Project, step: str, lc, t: _Ticker) -> None:
    filler = cast.fillers[seed]
    if step == "@confirm":
        _date_undated_milestones(uow, project, filler, t)
        milestone_ops.confirm(uow, project, actor=filler, now=t())
    elif step == "@evaluate":
        ops.save_evaluation(uow, project, _evaluation_data(uow.session, project), actor=filler,
                            now=t(), expected_version=None)  # fmt: skip
    else:
        actor = _actor_for(cast, seed, lc.spec.transition(step).roles)
        fire(uow, project, step, actor=actor, now=t(), comment=_COMMENTS.get(step, ""))


def _evaluation_data(session, project: Project) -> dict[str, str]:
    """A self-evaluation as a unit fills it: every target met, the money spent as planned."""
    planned = session.get(Declaration, project.id).fund_items
    amount = str(project.amount)
    data = {**_EVALUATION, "budget_initial": amount, "appropriated": amount, "paid": amount}
    data |= {f"indicators-{n}-actual": "完成"
             for n, _ in enumerate(ops.indicators_of(session, project))}  # fmt: skip
    data |= {f"fund_items-{n}-actual": str(item.amount) for n, item in enumerate(planned)}
    return data


def _date_undated_milestones(uow, project: Project, filler: User, t: _Ticker) -> None:
    # What the unit does on the milestones page: give a date to what the plan left undated.
    rows = milestone_ops.to_rows(milestone_ops.milestones_of(uow.session, project))
    for row in rows:
        if not row["due"] and not row["anchor"]:
            row["due"] = f"{project.year}-12-31"
    milestone_ops.save_milestones(uow, project, rows, actor=filler, now=t(),
                                  expected_version=None)  # fmt: skip


def _actor_for(cast: _Cast, seed: str, roles: frozenset[str]) -> User:
    if Role.filler in roles:
        return cast.fillers[seed]
    if Role.unit_head in roles:
        return cast.heads[seed]
    return cast.reviewers[0]
