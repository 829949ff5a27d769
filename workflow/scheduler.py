"""The scheduler process (`jixiao scheduler`): a few fixed jobs, each idempotent. Never started
inside the web app: every web worker would run every job (flask-apscheduler#230). Besides the
reminders and the outbox it makes the PDFs the pages queue (workflow/exports/documents.py)."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import func, select

from workflow.audit import checkpoints
from workflow.audit.algorithms import configured_alg
from workflow.audit.models import AuditVerification
from workflow.clock import CHINA, Clock
from workflow.db import Database
from workflow.exports.documents import RenderRun, lower_priority, render_pending
from workflow.exports.pdf import RENDER_SECONDS
from workflow.lifecycle.spec import LifecycleSpec
from workflow.notify.digest import send_digests
from workflow.notify.escalation import escalate
from workflow.notify.mailer import DrainResult, SmtpSettings, drain_outbox
from workflow.notify.reminders import create_due_reminders
from workflow.org import policy, sessions
from workflow.org.duties import CHECK_EVERY
from workflow.uow import UnitOfWork

log = logging.getLogger(__name__)
PDF_INTERVAL = 2  # seconds between looks at the PDF queue (the waiting page asks every 2 s)


@dataclass
class Jobs:
    """What the jobs need: the database, the clock, the lifecycle (its reminder policy and which
    states have ended), SMTP (None: mail stays queued) and the site's address for links."""

    db: Database
    clock: Clock
    spec: LifecycleSpec
    smtp: SmtpSettings | None
    base_url: str
    session_policy: sessions.SessionPolicy = field(default_factory=sessions.SessionPolicy)
    login_log_days: int = sessions.LOGIN_LOG_DAYS
    checkpoint_path: Path = field(default_factory=checkpoints.checkpoint_file)
    render_seconds: int = RENDER_SECONDS  # one PDF's time limit
    _rendering: threading.Lock = field(default_factory=threading.Lock, repr=False)

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
            late = escalate(session, self.spec, today=self.clock.today(), now=self.clock.now(),
                            base_url=self.base_url)  # fmt: skip
            session.commit()
        digests = send_digests(self.db, self.spec, now=self.clock.now(), base_url=self.base_url)
        log.info("reminders: %d new; steps past their time limit: %d; digests: %d", created,
                 late, digests)  # fmt: skip
        return created

    def housekeeping(self) -> int:
        """Daily: delete sessions over for a day and login-log lines older than kept (the
        session times as the 安全管理员 set them, else the server's)."""
        with self.db.session(write=True) as session:
            configured = policy.SecurityPolicy(
                session_idle_minutes=int(self.session_policy.idle.total_seconds() // 60),
                session_max_hours=int(self.session_policy.absolute.total_seconds() // 3600),
            )
            deleted = sessions.prune(
                UnitOfWork(session), policy.current(session, configured).session,
                now=self.clock.now(), keep_days=self.login_log_days,
            )  # fmt: skip
        log.info("housekeeping: %d old sessions and login-log lines deleted", deleted)
        return deleted

    def checkpoint_due(self) -> bool:
        """Whether the daily chain check has not run for a day (a stopped scheduler)."""
        with self.db.session() as session:
            last = session.scalar(select(func.max(AuditVerification.at)))
        return last is None or self.clock.now() - last > CHECK_EVERY

    def checkpoint(self):
        """Daily: check the whole audit chain; if it holds, anchor its head outside the
        database (file and mail to the auditors); if not, tell them. Kept for their page."""
        with self.db.session(write=True) as session:
            kept = checkpoints.check_and_record(
                session, self.checkpoint_path, now=self.clock.now(), source="scheduler"
            )
            log.info("audit check: ok=%s, %d events, checkpoint %s", kept.ok, kept.checked,
                     kept.head_seq)  # fmt: skip
        return kept

    def outbox(self) -> DrainResult | None:
        """Send what is queued; without SMTP settings, mail waits in the outbox (admin page)."""
        if self.smtp is None:
            return None
        return drain_outbox(self.db, self.smtp, now=self.clock.now())

    def pdfs(self) -> RenderRun | None:
        """Make the PDFs the pages asked for, at a lower CPU priority than the web workers.
        A run still busy when the next one is due lets it go (None) instead of queueing it."""
        if not self._rendering.acquire(blocking=False):
            return None
        try:
            lower_priority()  # this thread's; the job runs in APScheduler's thread pool
            run = render_pending(self.db, self.clock, seconds=self.render_seconds)
        finally:
            self._rendering.release()
        if run.made or run.failed:
            log.info("pdfs: %d made, %d failed", run.made, run.failed)
        return run


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
    scheduler.add_job(
        jobs.housekeeping, CronTrigger(hour=3, minute=30, timezone=CHINA), id="housekeeping"
    )
    scheduler.add_job(
        jobs.checkpoint, CronTrigger(hour=2, minute=30, timezone=CHINA), id="checkpoint"
    )
    # Every 2 s: a PDF is waited for on a page. A render can outlast the interval: a second
    # instance may start and returns at once (Jobs.pdfs), where max_instances=1 would log a
    # warning for each skipped run.
    scheduler.add_job(jobs.pdfs, IntervalTrigger(seconds=PDF_INTERVAL), id="pdfs", max_instances=2)
    return scheduler


def catch_up(jobs: Jobs) -> None:
    """What a scheduler does when it starts: today's reminders (and the days a stopped
    scheduler missed) with their digests, the daily clean-up, the audit chain's check if a
    day has passed without one, then the outbox."""
    # WeasyPrint logs each page it lays out and each screen-only rule of the site's CSS it
    # skips: a dozen lines per PDF, every time. Its errors still show; the PDFs' text is tested.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    configured_alg()  # AUDIT_HASH: unknown, or sm3 without SM3 here, stops the start
    jobs.reminders()
    jobs.housekeeping()
    if jobs.checkpoint_due():
        jobs.checkpoint()
    jobs.outbox()


def run(jobs: Jobs) -> None:
    """Catch up at start, then run until stopped."""
    catch_up(jobs)
    build(jobs).start()
