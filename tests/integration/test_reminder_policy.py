"""Reminders stop when they ask nothing of anyone, and back off when nobody answers: over four
simulated years, a payment left unrecorded is reminded weekly for a month, then monthly, until
the project is archived, and never after; its 质保金 release keeps being reminded after the
archive, monthly once overdue, for as long as it stays unrecorded. In 我的消息 each item shows
once, with its latest day count."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from workflow.clock import CHINA
from workflow.lifecycle.machine import get_lifecycle
from workflow.milestones.models import Milestone
from workflow.notify import operations as inbox
from workflow.notify.models import Notification, Reminder
from workflow.notify.reminders import ORDER, create_due_reminders, schedule
from workflow.org.models import Role
from workflow.projects.models import Project

SPEC = get_lifecycle().spec
ARCHIVED_ON = dt.date(2024, 3, 22)  # a Friday: the weekly run of that day comes first


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(8, 30), tzinfo=CHINA).astimezone(dt.UTC)


def _world(session, make):
    unit = make.unit()
    filler = make.user(Role.filler, unit=unit, name="李明")
    make.user(Role.unit_head, unit=unit, name="郁海成")
    project = make.project(unit, state="evaluating", creator=filler)
    project.year, project.milestones_confirmed_at = 2023, _at(dt.date(2023, 5, 4))
    payment = Milestone(project_id=project.id, position=0, kind="payment",
                        title="支付剩余合同款项", due=dt.date(2023, 6, 30))  # fmt: skip
    final = Milestone(project_id=project.id, position=1, kind="acceptance", title="终验",
                      due=dt.date(2023, 10, 9), actual_date=dt.date(2023, 10, 9))  # fmt: skip
    warranty = Milestone(project_id=project.id, position=2, kind="warranty_release",
                         title="剩余5%质保金于终验起算1年后支付", anchor=final,
                         offset_years=1)  # fmt: skip
    session.add_all([payment, final, warranty])
    session.commit()
    return project, filler, payment, warranty


def _run_weekly(db, project_id, first: dt.date, last: dt.date) -> None:
    """The scheduler on every seventh day: each run catches up the six days before it, so the
    reminders are those of a daily run. The project is archived after the run of ARCHIVED_ON."""
    day = first
    while day <= last:
        with db.session(write=True) as s:
            create_due_reminders(s, SPEC, today=day, now=_at(day), base_url="http://jixiao")
            if day == ARCHIVED_ON:
                s.get(Project, project_id).state = "archived"
            s.commit()
        day += dt.timedelta(days=7)


def test_reminders_stop_at_the_archive_but_the_warranty_release_backs_off_for_years(
    db, session, make
):
    project, filler, payment, warranty = _world(session, make)
    _run_weekly(db, project.id, dt.date(2023, 5, 5), dt.date(2027, 10, 29))
    with db.session() as s:
        rows = s.execute(
            select(Reminder.milestone_id, Reminder.kind, Reminder.remind_on)
            .order_by(Reminder.remind_on, Reminder.id)
        ).all()  # fmt: skip
    paid = [(kind, day.isoformat()) for m, kind, day in rows if m == payment.id]
    assert paid == [
        ("before", "2023-05-31"),
        ("before", "2023-06-21"),  # 06-23 falls in the 端午 holiday (06-22 … 06-24)
        ("before", "2023-06-29"),
        ("due", "2023-06-30"),
        ("overdue", "2023-07-07"),  # weekly for the first month …
        ("overdue", "2023-07-14"),
        ("escalation", "2023-07-14"),  # 14 days: the 单位负责人 is told too
        ("overdue", "2023-07-21"),
        ("overdue", "2023-07-28"),
        ("overdue", "2023-08-30"),  # … then monthly
        # 09-30 is in the 中秋·国庆 holiday: a reminder of what was missed goes out on the
        # next working day (never before the day it speaks of), here a 调休 Saturday
        ("overdue", "2023-10-07"),
        ("overdue", "2023-10-30"),
        ("overdue", "2023-11-30"),
        ("overdue", "2024-01-02"),  # 12-30 is a Saturday, 01-01 New Year's Day
        ("overdue", "2024-01-30"),
        ("overdue", "2024-02-29"),
        # archived on 2024-03-22: an unrecorded payment asks nothing of anyone any more
    ]
    kept = [(kind, day) for m, kind, day in rows if m == warranty.id]
    assert [k for k, _ in kept[:4]] == ["before", "before", "before", "due"]
    assert kept[3][1] == dt.date(2024, 10, 9)  # 1 year after 终验, months after the archive
    overdue = [day for kind, day in kept if kind == "overdue"]
    gaps = [(b - a).days for a, b in zip(overdue, overdue[1:], strict=False)]
    assert all(5 <= g <= 9 for g in gaps[:3])  # weekly (a holiday may move one a little)
    assert all(26 <= g <= 34 for g in gaps[3:])  # monthly for three years, not weekly
    assert len(overdue) == 4 + 35  # 4 weekly, then one a month from the 2nd to the 36th month
    assert overdue[-1] <= dt.date(2027, 10, 29) and ("escalation", dt.date(2024, 10, 23)) in kept

    # 我的消息: one line per item, with its latest day count.
    with db.session() as s:
        groups = inbox.inbox(s, s.get(type(filler), filler.id), SPEC).groups
        titles = [n.title for g in groups for n in g.notes]
        total = s.scalar(select(func.count()).select_from(Notification))
    assert len(titles) == 3 and total > 60  # of 64 messages, 3 lines
    assert any(t.endswith("支付剩余合同款项，已逾期244天") for t in titles)  # 2024-02-29
    assert "以下事项即将到期，请提前安排：提交绩效自评，9天后到期" in titles  # then archived
    # 2027-10-09, three years overdue, is a Saturday: reminded on Monday 10-11
    assert any("剩余5%质保金" in t and t.endswith("已逾期1097天") for t in titles)


def test_an_unrecorded_final_acceptance_is_still_reminded_after_the_archive(db, session, make):
    """The release is counted from 终验: while 终验 has no date, neither has the release, so the
    unit keeps being reminded of 终验 after the archive (and of nothing else)."""
    unit = make.unit()
    filler = make.user(Role.filler, unit=unit)
    project = make.project(unit, state="archived", creator=filler)
    project.year, project.milestones_confirmed_at = 2023, _at(dt.date(2023, 5, 4))
    final = Milestone(project_id=project.id, position=0, kind="acceptance", title="终验",
                      due=dt.date(2024, 1, 31))  # fmt: skip
    session.add_all([
        final,
        Milestone(project_id=project.id, position=1, kind="payment", title="支付尾款",
                  due=dt.date(2024, 1, 31)),
        Milestone(project_id=project.id, position=2, kind="warranty_release", title="质保金",
                  anchor=final, offset_years=2),
    ])  # fmt: skip
    session.commit()
    day = dt.date(2024, 1, 5)
    while day <= dt.date(2024, 4, 30):
        with db.session(write=True) as s:
            create_due_reminders(s, SPEC, today=day, now=_at(day), base_url="http://jixiao")
            s.commit()
        day += dt.timedelta(days=7)
    with db.session() as s:
        reminded = s.execute(select(Reminder.milestone_id, Reminder.kind, Reminder.remind_on)
                             .order_by(Reminder.remind_on)).all()  # fmt: skip
    assert {m for m, _, _ in reminded} == {final.id}  # not the payment; the release is undated
    assert [(k, d.isoformat()) for _, k, d in reminded if k == "overdue"] == [
        ("overdue", "2024-02-07"),
        ("overdue", "2024-02-18"),  # 02-14 is in the 春节 holiday; Sunday 02-18 is worked
        ("overdue", "2024-02-21"), ("overdue", "2024-02-28"),
        ("overdue", "2024-04-01"),  # then monthly: 03-31 is a Sunday
    ]  # fmt: skip


def test_a_reminder_asks_before_the_day_off_and_reports_after_it():
    """A deadline on a Sunday is announced on Friday as two days ahead; a reminder of what was
    missed is never sent on or before the deadline it speaks of, and within a day the item's
    reminders are in the order they say things (the last one is the one 我的消息 keeps)."""
    sunday = dt.date(2026, 3, 8)
    days = schedule(sunday, SPEC.reminders, dt.date(2026, 4, 30))
    assert ("due", dt.date(2026, 3, 6)) in days
    holiday = dt.date(2025, 9, 30)  # +7 falls in the 国庆 holiday (10-01 … 10-08)
    late = schedule(holiday, SPEC.reminders, dt.date(2025, 12, 31))
    assert ("overdue", dt.date(2025, 10, 9)) in late
    assert all(day > holiday for kind, day in late if kind in ("overdue", "escalation"))
    assert late == sorted(late, key=lambda kd: (kd[1], ORDER[kd[0]]))


def test_the_message_says_what_the_day_it_is_sent_means(db, session, make):
    unit = make.unit()
    make.user(Role.filler, unit=unit)
    project = make.project(unit, state="implementing", creator=make.user(Role.filler, unit=unit))
    project.milestones_confirmed_at = _at(dt.date(2026, 1, 5))
    session.add(Milestone(project_id=project.id, position=0, kind="payment", title="支付启动款",
                          due=dt.date(2026, 3, 8)))  # fmt: skip
    session.commit()
    with db.session(write=True) as s:  # Friday before the Sunday deadline
        friday = dt.date(2026, 3, 6)
        create_due_reminders(s, SPEC, today=friday, now=_at(friday), base_url="http://jixiao")
        s.commit()
    note = session.scalars(select(Notification).order_by(Notification.id.desc())).first()
    assert note.title == "以下事项即将到期，请提前安排：付款：支付启动款，2天后到期"
    assert "距截止还有 2 天" in note.body and "截止日期：2026年3月8日" in note.body
