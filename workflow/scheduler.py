"""The scheduler process (`jixiao scheduler`): a few fixed jobs, each idempotent. Never started
inside the web app: every web worker would run every job (flask-apscheduler#230)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from workflow.clock import CHINA, Clock
from workflow.db import Database
from workflow.lifecycle.spec import LifecycleSpec
from workflow.notify.digest import send_digests
from workflow.notify.mailer import DrainResult, SmtpSettings, drain_outbox
from workflow.notify.reminders import create_due_reminders

log = logging.getLogger(__name__)


@dataclass
class Jobs:
    """What the jobs need: the database, the clock, the lifecycle (its reminder policy and which
    states have ended), SMTP (None: mail stays queued) and the site's address for links."""

    db: Database
    clock: Clock
    spec: LifecycleSpec
    smtp: SmtpSettings | None
    base_url: str

    def reminders(self) -> int:
        """Create today's reminders (and catch up the days a stopped scheduler missed), then
        send each user's digest of what was not mailed yet, today's reminders included."""
        with self.db.session(write=True) as session:
            created = create_due_reminders(
                session,
                self.spec,
                today=self.clock.today(),
                now=self.clock.now(),
                base_url=self.base_url,
            )
            session.commit()
        digests = send_digests(self.db, self.spec, now=self.clock.now(), base_url=self.base_url)
        log.info("reminders: %d new; digests: %d", created, digests)
        return created

    def outbox(self) -> DrainResult | None:
        """Send what is queued; without SMTP settings, mail waits in the outbox (admin page)."""
        if self.smtp is None:
            return None
        return drain_outbox(self.db, self.smtp, now=self.clock.now())


def build(jobs: Jobs) -> BlockingScheduler:
    hour, minute = (int(x) for x in jobs.spec.reminders.send_time.split(":"))
    scheduler = BlockingScheduler(
        timezone=CHINA,
        # A job late by seconds must still run (apscheduler#292); a run missed by hours is
        # coalesced into one, and the reminders job catches up from the database anyway.
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 6 * 3600},
    )
    scheduler.add_job(
        jobs.reminders, CronTrigger(hour=hour, minute=minute, timezone=CHINA), id="reminders"
    )
    scheduler.add_job(jobs.outbox, IntervalTrigger(minutes=1), id="outbox")
    return scheduler


def run(jobs: Jobs) -> None:
    """Catch up at start, then run until stopped."""
    jobs.reminders()
    jobs.outbox()
    build(jobs).start()
