"""The email outbox against a real SMTP server (aiosmtpd on loopback) and a real database:
deduplication, delivery of Chinese mail, a server that is down, 4xx and 5xx replies, the admin's
retry, and two drainers at once."""

from __future__ import annotations

import asyncio
import datetime as dt
import email
import email.policy
import socket
import threading
from collections import Counter

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import insert, select

from workflow.notify.mailer import (
    GIVE_UP_AFTER,
    DrainResult,
    SmtpSettings,
    backoff,
    drain_outbox,
    queue_email,
    retry,
)
from workflow.notify.models import OutboundEmail

SENDER = "绩效管理系统 <jixiao@czj.example.cn>"
MINUTE = dt.timedelta(minutes=1)


class Mailbox:
    """An aiosmtpd handler that keeps what it accepts; set rcpt_reply or data_reply to refuse."""

    def __init__(self, *, delay: float = 0.0) -> None:
        self.envelopes: list = []
        self.rcpt_reply = "250 OK"
        self.data_reply = "250 OK"
        self.delay = delay  # a slow server keeps two drainers overlapping

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_reply.startswith("250"):
            envelope.rcpt_tos.append(address)
        return self.rcpt_reply

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)
        if self.data_reply.startswith("250"):
            self.envelopes.append(envelope)
        return self.data_reply

    def refuse(self, stage: str, reply: str) -> None:
        """Answer RCPT TO or DATA with `reply` ("250 OK" accepts again)."""
        setattr(self, f"{stage}_reply", reply)

    def messages(self) -> list[email.message.EmailMessage]:
        return [email.message_from_bytes(e.content, policy=email.policy.default)
                for e in self.envelopes]  # fmt: skip


def _free_port() -> int:
    # aiosmtpd cannot listen on port 0 (aiosmtpd#276): let the OS pick a port, then release it.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _settings(port: int) -> SmtpSettings:
    return SmtpSettings(host="127.0.0.1", port=port, sender=SENDER, timeout=5)


@pytest.fixture
def start_server():
    """start_server(handler, port) runs an SMTP server on 127.0.0.1 (never ::1, aiosmtpd#388);
    every server started is stopped at teardown."""
    controllers: list[Controller] = []

    def start(handler: Mailbox, port: int | None = None) -> SmtpSettings:
        controller = Controller(handler, hostname="127.0.0.1", port=port or _free_port())
        controller.start()
        controllers.append(controller)
        return _settings(controller.port)

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def mailbox() -> Mailbox:
    return Mailbox()


@pytest.fixture
def smtp(start_server, mailbox) -> SmtpSettings:
    return start_server(mailbox)


def _queue(session, clock, count: int, batch: str = "") -> list[tuple[str, str, str]]:
    """Queue `count` Chinese emails and commit; returns (to, subject, body) of each. A second
    `batch` queues other emails (other addresses, subjects and keys)."""
    sent = []
    for n in range(count):
        to = f"user{batch}{n}@jxj.example.cn"
        subject = f"【绩效管理】{batch}项目{n}：自评表将于3月6日截止"
        body = f"李明同志：\n您单位的“331+”消防安全监管平台项目{n}尚未提交自评表。\n"
        assert queue_email(session, dedupe_key=f"test:{batch}{n}", to_addr=to, subject=subject,
                           body=body, now=clock.now())  # fmt: skip
        sent.append((to, subject, body))
    session.commit()
    return sent


def _emails(db) -> list[OutboundEmail]:
    """The outbox as committed, read in a session of its own."""
    with db.session() as s:
        return list(s.scalars(select(OutboundEmail).order_by(OutboundEmail.id)))


def test_backoff_doubles_from_one_minute_and_stops_at_thirty_minutes():
    assert [backoff(n) for n in range(1, 6)] == [MINUTE * m for m in (1, 2, 4, 8, 16)]
    assert backoff(6) == backoff(1000) == 30 * MINUTE


