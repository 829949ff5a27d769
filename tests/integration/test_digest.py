"""The daily digest over a simulated week, with a fixed clock and a real SMTP server.

One unit (苏州市消防救援支队) with two 填报人: 李明 (D) keeps the default, one digest a day;
陈彤 (E) wants every message by mail. Their 单位负责人 郁海成 (H) has an address but mail off;
the 财政审核人 沈审核 (R) has none. Three projects are being implemented, with confirmed
milestones whose reminders fall on different days of the week of Monday 2026-06-08 (reminders
go to both fillers of the unit):

    P1 支付项目启动款, due Monday 06-15:   7 days before on Mon, 1 day before (a Sunday) on Fri,
                                          due on the next Mon
    P1 项目完成初步验收, 支付第二期合同款项, due 07-10: 30 days before on Wed
    P2 支付剩余合同款项, due 04-10:         overdue, reminded monthly: on Wed (61 days)
    P3 完成招标采购, due Thu 06-11:         confirmed on Sunday 06-07, so 1 day before on Wed
                                          and due on Thu, nothing earlier

In the afternoons the reviewer and the head move other projects of D and E (`fire`): some ask
D or E to act (a 待办, mailed at once, never in a digest), some only tell them (a 通知).
Every day at 08:30 the scheduler's morning job runs (reminders, then each user's digest), then
the outbox; the outbox runs again after the afternoon's transitions, as its every-minute job
would. On Monday a second scheduler runs the morning job again a minute later; on Wednesday a
late one runs it after the afternoon's 归档, whose 通知 then waits for Thursday's digest; on
Thursday a restarted scheduler catches up at 07:00 (still Wednesday in UTC), which sends the
day's digest, and the 08:30 run sends nothing more. Tuesday and Sunday mornings bring D nothing
new: no digest. On Sunday afternoon the head declares a project of D's; one more morning
(Monday 06-15) delivers that 通知 with the day's reminder.

What the SMTP server received proves it: D gets one digest on each day with something new,
grouped by project, listing every 通知 and 提醒 once; D's 待办 arrive on their own, the same
afternoon; E gets one email per message and no digest; H gets nothing; nothing is left pending.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from email.utils import parsedate_to_datetime

import pytest
from sqlalchemy import select

from tests.integration.test_mailer import mailbox, start_server  # noqa: F401 - fixtures
from workflow.clock import CHINA, FixedClock
from workflow.lifecycle.machine import get_lifecycle
from workflow.lifecycle.operations import fire
from workflow.milestones.models import Milestone
from workflow.notify.models import Notification, OutboundEmail
from workflow.org.models import Role, User
from workflow.projects.models import Project
from workflow.scheduler import Jobs
from workflow.uow import UnitOfWork

# The week is about digests: the states' 时限 (tests/integration/test_escalation.py) would add
# messages of their own, so this week runs without them.
SPEC = dataclasses.replace(get_lifecycle().spec, states={
    name: dataclasses.replace(state, sla_days=None, escalate_to=())
    for name, state in get_lifecycle().spec.states.items()
})  # fmt: skip
BASE = "http://jixiao"
UNIT = "苏州市消防救援支队"
D_MAIL, E_MAIL, H_MAIL = "liming@xfzd.example.cn", "chentong@xfzd.example.cn", "yu@xfzd.example.cn"
DAYS = [dt.date(2026, 6, 8) + dt.timedelta(days=n) for n in range(8)]
MON, TUE, WED, THU, FRI, SAT, SUN, NEXT_MON = DAYS


def _at(day: dt.date, hour: int = 8, minute: int = 30) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=CHINA).astimezone(dt.UTC)


# key -> (name, state, submitted by, last moved by)
PROJECTS = {
    "P1": ("智慧消防平台", "implementing", "D", "H"),
    "P2": ("消防监管数据治理", "implementing", "E", "H"),
    "P3": ("应急指挥调度系统", "implementing", "D", "H"),
    "P4": ("网格化巡查系统", "declared", "D", "H"),
    "P5": ("消防宣传教育基地", "self_evaluated", "D", "H"),
    "P6": ("老旧小区消防改造", "declared", "E", "H"),
    "P7": ("危化品监管平台", "declared", "D", "H"),
    "P8": ("消防水源普查", "self_evaluated", "E", "H"),
    "P9": ("森林防火监测", "unit_review", "D", "D"),
    "P10": ("高层建筑消防评估", "self_evaluated", "E", "H"),
    "P11": ("消防站营区改造", "evaluation_unit_review", "D", "D"),
    "P12": ("智慧社区消防物联", "unit_review", "D", "D"),
}
CONFIRMED = {"P1": _at(dt.date(2026, 4, 1)), "P2": _at(dt.date(2026, 4, 1)),
             "P3": _at(dt.date(2026, 6, 7), 20)}  # fmt: skip
# When the morning job runs, if not just at 08:30: (hour, minute), one entry per run.
MORNINGS = {MON: [(8, 30), (8, 31)], THU: [(7, 0), (8, 30)]}
# (project, position, kind, title, due)
MILESTONES = [
    ("P1", 0, "payment", "支付项目启动款", dt.date(2026, 6, 15)),
    ("P1", 1, "acceptance", "项目完成初步验收", dt.date(2026, 7, 10)),
    ("P1", 2, "payment", "支付第二期合同款项", dt.date(2026, 7, 10)),
    ("P2", 0, "payment", "支付剩余合同款项", dt.date(2026, 4, 10)),
    ("P3", 0, "procurement", "完成招标采购", dt.date(2026, 6, 11)),
]
# day -> (project, trigger, actor), fired at 14:00
AFTERNOON = {
    MON: [("P10", "return_evaluation", "R")],  # E: 待办
    TUE: [("P4", "return_for_revision", "R"),  # D: 待办
          ("P9", "declare", "H")],  # D: 通知, in Wednesday's digest
    WED: [("P5", "archive", "R")],  # D: 通知, after today's digest: in Thursday's
    THU: [("P6", "refuse", "R"),  # E: 通知
          ("P11", "return_evaluation_to_filler", "H")],  # D: 待办
    FRI: [("P7", "refuse", "R"),  # D: 通知, in Saturday's digest
          ("P8", "archive", "R")],  # E: 通知
    SUN: [("P12", "declare", "H")],  # D: 通知, in the next Monday's digest
}  # fmt: skip

SOON, TODAY = "以下事项即将到期，请提前安排：", "以下事项今日到期："


def soon(title: str, days: int) -> str:
    return f"{SOON}{title}，{days}天后到期"


LATE = "以下事项已逾期，尚未登记完成："
START_PAY, CHECK = "付款：支付项目启动款", "验收：项目完成初步验收"
SECOND_PAY = "付款：支付第二期合同款项"
REST_PAY, TENDER = "付款：支付剩余合同款项，已逾期61天", "招标采购：完成招标采购"
DECLARED = "郁海成已审核通过并申报，项目现为「已申报（待财政审核）」"
ARCHIVED, REFUSED = "沈审核已归档，项目现为「已归档」", "沈审核已不予支持，项目现为「不予支持」"
REVISE, REVISE_EVAL = "沈审核已退回修改，待您办理：提交", "郁海成已退回修改，待您办理：提交自评"
RETURNED_EVAL = "沈审核已退回自评，待您办理：提交自评"

# D's digest of each day: (project, [(kind, title, created at)]), projects newest first.
DIGESTS = {
    MON: [("P1", [("提醒", soon(START_PAY, 7), "06-08 08:30")])],
    WED: [
        ("P3", [("提醒", soon(TENDER, 1), "06-10 08:30")]),
        ("P2", [("提醒", LATE + REST_PAY, "06-10 08:30")]),
        ("P1", [("提醒", soon(CHECK, 30), "06-10 08:30"),
                ("提醒", soon(SECOND_PAY, 30), "06-10 08:30")]),
        ("P9", [("通知", DECLARED, "06-09 14:00")]),
    ],
    THU: [("P3", [("提醒", TODAY + TENDER, "06-11 07:00")]),
          ("P5", [("通知", ARCHIVED, "06-10 14:00")])],
    FRI: [("P1", [("提醒", soon(START_PAY, 3), "06-12 08:30")])],  # Sunday's, moved
    SAT: [("P7", [("通知", REFUSED, "06-12 14:00")])],
    NEXT_MON: [("P1", [("提醒", TODAY + START_PAY, "06-15 08:30")]),
               ("P12", [("通知", DECLARED, "06-14 14:00")])],
}  # fmt: skip
# D's 待办, mailed the afternoon they arise: day -> [(project, title)]
D_TODOS = {TUE: [("P4", REVISE)], THU: [("P11", REVISE_EVAL)]}
# E's emails, one per message, in the order they are sent: day -> [(project, title)]
E_MAILS = {
    MON: [("P1", soon(START_PAY, 7)), ("P10", RETURNED_EVAL)],
    WED: [("P1", soon(CHECK, 30)), ("P1", soon(SECOND_PAY, 30)), ("P2", LATE + REST_PAY),
          ("P3", soon(TENDER, 1))],
    THU: [("P3", TODAY + TENDER), ("P6", REFUSED)],
    FRI: [("P1", soon(START_PAY, 3)), ("P8", ARCHIVED)],
    NEXT_MON: [("P1", TODAY + START_PAY)],
}  # fmt: skip


@pytest.fixture
def week(session, make) -> dict[str, int]:
    """The unit, its people, projects and milestones; their ids by key."""
    unit = make.unit(UNIT)
    people = {"D": make.user(Role.filler, unit=unit, name="李明"),
              "E": make.user(Role.filler, unit=unit, name="陈彤"),
              "H": make.user(Role.unit_head, unit=unit, name="郁海成"),
              "R": make.user(Role.reviewer, name="沈审核")}  # fmt: skip
    people["D"].email = D_MAIL  # and the default mode: the digest
    people["E"].email, people["E"].email_mode = E_MAIL, "each"
    people["H"].email, people["H"].email_mode = H_MAIL, "off"
    ids = {key: user.id for key, user in people.items()}
    for key, (name, state, by, last) in PROJECTS.items():
        project = make.project(unit, state=state, creator=people[by], submitted_by=people[by],
                               last_by=people[last])  # fmt: skip
        project.name = name
        if key in CONFIRMED:
            project.milestones_confirmed_at = CONFIRMED[key]
        ids[key] = project.id
    session.add_all(
        Milestone(project_id=ids[key], position=position, kind=kind, title=title, due=due)
        for key, position, kind, title, due in MILESTONES
    )
    session.commit()
    assert people["D"].email_mode == "digest"
    return ids


def _jobs(db, smtp, now: dt.datetime) -> Jobs:
    return Jobs(db=db, clock=FixedClock(now), spec=SPEC, smtp=smtp, base_url=BASE)


def _mornings(day: dt.date) -> list[dt.datetime]:
    return [_at(day, *time) for time in MORNINGS.get(day, [(8, 30)])]


def _morning(db, smtp, now: dt.datetime) -> None:
    """The morning job (reminders, then digests), then the outbox."""
    jobs = _jobs(db, smtp, now)
    jobs.reminders()
    jobs.outbox()


def _fire(db, ids, key: str, trigger: str, actor: str, now: dt.datetime) -> None:
    comment = "请按评审意见补充说明。" if SPEC.transition(trigger).comment_required else ""
    with db.session(write=True) as s:
        fire(UnitOfWork(s), s.get(Project, ids[key]), trigger, actor=s.get(User, ids[actor]),
             now=now, comment=comment, base_url=BASE)  # fmt: skip


def _pending_titles(db, user_id: int) -> list[str]:
    with db.session() as s:
        query = select(Notification.title).where(
            Notification.user_id == user_id, Notification.mail_pending.is_(True)
        )
        return s.scalars(query).all()


def _simulate(db, smtp, mailbox, ids) -> dict[dt.date, list]:  # noqa: F811
    """Run the week; what the SMTP server received on each day."""
    received = {}
    for day in DAYS:
        seen = len(mailbox.envelopes)
        for now in _mornings(day):
            _morning(db, smtp, now)
        for key, trigger, actor in AFTERNOON.get(day, []):
            _fire(db, ids, key, trigger, actor, _at(day, 14, 0))
        _jobs(db, smtp, _at(day, 14, 1)).outbox()  # the outbox job runs every minute
        if day == WED:
            _morning(db, smtp, _at(day, 15, 0))  # a scheduler started late: catch-up run
            assert _pending_titles(db, ids["D"]) == [ARCHIVED]  # it waits for tomorrow's
        received[day] = mailbox.messages()[seen:]
    return received


def _digest(message) -> list[tuple[str, str, list[str]]]:
    """A digest's groups: (project line, link line, [message lines])."""
    groups: list[tuple[str, str, list[str]]] = []
    lines = message.get_content().splitlines()
    for n, line in enumerate(lines):
        if line.startswith("■ "):
            groups.append((line, lines[n + 1], []))
        elif line.startswith("  · "):
            groups[-1][2].append(line.removeprefix("  · "))
    return groups


