"""Reminders over simulated years: the seed 001 payment plan from approval to the 质保金 release
three years after 终验, run day by day with a fixed clock, gives exactly the expected reminders
on the expected days (weekends, statutory holidays and 调休 respected), and no more."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

from sqlalchemy import func, select

from tests.integration.test_mailer import mailbox, start_server  # noqa: F401 - fixtures
from tests.integration.test_milestones import approved  # noqa: F401 - a fixture
from workflow.clock import CHINA, FixedClock
from workflow.evaluation.checks import fund_items_of, indicators_of
from workflow.evaluation.models import SelfEvaluation
from workflow.lifecycle.machine import get_lifecycle
from workflow.lifecycle.operations import fire
from workflow.milestones import operations as ops
from workflow.notify.models import Notification, OutboundEmail, Reminder
from workflow.notify.reminders import create_due_reminders, schedule
from workflow.org.models import User
from workflow.projects.models import Project
from workflow.scheduler import Jobs
from workflow.uow import UnitOfWork
from workflow.workdays import on_or_before_workday

SPEC = get_lifecycle().spec
POLICY = SPEC.reminders


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(8, 30), tzinfo=CHINA).astimezone(dt.UTC)


def test_a_deadline_on_a_day_off_is_reminded_the_working_day_before():
    assert on_or_before_workday(dt.date(2020, 10, 1)) == dt.date(2020, 9, 30)  # National Day
    assert on_or_before_workday(dt.date(2020, 10, 8)) == dt.date(2020, 9, 30)  # still the holiday
    assert on_or_before_workday(dt.date(2020, 9, 27)) == dt.date(2020, 9, 27)  # a 调休 Sunday
    assert on_or_before_workday(dt.date(2023, 12, 17)) == dt.date(2023, 12, 15)  # a Sunday
    assert schedule(dt.date(2023, 12, 15), POLICY, dt.date(2023, 12, 15)) == [
        ("before", dt.date(2023, 11, 15)),
        ("before", dt.date(2023, 12, 8)),
        ("before", dt.date(2023, 12, 14)),
        ("due", dt.date(2023, 12, 15)),
    ]


# (kind, reminder day, deadline, what) for the simulated years below, worked out by hand.
PAY, CHECK, FINAL = "付款：支付项目启动款", "验收：项目完成初步验收", "验收：终验"
REST, P95 = "付款：支付剩余合同款项", "付款：完成项目款项支付进度的95%"
WARRANTY, EVAL = "质保金支付：剩余5%质保金于终验起算3年后支付", "提交绩效自评"
EXPECTED = [
    # The 2019 招标 happened before confirmation: recorded at once, never reminded.
    ("before", "2020-02-28", "2020-03-31", PAY),  # 30 days before is Sunday 03-01
    ("before", "2020-03-24", "2020-03-31", PAY),
    ("before", "2020-03-30", "2020-03-31", PAY),
    ("due", "2020-03-31", "2020-03-31", PAY),
    ("before", "2020-05-29", "2020-06-30", CHECK),  # 05-31 is a Sunday
    ("before", "2020-05-29", "2020-06-30", REST),
    ("before", "2020-06-23", "2020-06-30", CHECK),
    ("before", "2020-06-23", "2020-06-30", REST),
    ("before", "2020-06-29", "2020-06-30", CHECK),
    ("before", "2020-06-29", "2020-06-30", REST),
    ("due", "2020-06-30", "2020-06-30", CHECK),
    ("due", "2020-06-30", "2020-06-30", REST),
    ("before", "2020-09-04", "2020-10-05", FINAL),  # 09-05 is a Saturday
    ("before", "2020-09-28", "2020-10-05", FINAL),
    ("before", "2020-09-30", "2020-10-05", FINAL),  # 10-04: National Day holiday
    ("due", "2020-09-30", "2020-10-05", FINAL),  # 10-05: still the holiday
    ("before", "2021-03-01", "2021-03-31", P95),
    ("before", "2021-03-01", "2021-03-31", EVAL),
    ("before", "2021-03-24", "2021-03-31", P95),
    ("before", "2021-03-24", "2021-03-31", EVAL),  # signed that day: no more after it
    ("before", "2021-03-30", "2021-03-31", P95),
    ("due", "2021-03-31", "2021-03-31", P95),
    ("overdue", "2021-04-07", "2021-03-31", P95),
    ("overdue", "2021-04-14", "2021-03-31", P95),
    ("escalation", "2021-04-14", "2021-03-31", P95),  # 14 days: the 单位负责人 too
    ("overdue", "2021-04-21", "2021-03-31", P95),  # recorded later that day
    # 终验 was recorded on 2020-10-09, so the 质保金 falls due on 2023-10-09, 3 years later.
    ("before", "2023-09-08", "2023-10-09", WARRANTY),  # 09-09 is a Saturday
    ("before", "2023-09-28", "2023-10-09", WARRANTY),  # 10-02: National Day holiday
    ("before", "2023-10-08", "2023-10-09", WARRANTY),  # a Sunday, but a 调休 working day
    ("due", "2023-10-09", "2023-10-09", WARRANTY),
]


def _simulate(db, project_id, filler_id, head_id):
    """From approval to after the 质保金 release, one day at a time: the unit records each
    milestone on its due day (after that morning's reminders), except the 95 % payment, which
    is three weeks late; the self-evaluation is handed in before its 3月31日 deadline."""
    actuals = {  # row -> (day it is recorded, actual date)
        0: ("2020-01-06", "2019-12-20"), 1: ("2020-03-31", "2020-03-31"),
        2: ("2020-06-30", "2020-06-30"), 3: ("2020-06-30", "2020-06-30"),
        4: ("2021-04-21", "2021-04-21"), 6: ("2020-10-09", "2020-10-09"),
        5: ("2023-10-09", "2023-10-09"),
    }  # fmt: skip
    steps = {"2020-01-06": "start_implementation", "2021-01-05": "begin_evaluation",
             "2021-03-19": "submit_evaluation", "2021-03-24": "sign_evaluation"}  # fmt: skip

    busy = {recorded for recorded, _ in actuals.values()} | set(steps)

    def on_day(day: dt.date) -> None:
        if day.isoformat() not in busy:
            return  # the unit did nothing that day: the scheduler's run alone
        with db.session(write=True) as s:
            p = s.get(Project, project_id)
            milestones = ops.milestones_of(s, p)
            filler, head = s.get(User, filler_id), s.get(User, head_id)
            for row, (recorded, actual) in actuals.items():
                if day.isoformat() == recorded:
                    ops.record_actual(UnitOfWork(s), p, milestones[row], {"actual_date": actual},
                                      actor=filler, now=_at(day))  # fmt: skip
            trigger = steps.get(day.isoformat())
            if trigger == "submit_evaluation":
                for field in ("implementation", "management_results", "problems", "suggestions"):
                    setattr(s.get(SelfEvaluation, p.id), field, "已完成")
                for indicator in indicators_of(s, p):
                    indicator.actual = "完成"
                evaluation = s.get(SelfEvaluation, p.id)
                for key in ("budget_initial", "appropriated", "paid"):
                    setattr(evaluation, key, Decimal(350))
                for item in fund_items_of(s, p):
                    item.actual = Decimal(175)
                s.commit()
            if trigger:
                actor = head if trigger == "sign_evaluation" else filler
                fire(UnitOfWork(s), p, trigger, actor=actor, now=_at(day))

    _run_days(db, dt.date(2020, 1, 6), dt.date(2024, 1, 31), on_day)


def _run_days(db, first: dt.date, last: dt.date, on_day) -> None:
    day = first
    while day <= last:
        with db.session(write=True) as s:
            create_due_reminders(s, SPEC, today=day, now=_at(day), base_url="http://jixiao")
            s.commit()
        on_day(day)
        day += dt.timedelta(days=1)


def _twice_at_once(job) -> None:
    """Run `job` in two threads released together, as two scheduler processes would run."""
    barrier = threading.Barrier(2)

    def run():
        barrier.wait()
        job()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)


def test_two_schedulers_over_the_same_days_remind_once(db, database_url, approved):  # noqa: F811
    project, filler, _ = approved
    _confirm(db, project, filler)
    _twice_at_once(
        lambda: _run_days(db, dt.date(2020, 2, 20), dt.date(2020, 4, 10), lambda d: None)
    )
    with db.session() as s:
        keys = s.scalars(select(Reminder.key)).all()
        assert len(keys) == len(set(keys)) > 0
        notes = s.scalar(select(func.count()).where(Notification.kind == "reminder"))
        mails = s.scalar(select(func.count()).select_from(OutboundEmail))
        assert notes == len(keys)  # one filler in the unit: one notification per reminder
        assert mails == 0  # the filler has no email address: in-app only


def _confirm(db, project, filler):
    with db.session(write=True) as s:
        p, u = s.get(Project, project.id), s.get(User, filler.id)
        rows = ops.to_rows(ops.milestones_of(s, p))
        rows[6]["due"] = "2020-10-05"
        now = _at(dt.date(2020, 1, 6))
        ops.save_milestones(UnitOfWork(s), p, rows, actor=u, now=now, expected_version=None)
        ops.confirm(UnitOfWork(s), p, actor=u, now=now)


def test_simulated_years_give_exactly_the_expected_reminders(db, session, approved):  # noqa: F811
    project, filler, head = approved
    filler.email, filler.email_mode = "li@example.cn", "each"
    session.commit()
    _confirm(db, project, filler)
    _simulate(db, project.id, filler.id, head.id)
    with db.session() as s:
        rows = s.execute(select(Reminder).order_by(Reminder.remind_on, Reminder.id)).scalars()
        titles = {
            m.id: f"{m.kind_label}：{m.title}"
            for m in ops.milestones_of(s, s.get(Project, project.id))
        }
        actual = [(r.kind, r.remind_on.isoformat(), r.deadline.isoformat(),
                   titles.get(r.milestone_id, "提交绩效自评")) for r in rows]  # fmt: skip
    assert actual == EXPECTED
    with db.session() as s:
        # One notification per reminder to the filler, plus the 单位负责人's for the escalation;
        # email only where there is an address (the filler's).
        reminded = s.scalars(select(Notification.id).where(Notification.kind == "reminder"))
        keys = {f"notification:{i}" for i in reminded}
        assert len(keys) == len(EXPECTED) + 1
        emails = s.scalars(select(OutboundEmail).where(OutboundEmail.dedupe_key.in_(keys))
                           .order_by(OutboundEmail.id)).all()  # fmt: skip
        assert len(emails) == len(EXPECTED) and {e.to_addr for e in emails} == {"li@example.cn"}
        last = emails[-1]
        assert "2023年10月9日" in last.body and "剩余5%质保金于终验起算3年后支付" in last.body
        assert f"http://jixiao/projects/{project.id}" in last.body
        assert last.subject.startswith("【绩效管理】以下事项今日到期")


def test_two_schedulers_email_each_reminder_once(db, session, approved, start_server, mailbox):  # noqa: F811
    """Two scheduler processes' jobs (reminders, then the outbox) run at once, day after day,
    against one database and a real SMTP server: each reminder email arrives exactly once."""
    project, filler, _ = approved
    filler.email, filler.email_mode = "li@example.cn", "each"
    session.commit()
    _confirm(db, project, filler)
    smtp = start_server(mailbox)

    def scheduler():
        for offset in range(40):  # 2020-02-20 … 2020-03-30
            day = dt.date(2020, 2, 20) + dt.timedelta(days=offset)
            jobs = Jobs(db=db, clock=FixedClock(_at(day)), spec=SPEC, smtp=smtp,
                        base_url="http://jixiao")  # fmt: skip
            jobs.reminders()
            jobs.outbox()

    _twice_at_once(scheduler)
    messages = mailbox.messages()
    # 启动款 30, 7 and 1 days before; the 2019 招标 (due 2019-12-31, never recorded) was
    # overdue weekly in January, and is now reminded monthly: 2 months after its deadline,
    # 02-29, a Saturday, so on the next working day, Monday 03-02.
    subjects = sorted(m["Subject"] for m in messages)
    assert len({m["Message-ID"] for m in messages}) == len(messages) == 4
    assert sum("支付项目启动款" in s for s in subjects) == 3
    overdue = [s for s in subjects if "招标" in s]
    assert len(overdue) == 1 and "已逾期62天" in overdue[0]
    assert {m["To"] for m in messages} == {"li@example.cn"}
    with db.session() as s:
        assert s.scalars(select(OutboundEmail.status)).all() == ["sent"] * 4


def test_the_scheduler_runs_its_fixed_jobs_that_never_skip_a_late_run(db):
    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    from workflow.scheduler import build

    jobs = Jobs(db=db, clock=FixedClock(_at(dt.date(2020, 1, 6))), spec=SPEC, smtp=None,
                base_url="http://jixiao")  # fmt: skip
    scheduler = build(jobs)
    assert {job.id for job in scheduler.get_jobs()} == {"reminders", "outbox", "pdfs",
                                                        "housekeeping", "checkpoint"}  # fmt: skip
    reminders = scheduler.get_job("reminders")
    assert isinstance(reminders.trigger, CronTrigger) and "hour='8'" in str(reminders.trigger)
    assert isinstance(scheduler.get_job("outbox").trigger, IntervalTrigger)
    assert isinstance(scheduler.get_job("pdfs").trigger, IntervalTrigger)
    assert scheduler._job_defaults["misfire_grace_time"] >= 3600  # apscheduler#292
    assert scheduler._job_defaults["coalesce"] and scheduler._job_defaults["max_instances"] == 1
    assert jobs.outbox() is None  # no SMTP: mail stays in the outbox


def test_warranty_reminders_keep_coming_after_the_archive(db, session, approved):  # noqa: F811
    project, filler, _ = approved
    _confirm(db, project, filler)
    with db.session(write=True) as s:
        p = s.get(Project, project.id)
        milestones = ops.milestones_of(s, p)
        ops.record_actual(UnitOfWork(s), p, milestones[6], {"actual_date": "2020-10-09"},
                          actor=s.get(User, filler.id), now=_at(dt.date(2020, 10, 9)))  # fmt: skip
        p.state = "archived"  # the cycle closed long before the release falls due
        s.commit()
    _run_days(db, dt.date(2023, 10, 9), dt.date(2023, 10, 9), lambda day: None)
    with db.session() as s:
        kinds = s.execute(select(Reminder.kind, Reminder.remind_on)
                          .where(Reminder.milestone_id == milestones[5].id)).all()  # fmt: skip
    assert ("due", dt.date(2023, 10, 9)) in kinds