def test_settings_from_env():
    assert SmtpSettings.from_env({}) is None
    assert SmtpSettings.from_env({"SMTP_HOST": " "}) is None
    env = {"SMTP_HOST": "smtp.example.cn", "SMTP_PORT": "587", "SMTP_USER": "jx",
           "SMTP_PASSWORD": "s3cret", "SMTP_STARTTLS": "true", "SMTP_FROM": SENDER,
           "SMTP_TIMEOUT": "2.5"}  # fmt: skip
    assert SmtpSettings.from_env(env) == SmtpSettings(
        host="smtp.example.cn", port=587, username="jx", password="s3cret", starttls=True,
        sender=SENDER, timeout=2.5,
    )  # fmt: skip
    assert "s3cret" not in repr(SmtpSettings.from_env(env))
    assert SmtpSettings.from_env({"SMTP_HOST": "h", "SMTP_SSL": "1"}).port == 465
    with pytest.raises(ValueError, match="SMTP_PORT"):
        SmtpSettings.from_env({"SMTP_HOST": "h", "SMTP_PORT": "smtp"})


def test_queue_email_twice_with_one_dedupe_key_keeps_one_row(db, session, clock):
    args = {"dedupe_key": "reminder:7:user:3", "to_addr": "a@jxj.example.cn", "body": "正文\n"}
    assert queue_email(session, subject="第一次", now=clock.now(), **args) is True
    session.commit()
    assert queue_email(session, subject="第二次", now=clock.now(), **args) is False
    session.commit()
    [row] = _emails(db)
    assert (row.subject, row.status, row.attempts) == ("第一次", "pending", 0)
    assert row.next_attempt_at == row.created_at == clock.now()


def test_queue_email_is_part_of_the_callers_transaction(db, session, clock):
    queue_email(session, dedupe_key="k", to_addr="a@jxj.example.cn", subject="主题", body="正文",
                now=clock.now())  # fmt: skip
    session.rollback()
    assert _emails(db) == []


def test_queued_chinese_emails_are_delivered_once(db, session, clock, smtp, mailbox):
    queued = _queue(session, clock, 3)
    assert drain_outbox(db, smtp, now=clock.now()) == DrainResult(sent=3)
    got = [(e.rcpt_tos, m["To"], m["Subject"], m.get_content())
           for e, m in zip(mailbox.envelopes, mailbox.messages(), strict=True)]  # fmt: skip
    assert got == [([to], to, subject, body) for to, subject, body in queued]
    assert {e.mail_from for e in mailbox.envelopes} == {"jixiao@czj.example.cn"}
    assert all(m["From"] == SENDER and m["Message-ID"] for m in mailbox.messages())
    assert [(r.status, r.sent_at, r.attempts) for r in _emails(db)] == [
        ("sent", clock.now(), 1)
    ] * 3
    clock.advance(dt.timedelta(days=1))
    assert drain_outbox(db, smtp, now=clock.now()) == DrainResult()
    assert len(mailbox.envelopes) == 3


def test_a_subject_with_line_breaks_is_sent_on_one_line(db, session, clock, smtp, mailbox):
    """A project named with a line break (the form keeps what was typed) names its mails:
    they go out with the name on one line instead of dying as invalid messages."""
    subject = "【绩效管理】“331+”消防\r\n监管平台\t已退回"
    queue_email(session, dedupe_key="newline", to_addr="li@example.cn", subject=subject,
                body="正文", now=clock.now())  # fmt: skip
    session.commit()
    with db.session(write=True) as s:  # one queued before subjects were made one line
        s.execute(insert(OutboundEmail).values(
            dedupe_key="old", to_addr="li@example.cn", subject="旧邮件\n第二行", body="正文",
            status="pending", attempts=0, next_attempt_at=clock.now(), last_error="",
            created_at=clock.now()))  # fmt: skip
        s.commit()
    assert drain_outbox(db, smtp, now=clock.now()) == DrainResult(sent=2)
    assert sorted(m["Subject"] for m in mailbox.messages()) == [
        "【绩效管理】“331+”消防 监管平台 已退回", "旧邮件 第二行"]  # fmt: skip
    assert {r.status for r in _emails(db)} == {"sent"}