def _expected_digest(ids, groups) -> list[tuple[str, str, list[str]]]:
    return [(f"■ {PROJECTS[key][0]}（2026 年度，{UNIT}）", f"  {BASE}/projects/{ids[key]}",
             [f"[{kind}] {title}（{when}）" for kind, title, when in notes])
            for key, notes in groups]  # fmt: skip


def _immediate(entries) -> list[str]:
    return [f"【绩效管理】{title}（{PROJECTS[key][0]}）" for key, title in entries]


def test_a_week_of_digests_and_per_item_mail(db, week, start_server, mailbox):  # noqa: F811
    ids = week
    smtp = start_server(mailbox)
    received = _simulate(db, smtp, mailbox, ids)

    for day, messages in received.items():
        to_d = [m for m in messages if m["To"] == D_MAIL]
        digests = [m for m in to_d if "消息汇总" in m["Subject"]]
        expected = DIGESTS.get(day)
        assert len(digests) == (1 if expected else 0), day  # never two a day, none without news
        if expected:
            [digest] = digests
            count = sum(len(notes) for _, notes in expected)
            assert digest["Subject"] == f"【绩效管理】6月{day.day}日消息汇总：{count} 条新消息"
            assert parsedate_to_datetime(digest["Date"]) == _mornings(day)[0]
            assert _digest(digest) == _expected_digest(ids, expected), day
        todos = [m for m in to_d if m not in digests]
        assert [m["Subject"] for m in todos] == _immediate(D_TODOS.get(day, [])), day
        assert all(parsedate_to_datetime(m["Date"]) == _at(day, 14, 1) for m in todos)
        to_e = [m["Subject"] for m in messages if m["To"] == E_MAIL]
        assert to_e == _immediate(E_MAILS.get(day, [])), day
        assert {m["To"] for m in messages} <= {D_MAIL, E_MAIL}  # the head's mail is off
    assert received[SUN] == []  # D's 通知 waits for Monday; R has no address
    assert sum(len(m) for m in received.values()) == 6 + 2 + 11

    with db.session() as s:
        notes = s.scalars(select(Notification).order_by(Notification.id)).all()
        names = {p.id: p.name for p in s.scalars(select(Project))}
        statuses = s.scalars(select(OutboundEmail.status)).all()
    assert [n.title for n in notes if n.mail_pending] == []
    assert statuses == ["sent"] * 19
    of = {key: [n for n in notes if n.user_id == ids[key]] for key in ("D", "E", "H", "R")}
    assert (len(of["D"]), len(of["E"]), len(of["H"]), len(of["R"])) == (14, 11, 6, 2)

    # Every 通知 and 提醒 of D in exactly one digest; no 待办 in any.
    lines = Counter(
        line for m in mailbox.messages() if "消息汇总" in m["Subject"]
        for _, _, group in _digest(m) for line in group
    )  # fmt: skip
    listed = Counter(
        f"[{n.kind_label}] {n.title}（{n.created_at.astimezone(CHINA):%m-%d %H:%M}）"
        for n in of["D"] if n.kind != "todo"
    )  # fmt: skip
    assert lines == listed and sum(listed.values()) == 12
    todo_titles = {n.title for n in of["D"] if n.kind == "todo"}
    assert todo_titles == {REVISE, REVISE_EVAL}
    assert not any(title in line for title in todo_titles for line in lines)

    # E: one email per message, each of them, and never a digest.
    to_e = Counter(m["Subject"] for m in mailbox.messages() if m["To"] == E_MAIL)
    assert to_e == Counter(f"【绩效管理】{n.title}（{names[n.project_id]}）" for n in of["E"])
    assert not any("消息汇总" in subject for subject in to_e)
