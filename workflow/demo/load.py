"""Load the demo: the people first, then every step of every story through the real operations,
all in the order of their times, so the audit chain reads as the years went."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from workflow.clock import Clock
from workflow.declaration import operations as declaration_ops
from workflow.declaration.models import Declaration
from workflow.declaration.seed_forms import SEED_FORMS
from workflow.declaration.targets import Kind, Operator, read_target
from workflow.demo.forms import EARLIER
from workflow.demo.stories import Story, earlier_stories, paid, seed_stories
from workflow.demo.timeline import (
    Step,
    at,
    back,
    fit,
    lay_out,
    local,
    snap_back,
    workdays_before,
)
from workflow.evaluation import operations as evaluation_ops
from workflow.library.operations import seed_default
from workflow.lifecycle.machine import get_lifecycle
from workflow.lifecycle.operations import fire
from workflow.milestones import operations as milestone_ops
from workflow.notify import operations as inbox
from workflow.org import operations as org
from workflow.org.models import Role, Unit, User
from workflow.projects.models import Project
from workflow.uow import UnitOfWork

DEMO_PASSWORD = "Jixiao@2026"  # meets the password policy
DEMO_MAIL_DOMAIN = "jixiao.invalid"  # reserved: demo mail can never reach anyone

_UNIT_KEYS = {"000": "gaj", "001": "yjj", "002": "zjj"}  # seed of the unit's form → username
_FALLBACK_CODES = {"000": "000379", "001": "000501", "002": "000421"}
_PEOPLE = {"000": ("李明", "郁海成"), "001": ("王芳", "陈刚"), "002": ("赵敏", "孙伟")}
_SECOND_REVIEWER = ("archive", "return_evaluation")  # 周复核 reviews the self-evaluations

DEMO_ACCOUNTS: list[tuple[str, str]] = [
    ("admin", "系统管理员（单位、账号、评分模板、节假日、发件箱）"),
    ("secadmin", "安全管理员（角色、重置密码、解除锁定、安全策略）"),
    ("auditor", "安全审计员（审计记录、登录日志）"),
    ("cz_shen", "财政审核人 沈审核（市财政局）"),
    ("cz_zhou", "财政审核人 周复核（市财政局）"),
]
for _key, _label in (("gaj", "苏州市公安局"), ("yjj", "苏州市应急管理局"),
                     ("zjj", "苏州市住房和城乡建设局")):  # fmt: skip
    DEMO_ACCOUNTS += [
        (f"{_key}_tb", f"填报人（{_label}）"),
        (f"{_key}_fzr", f"单位负责人（{_label}）"),
    ]

_EVALUATION = {
    "implementation": "项目按计划完成建设并通过验收，系统运行稳定。",
    "management_results": "建立了项目管理制度，资金使用规范。",
    "problems": "部分子项目付款进度滞后于计划。",
    "suggestions": "加强合同履约管理，提前做好付款计划。",
}
_REVISED = "项目按计划完成需求确认、招标采购、开发部署和验收，各节点均有会议纪要和验收报告为证。"


@dataclass
class _Cast:
    admin: User
    reviewers: list[User]
    fillers: dict[str, User]
    heads: dict[str, User]

    def everyone(self) -> list[User]:
        return [self.admin, *self.reviewers, *self.fillers.values(), *self.heads.values()]


def load_demo(session: Session, clock: Clock) -> list[tuple[str, str]] | None:
    """Load the demo once; returns the accounts, or None when units already exist."""
    if session.scalar(select(Unit.id).limit(1)) is not None:
        return None
    now, today = clock.now(), clock.today()
    seeds, earlier = seed_stories(today), earlier_stories(EARLIER, today)
    # The real forms are typed in last: everything earlier happened before them.
    seed_times = _together(seeds, now)
    limit = min(min(times) for times in seed_times) - dt.timedelta(minutes=10)
    timed = [(_fitted(s, limit), s) for s in earlier]
    timed += list(zip(seed_times, seeds, strict=True))
    first = min(min(times) for times, _ in timed)
    cast = _make_cast(session, workdays_before(local(first).date(), 5))
    run = _Run(UnitOfWork(session), cast)
    events: list[tuple[dt.datetime, int, int, Any]] = [
        (t, n, i, (story, step))
        for n, (times, story) in enumerate(timed)
        for i, (t, step) in enumerate(zip(times, story.steps, strict=True))
    ]
    # Everyone has read their messages up to a few days ago; what came since is still unread.
    read_at = min(at(workdays_before(today, 3), dt.time(17, 5)), limit)
    events += [(read_at, len(timed), i, user) for i, user in enumerate(cast.everyone())]
    for moment, _, _, what in sorted(events, key=lambda e: e[:3]):
        if isinstance(what, User):
            inbox.mark_all_read(run.uow, what, now=moment)
        else:
            run.step(*what, now=moment)
    # The accounts were made before the stories began, months back; their passwords count as
    # set today, or every demo login would open on 「请修改密码」.
    session.execute(update(User).values(password_changed_at=now))
    seed_default(session, now=now)  # the 绩效指标库 (init-db fills it too; once)
    session.commit()
    return DEMO_ACCOUNTS


def _fitted(story: Story, limit: dt.datetime) -> list[dt.datetime]:
    """The story's times, before `limit`; squeezed stories end a little apart, not all at
    the same minute."""
    end = back(snap_back(limit), story.salt * 47 % 420)
    earliest = [step.earliest for step in story.steps]
    slack = 0.5 + story.salt * 0.13 % 0.4  # nor all squeezed alike
    return fit(lay_out(story.steps, story.start, story.salt), end, earliest, slack)


def _together(stories: list[Story], now: dt.datetime) -> list[list[dt.datetime]]:
    """The seed stories laid out one after the other from their start day, in their order."""
    steps = [step for story in stories for step in story.steps]
    # Done a little before the load, not at its very minute.
    times = fit(lay_out(steps, stories[0].start, salt=3), now - dt.timedelta(minutes=15))
    out, n = [], 0
    for story in stories:
        out.append(times[n : n + len(story.steps)])
        n += len(story.steps)
    return out


def _make_cast(session: Session, day: dt.date) -> _Cast:
    times = iter(lay_out([Step("cast", 0)] * 40, day, salt=0))
    uow = UnitOfWork(session)
    # The 三员 first, as the operator makes them on the command line (actor None); then, as on
    # the admin pages, the 系统管理员 opens each account and the 安全管理员 grants its role.
    admin, security = (
        org.create_user(uow, username=u, display_name=n, password=DEMO_PASSWORD, roles=[r],
                        unit_id=None, email=f"{u}@{DEMO_MAIL_DOMAIN}", actor=None,
                        now=next(times))
        for u, n, r in (("admin", "系统管理员", Role.admin),
                        ("secadmin", "安全管理员", Role.security_admin))
    )  # fmt: skip
    org.create_user(uow, username="auditor", display_name="安全审计员", password=DEMO_PASSWORD,
                    roles=[Role.auditor], unit_id=None, email=f"auditor@{DEMO_MAIL_DOMAIN}",
                    actor=None, now=next(times))  # fmt: skip

    def account(username, name, role, unit_id=None, email=""):
        user = org.create_user(uow, username=username, display_name=name,
                               password=DEMO_PASSWORD, unit_id=unit_id, email=email,
                               actor=admin, now=next(times))  # fmt: skip
        return org.set_roles(uow, user, [role], actor=security, now=next(times))

    reviewers = [
        account(u, n, Role.reviewer) for u, n in (("cz_shen", "沈审核"), ("cz_zhou", "周复核"))
    ]
    fillers, heads = {}, {}
    for seed, key in _UNIT_KEYS.items():
        form = SEED_FORMS[seed]
        unit = org.create_unit(uow, code=form["unit_code"] or _FALLBACK_CODES[seed],
                               name=form["unit_name"], actor=admin, now=next(times))  # fmt: skip
        filler, head = _PEOPLE[seed]
        for people, role, suffix, name in ((fillers, Role.filler, "tb", filler),
                                           (heads, Role.unit_head, "fzr", head)):  # fmt: skip
            people[seed] = account(f"{key}_{suffix}", name, role, unit.id,
                                   f"{key}_{suffix}@{DEMO_MAIL_DOMAIN}")  # fmt: skip
    return _Cast(admin, reviewers, fillers, heads)


class _Run:
    """Carries out the steps of the stories, each through the operation a person would use."""

    def __init__(self, uow: UnitOfWork, cast: _Cast) -> None:
        self.uow, self.cast = uow, cast
        self.projects: dict[int, Project] = {}
        self.roles = {t.trigger: t.roles for t in get_lifecycle().spec.transitions}

    def step(self, story: Story, step: Step, *, now: dt.datetime) -> None:
        filler = self.cast.fillers[story.unit]
        project = self.projects.get(id(story))
        if step.action == "create":
            project = declaration_ops.create_project(self.uow, story.data, actor=filler, now=now)
            self.projects[id(story)] = project
        elif step.action == "save":
            data = story.data  # a real form as typed; an earlier one dated the day it is filled
            if not story.typed:
                data = {**data, "filled_on": local(now).date().isoformat()}
            declaration_ops.save_declaration(self.uow, project, data, actor=filler, now=now,
                                             expected_version=None)  # fmt: skip
        elif step.action == "fire":
            trigger = step.args["trigger"]
            fire(self.uow, project, trigger, actor=self._actor(story, trigger), now=now,
                 comment=step.args.get("comment", ""))  # fmt: skip
        elif step.action == "milestones":
            self._save_milestones(project, filler, now)
        elif step.action == "confirm":
            milestone_ops.confirm(self.uow, project, actor=filler, now=now)
        elif step.action == "record":
            self._record(project, filler, step.args, now)
        elif step.action == "evaluate":
            data = _evaluation_data(self.uow.session, project, step.args.get("revision", False))
            evaluation_ops.save_evaluation(self.uow, project, data, actor=filler, now=now,
                                           expected_version=None)  # fmt: skip
        else:
            raise ValueError(step.action)

    def _actor(self, story: Story, trigger: str) -> User:
        roles = self.roles[trigger]
        if Role.filler in roles:
            return self.cast.fillers[story.unit]
        if Role.unit_head in roles:
            return self.cast.heads[story.unit]
        return self.cast.reviewers[trigger in _SECOND_REVIEWER]

    def _save_milestones(self, project: Project, filler: User, now: dt.datetime) -> None:
        # What the unit does on the milestones page: give each payment its amount, and a date
        # to anything the plan left undated.
        rows = milestone_ops.to_rows(milestone_ops.milestones_of(self.uow.session, project))
        for row in rows:
            if row["percentage"] and not row["amount"]:
                row["amount"] = str(paid(project.amount, Decimal(row["percentage"])))
            if not row["due"] and not row["anchor"]:
                row["due"] = f"{project.year}-12-31"
        milestone_ops.save_milestones(self.uow, project, rows, actor=filler, now=now,
                                      expected_version=None)  # fmt: skip

    def _record(self, project: Project, filler: User, args: dict, now: dt.datetime) -> None:
        milestone = milestone_ops.milestones_of(self.uow.session, project)[args["position"]]
        done = min(args["done"], local(now).date())  # a compressed story records it sooner
        amount = paid(project.amount, args["percentage"])
        data = {"actual_date": done.isoformat(), "note": args["note"],
                "paid_amount": "" if amount is None else str(amount)}  # fmt: skip
        milestone_ops.record_actual(self.uow, project, milestone, data, actor=filler, now=now)


def _met(indicator) -> str:
    """What a unit writes when the target was met: the figure it names, or its own words (a
    change against a baseline is written as the target says, for the reviewer to check)."""
    target = read_target(indicator.target, indicator.name, indicator.direction)
    if target.kind in (Kind.numeric, Kind.range):
        value = target.threshold()
        if target.operator is Operator.gt:
            value += 1
        elif target.operator is Operator.lt:
            value = max(value - 1, value / 2)
        return f"{value:f}{target.unit}"
    return indicator.target.strip() or "完成"


def _evaluation_data(session: Session, project: Project, revision: bool) -> dict[str, str]:
    """A self-evaluation as a unit fills it: every target met, the money spent as planned; a
    revision says more about what was done, as the returned one was asked to."""
    planned = session.get(Declaration, project.id).fund_items
    amount = str(project.amount)
    data = {**_EVALUATION, "budget_initial": amount, "appropriated": amount, "paid": amount}
    if revision:
        data["implementation"] = _REVISED
    data |= {f"indicators-{n}-actual": _met(i)
             for n, i in enumerate(evaluation_ops.indicators_of(session, project))}  # fmt: skip
    data |= {f"fund_items-{n}-actual": str(item.amount) for n, item in enumerate(planned)}
    return data