def test_smtp_down_keeps_the_email_and_delivers_it_later(db, session, clock, start_server):
    port, mailbox = _free_port(), Mailbox()  # nothing listens on the port yet
    _queue(session, clock, 1)
    assert drain_outbox(db, _settings(port), now=clock.now()) == DrainResult(retried=1)
    [row] = _emails(db)
    assert (row.status, row.attempts, row.next_attempt_at) == ("pending", 1, clock.now() + MINUTE)
    assert "connect 127.0.0.1" in row.last_error
    start_server(mailbox, port)
    early = clock.now() + dt.timedelta(seconds=59)
    assert drain_outbox(db, _settings(port), now=early) == DrainResult()
    assert mailbox.envelopes == [] and _emails(db)[0].attempts == 1
    clock.advance(MINUTE)
    assert drain_outbox(db, _settings(port), now=clock.now()) == DrainResult(sent=1)
    assert drain_outbox(db, _settings(port), now=clock.now()) == DrainResult()
    assert len(mailbox.envelopes) == 1
    assert (_emails(db)[0].status, _emails(db)[0].sent_at) == ("sent", clock.now())


def test_smtp_down_stops_the_drain_after_the_first_email(db, session, clock):
    _queue(session, clock, 3)
    assert drain_outbox(db, _settings(_free_port()), now=clock.now()) == DrainResult(retried=1)
    assert [r.attempts for r in _emails(db)] == [1, 0, 0]


@pytest.mark.parametrize("stage", ["rcpt", "data"])
def test_temporary_refusal_is_retried_for_72_hours_then_dead(db, session, clock, smtp, mailbox,
                                                              stage):  # fmt: skip
    mailbox.refuse(stage, "451 4.3.0 try later")
    _queue(session, clock, 1)
    start = clock.now()
    for attempt in range(1, 9):  # 1, 2, 4, 8, 16, then every 30 minutes
        assert drain_outbox(db, smtp, now=clock.now()) == DrainResult(retried=1)
        [row] = _emails(db)
        assert (row.status, row.attempts) == ("pending", attempt)
        assert row.next_attempt_at == clock.now() + backoff(attempt) <= clock.now() + 30 * MINUTE
        assert row.last_error == "451 4.3.0 try later"
        assert drain_outbox(db, smtp, now=row.next_attempt_at - MINUTE / 2) == DrainResult()
        clock.advance(backoff(attempt))
    clock.advance(start + GIVE_UP_AFTER - MINUTE - clock.now())  # still refused three days on
    assert drain_outbox(db, smtp, now=clock.now()) == DrainResult(retried=1)
    assert _emails(db)[0].status == "pending"  # not yet: 72 hours are not over
    clock.advance(30 * MINUTE)
    assert drain_outbox(db, smtp, now=clock.now()) == DrainResult(dead=1)
    [row] = _emails(db)
    assert (row.status, row.sent_at) == ("dead", None)
    assert row.last_error == "72小时内未能发送：451 4.3.0 try later" and mailbox.envelopes == []


@pytest.mark.parametrize("stage", ["rcpt", "data"])
def test_permanent_refusal_is_dead_at_once_until_retried(db, session, clock, smtp, mailbox, stage):
    mailbox.refuse(stage, "550 5.1.1 no such user")
    _queue(session, clock, 1)
    assert drain_outbox(db, smtp, now=clock.now()) == DrainResult(dead=1)
    [row] = _emails(db)
    assert (row.status, row.attempts) == ("dead", 1) and "550" in row.last_error
    clock.advance(dt.timedelta(days=1))
    assert drain_outbox(db, smtp, now=clock.now()) == DrainResult()
    retry(session, row.id, now=clock.now())
    session.commit()
    [row] = _emails(db)
    assert (row.status, row.attempts, row.next_attempt_at) == ("pending", 0, clock.now())
    mailbox.refuse(stage, "250 OK")
    assert drain_outbox(db, smtp, now=clock.now()) == DrainResult(sent=1)
    retry(session, row.id, now=clock.now())  # a second click on a stale page: nothing happens
    session.commit()
    assert drain_outbox(db, smtp, now=clock.now()) == DrainResult()
    assert len(mailbox.envelopes) == 1 and _emails(db)[0].status == "sent"


