"""The daily reminder run at a province's scale: it reads only the milestones whose deadline can
give a reminder on the days it runs, and writes reminders, messages and emails in batches, so
its SQL statements do not grow with the number of items due nor with the milestones that are
not; a run repeated, or two at once, still remind once."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from tests.integration.test_reminders import _twice_at_once
from tests.web.conftest import StatementCounter
from workflow.clock import CHINA, FixedClock
from workflow.lifecycle.machine import get_lifecycle
from workflow.milestones.models import Milestone
from workflow.notify.models import Notification, OutboundEmail, Reminder
from workflow.notify.reminders import create_due_reminders, reminded_deadlines, targets
from workflow.org.models import Role
from workflow.scheduler import Jobs

SPEC = get_lifecycle().spec
TODAY = dt.date(2026, 5, 13)  # a Wednesday, a week after the 劳动节 holiday
DUE = TODAY + dt.timedelta(days=7)  # reminded today: 7 days before


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(8, 30), tzinfo=CHINA).astimezone(dt.UTC)


@pytest.fixture
def world(session, make):
    """A unit with two 填报人 (one mailed each message, one a daily digest) and a head; `add`
    gives it `due` milestones reminded today (half of them 质保金 releases counted from a
    recorded 终验) and `idle` that are not: due months ahead, done, or waiting for an anchor;
    and `readers` more 填报人 with a daily digest."""
    unit = make.unit()
    each, digest = make.user(Role.filler, unit=unit), make.user(Role.filler, unit=unit)
    each.email, each.email_mode = "each@example.cn", "each"
    digest.email = "digest@example.cn"
    make.user(Role.unit_head, unit=unit)
    session.commit()

    def project():
        made = make.project(unit, state="implementing", creator=each)
        made.milestones_confirmed_at = _at(TODAY - dt.timedelta(days=60))
        return made

    def add(due: int, idle: int = 0, readers: int = 0) -> None:
        for n in range(readers):  # more 填报人 with a daily digest
            make.user(Role.filler, unit=unit).email = f"reader{n}.{due}@example.cn"
        rows, host = [], None
        for i in range(due):
            if i % 5 == 0:
                host = project()
            if i % 2:
                rows.append(Milestone(project_id=host.id, position=i, kind="payment",
                                      title=f"付款{i}", due=DUE))  # fmt: skip
                continue
            final = Milestone(project_id=host.id, position=i, kind="acceptance", title="终验",
                              due=DUE.replace(year=DUE.year - 1),
                              actual_date=DUE.replace(year=DUE.year - 1))  # fmt: skip
            rows += [final, Milestone(project_id=host.id, position=1000 + i, anchor=final,
                                      kind="warranty_release", title=f"质保金{i}",
                                      offset_years=1)]  # fmt: skip
        idle_host = project()
        for i in range(idle):
            ahead = DUE + dt.timedelta(days=40 + i % 50)
            rows.append(Milestone(project_id=idle_host.id, position=i, kind="payment",
                                  title=f"远期付款{i}", due=ahead,
                                  actual_date=TODAY if i % 3 == 0 else None))  # fmt: skip
            if i % 4 == 0:  # counted from an acceptance not done yet: no date to remind of
                anchor = rows[-1] if rows[-1].actual_date is None else None
                rows.append(Milestone(project_id=idle_host.id, position=10000 + i, anchor=anchor,
                                      kind="warranty_release", title=f"待定质保金{i}",
                                      offset_years=2))  # fmt: skip
        session.add_all(rows)
        session.commit()

    return add


def _run(db, day: dt.date = TODAY) -> int:
    with db.session(write=True) as s:
        created = create_due_reminders(s, SPEC, today=day, now=_at(day), base_url="http://jx")
        s.commit()
    return created


def _counted(db, job) -> tuple[int, object]:
    with StatementCounter(db) as counter:
        result = job()
    return counter.count, result


def test_the_run_takes_as_many_statements_for_fifty_items_due_as_for_five(db, world):
    counts = []
    for due, idle in ((5, 0), (50, 0), (5, 400)):
        world(due, idle)
        count, created = _counted(db, lambda: _run(db))
        assert created == due  # the earlier rounds' are reminded already: not again
        counts.append(count)
    assert counts[0] == counts[1] == counts[2], counts
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Reminder)) == 60
        # each 填报人 one message per reminder; the one who wants every message, an email each
        assert s.scalar(select(func.count()).select_from(Notification)) == 120
        assert s.scalar(select(func.count()).select_from(OutboundEmail)) == 60


def test_the_morning_job_takes_as_many_statements_for_fifty_items_and_seven_digests(db, world):
    """The reminders, then the digests: of five items for one reader, then of fifty for seven."""
    counts = []
    for n, readers, day in ((5, 0, TODAY), (50, 6, TODAY + dt.timedelta(days=1))):
        world(n, readers=readers)
        jobs = Jobs(db=db, clock=FixedClock(_at(day)), spec=SPEC, smtp=None, base_url="http://jx")
        # the second morning also catches up the first: its reminders exist and stay one each
        count, created = _counted(db, jobs.reminders)
        assert created == n
        counts.append(count)
    assert counts[0] == counts[1], counts
    with db.session() as s:
        to_digest = OutboundEmail.to_addr == "digest@example.cn"
        digests = s.scalars(
            select(OutboundEmail.subject).where(to_digest).order_by(OutboundEmail.id)
        ).all()
    assert all(d.endswith(f"{n} 条新消息") for d, n in zip(digests, (5, 50), strict=True))
    with db.session() as s:
        digests = s.scalar(select(func.count()).where(OutboundEmail.dedupe_key.like("digest:%")))
        assert digests == 1 + 7
        assert not s.scalar(select(func.count()).where(Notification.mail_pending))


def test_the_run_reads_only_the_milestones_due(db, world):
    world(5, 400)
    since = TODAY - dt.timedelta(days=SPEC.reminders.lookback_days)
    ranges = reminded_deadlines(SPEC.reminders, since, TODAY, TODAY - dt.timedelta(days=800))
    with db.session() as s:
        found = targets(s, SPEC, ranges)
    assert sorted(t.title for t in found) == sorted(
        ["付款：付款1", "付款：付款3", "质保金支付：质保金0", "质保金支付：质保金2",
         "质保金支付：质保金4"]
    )  # fmt: skip


def test_a_repeated_run_reminds_once(db, world):
    world(12, 30)
    assert _run(db) == 12
    with db.session() as s:
        notes = s.scalar(select(func.count()).select_from(Notification))
    assert _run(db) == 0
    assert _run(db, TODAY + dt.timedelta(days=1)) == 0  # the next day: nothing new is due
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Notification)) == notes == 24


def test_two_runs_at_once_remind_once(db, world):
    world(30, 30)
    _twice_at_once(lambda: _run(db))
    with db.session() as s:
        keys = s.scalars(select(Reminder.key)).all()
        topics = s.execute(select(Notification.user_id, Notification.topic)).all()
        mails = s.scalars(select(OutboundEmail.dedupe_key)).all()
    assert len(keys) == len(set(keys)) == 30
    assert len(topics) == len(set(topics)) == 60
    assert len(mails) == len(set(mails)) == 30