def test_two_drainers_at_once_send_each_email_once(db, session, clock, start_server):
    mailbox = Mailbox(delay=0.01)
    smtp = start_server(mailbox)
    queued = _queue(session, clock, 20)
    barrier, results = threading.Barrier(2), [None, None]

    def drain(i: int) -> None:
        barrier.wait()
        try:
            results[i] = drain_outbox(db, smtp, now=clock.now())
        except Exception as exc:  # noqa: BLE001 - the outcome is what we assert on
            results[i] = exc

    threads = [threading.Thread(target=drain, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert all(isinstance(r, DrainResult) for r in results), results
    assert sum(r.sent for r in results) == 20
    assert Counter(m["Subject"] for m in mailbox.messages()) == {s: 1 for _, s, _ in queued}
    assert {(r.status, r.attempts) for r in _emails(db)} == {("sent", 1)}


def test_a_day_long_outage_with_two_schedulers_delivers_every_mail_once(
    db, session, clock, start_server
):
    """The mail server is unreachable for 24 hours while two scheduler processes keep draining
    the outbox every minute (as `jixiao scheduler` does); 120 reminders are queued before and
    during the outage. None dies, and once the server is back each arrives exactly once."""
    port, mailbox = _free_port(), Mailbox()  # nothing listens on the port for a day
    settings = _settings(port)
    queued = _queue(session, clock, 60)
    start = clock.now()

    def both_drain() -> list[DrainResult]:
        barrier, results = threading.Barrier(2), [None, None]

        def drain(i: int) -> None:
            barrier.wait()
            results[i] = drain_outbox(db, settings, now=clock.now())

        threads = [threading.Thread(target=drain, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        return results

    minute = 0
    while clock.now() - start < dt.timedelta(hours=24):
        results = both_drain()
        assert all(r.dead == 0 and r.sent == 0 for r in results), results
        if minute == 12 * 60:  # the day's reminders arrive in the middle of the outage
            queued += _queue(session, clock, 60, batch="下半天")
        clock.advance(30 * MINUTE)  # the drains between find nothing due: the backoff is 30 min
        minute += 30
    rows = _emails(db)
    assert {r.status for r in rows} == {"pending"} and len(rows) == 120
    assert max(r.attempts for r in rows) <= 48  # backed off, not hammered
    start_server(mailbox, port)  # the server is back
    for _ in range(10):
        both_drain()
        clock.advance(30 * MINUTE)
    assert {r.status for r in _emails(db)} == {"sent"}
    assert Counter(m["Subject"] for m in mailbox.messages()) == {s: 1 for _, s, _ in queued}


def test_an_admin_sends_every_dead_mail_again_at_once(db, session, clock, smtp, mailbox):
    from workflow.notify.mailer import retry

    mailbox.refuse("rcpt", "550 5.7.1 relaying denied")  # a misconfigured relay, say
    _queue(session, clock, 3)
    for _ in range(3):
        drain_outbox(db, smtp, now=clock.now())
    assert [r.status for r in _emails(db)] == ["dead"] * 3
    mailbox.refuse("rcpt", "250 OK")  # fixed
    assert retry(session, None, now=clock.now()) == 3
    session.commit()
    assert drain_outbox(db, smtp, now=clock.now()) == DrainResult(sent=3)
    assert retry(session, None, now=clock.now()) == 0  # a second click: nothing more
