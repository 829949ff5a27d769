"""The email outbox: queue a message in the caller's transaction, and drain the queue over SMTP.

Requests only write rows (queue_email); the scheduler process sends them (drain_outbox), one row
per transaction, so two drainers never send one message twice and a crash never loses one. A
message is sent at least once: if the database fails after the server accepted it, it goes again
later, with the same Message-ID so that mail clients can fold the copies.
"""

from __future__ import annotations

import hashlib
import logging
import smtplib
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from workflow.bulk import insert_rows
from workflow.db import Database
from workflow.notify.models import OutboundEmail
from workflow.text import one_line

log = logging.getLogger(__name__)

# A mail the server could not take now (unreachable, 4xx) is tried again, waiting at most
# MAX_BACKOFF between tries, until it has failed for GIVE_UP_AFTER; only a 5xx answer (or a
# message that cannot be built) kills it at once. A three-hour outage loses nothing.
MAX_BACKOFF = timedelta(minutes=30)
GIVE_UP_AFTER = timedelta(hours=72)
_LIMITS = {"dedupe_key": 160, "to_addr": 254, "subject": 200}  # the column lengths
_TRUE = {"1", "true", "yes", "on"}
_ENV_FIELDS = (
    ("port", "SMTP_PORT", int),
    ("username", "SMTP_USER", str),
    ("sender", "SMTP_FROM", str),
    ("timeout", "SMTP_TIMEOUT", float),
)

# What one attempt came to. DOWN means the server could not be reached or dropped us.
SENT, TEMPORARY, PERMANENT, DOWN = "sent", "temporary", "permanent", "down"


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send mail (SMTP_* environment variables)."""

    host: str
    port: int = 25
    username: str = ""
    password: str = field(default="", repr=False)  # kept out of logs and tracebacks
    starttls: bool = False
    use_ssl: bool = False
    sender: str = "jixiao@localhost"
    timeout: float = 10.0

    def __post_init__(self) -> None:
        if self.starttls and self.use_ssl:
            raise ValueError("SMTP_STARTTLS and SMTP_SSL exclude each other")
        if not 0 < self.port < 65536 or self.timeout <= 0:
            raise ValueError("SMTP port or timeout out of range")

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> SmtpSettings | None:
        """Settings from SMTP_HOST, SMTP_PORT, SMTP_USER, SMTP_PASSWORD, SMTP_STARTTLS, SMTP_SSL,
        SMTP_FROM and SMTP_TIMEOUT; None when SMTP_HOST is unset or empty (mail stays queued)."""
        host = env.get("SMTP_HOST", "").strip()
        if not host:
            return None
        use_ssl = env.get("SMTP_SSL", "").strip().lower() in _TRUE
        values: dict = {"host": host, "use_ssl": use_ssl, "port": 465 if use_ssl else 25}
        values["starttls"] = env.get("SMTP_STARTTLS", "").strip().lower() in _TRUE
        for key, name, kind in _ENV_FIELDS:
            if raw := env.get(name, "").strip():
                try:
                    values[key] = kind(raw)
                except ValueError as exc:
                    raise ValueError(f"{name} is not a valid {kind.__name__}: {raw!r}") from exc
        values["password"] = env.get("SMTP_PASSWORD", "")  # spaces may belong to a password
        return cls(**values)


@dataclass
class DrainResult:
    sent: int = 0
    retried: int = 0
    dead: int = 0


def queue_email(
    session: Session, *, dedupe_key: str, to_addr: str, subject: str, body: str, now: datetime
) -> bool:
    """Add a pending email in the caller's transaction unless one with this dedupe_key exists;
    True when a row was inserted. Never commits."""
    email = {"dedupe_key": dedupe_key, "to_addr": to_addr, "subject": subject, "body": body}
    return bool(queue_emails(session, [email], now=now))


def queue_emails(
    session: Session, emails: Sequence[Mapping[str, str]], *, now: datetime
) -> set[str]:
    """queue_email for many emails (each a mapping of dedupe_key, to_addr, subject and body) in
    one INSERT … ON CONFLICT DO NOTHING (workflow/bulk.py); returns the dedupe keys of the rows
    inserted. Never commits."""
    if not emails:
        return set()
    emails = [{**e, "subject": one_line(e["subject"])} for e in emails]
    for email in emails:
        for name, limit in _LIMITS.items():
            # PostgreSQL would refuse these and SQLite keep them: refuse them the same way.
            if not email[name] or len(email[name]) > limit:
                raise ValueError(f"{name} must have 1 to {limit} characters")
    rows = [
        {"dedupe_key": e["dedupe_key"], "to_addr": e["to_addr"], "subject": e["subject"],
         "body": e["body"], "status": "pending", "attempts": 0, "next_attempt_at": now,
         "last_error": "", "created_at": now}
        for e in emails
    ]  # fmt: skip
    table = OutboundEmail.__table__
    # rowcount is -1 here with psycopg 3; RETURNING answers on both backends.
    returned = insert_rows(session, table, rows, returning=(table.c.dedupe_key,),
                           skip_conflicts=True)  # fmt: skip
    return {key for (key,) in returned}


def retry(session: Session, email_id: int | None, *, now: datetime) -> int:
    """Send a dead email again (the admin's retry button), or every dead one (None, 全部重新
    发送): pending, attempts 0, due now. Only dead emails change, so a double click never
    re-sends a sent one. Returns how many; the caller commits."""
    which = [OutboundEmail.id == email_id] if email_id is not None else []
    done = session.execute(
        update(OutboundEmail)
        .where(OutboundEmail.status == "dead", *which)
        .values(status="pending", attempts=0, next_attempt_at=now, failing_since=None)
    )
    return done.rowcount


def backoff(attempts: int) -> timedelta:
    """The wait after the n-th failed attempt: 1, 2, 4, 8, 16, then every 30 minutes."""
    return min(timedelta(minutes=2 ** min(max(attempts, 1) - 1, 16)), MAX_BACKOFF)


def drain_outbox(
    db: Database, settings: SmtpSettings, *, now: datetime, limit: int = 100
) -> DrainResult:
    """Send the due emails, oldest first, one transaction each; stop early when the server is
    down, so that it is not hammered and the rest keep their turn."""
    result = DrainResult()
    connection = _Connection(settings)
    try:
        for _ in range(limit):
            done = _drain_one(db, connection, now)
            if done is None:
                break
            status, outcome = done
            result.sent += status == "sent"
            result.dead += status == "dead"
            result.retried += status == "pending"
            if outcome == DOWN:
                break
    finally:
        connection.close()
    return result


def _drain_one(db: Database, connection: _Connection, now: datetime) -> tuple[str, str] | None:
    """Lock the next due email, try it, record the outcome, commit; None when none is due."""
    with db.session(write=True) as session:
        # On PostgreSQL the row lock keeps a second drainer off this email, and SKIP LOCKED
        # lets it take the next one instead of waiting; SQLite's write session serializes them.
        query = (
            select(OutboundEmail)
            .where(OutboundEmail.status == "pending", OutboundEmail.next_attempt_at <= now)
            .order_by(OutboundEmail.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        email = session.scalars(query).first()
        if email is None:
            return None
        outcome, error = _attempt(connection, email, now)
        status = _record(email, outcome, error, now)
        session.commit()
    if status != "sent":
        log.warning(
            "outbox: email %s is %s after %s attempts: %s", email.id, status, email.attempts, error
        )
    return status, outcome


def _record(email: OutboundEmail, outcome: str, error: str, now: datetime) -> str:
    email.attempts += 1
    if outcome == SENT:
        email.status, email.sent_at, email.failing_since = "sent", now, None
        return email.status
    email.failing_since = email.failing_since or now
    if outcome == PERMANENT:
        email.status, email.last_error = "dead", error
    elif now - email.failing_since >= GIVE_UP_AFTER:
        hours = int(GIVE_UP_AFTER.total_seconds() // 3600)
        email.status, email.last_error = "dead", f"{hours}小时内未能发送：{error}"
    else:
        email.last_error, email.next_attempt_at = error, now + backoff(email.attempts)
    return email.status


def _attempt(connection: _Connection, email: OutboundEmail, now: datetime) -> tuple[str, str]:
    """Send one email; returns the outcome and, for a failure, a short error text."""
    try:
        message = _message(email, connection.settings, now)
    except ValueError as exc:  # a header with a line break, say: it will never get better
        return PERMANENT, _short(f"invalid message: {exc}")
    try:
        client = connection.client()
    except (smtplib.SMTPException, OSError) as exc:
        # Whatever fails before MAIL FROM (refused, timeout, TLS, login) is not the message's fault.
        return DOWN, _short(f"connect {connection.settings.host}: {_describe(exc)}")
    try:
        refused = client.send_message(
            message, from_addr=_address(connection.settings.sender), to_addrs=[email.to_addr]
        )
    except smtplib.SMTPRecipientsRefused as exc:
        return _by_code(*next(iter(exc.recipients.values())))
    except smtplib.SMTPNotSupportedError as exc:  # e.g. a non-ASCII address, no SMTPUTF8
        return PERMANENT, _short(str(exc))
    except smtplib.SMTPResponseException as exc:
        return _by_code(exc.smtp_code, exc.smtp_error)
    except (smtplib.SMTPException, OSError) as exc:  # disconnected, timed out, reset
        return DOWN, _short(_describe(exc))
    if refused:  # sendmail reports a refused recipient in its return value, not by raising
        return _by_code(*next(iter(refused.values())))
    return SENT, ""


def _by_code(code: int, text: bytes | str) -> tuple[str, str]:
    text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    error = _short(f"{code} {text}")
    if 500 <= code < 600:
        return PERMANENT, error
    # smtplib closes the connection after 421 ("service not available"): treat it as down.
    return (DOWN if code == 421 else TEMPORARY), error


def _message(email: OutboundEmail, settings: SmtpSettings, now: datetime) -> EmailMessage:
    """A UTF-8 message; the body in base64 so that it passes servers without 8BITMIME."""
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = email.to_addr
    message["Subject"] = one_line(email.subject)  # rows queued before subjects were one line
    message["Date"] = format_datetime(now)
    message["Message-ID"] = _message_id(email, settings.sender)
    message.set_content(email.body, charset="utf-8", cte="base64")
    return message


def _message_id(email: OutboundEmail, sender: str) -> str:
    # Stable across retries (and without make_msgid's clock and DNS lookup).
    digest = hashlib.sha256(email.dedupe_key.encode("utf-8")).hexdigest()[:16]
    domain = _address(sender).rpartition("@")[2] or "localhost"
    return f"<jixiao.{email.id}.{digest}@{domain}>"


def _address(sender: str) -> str:
    return parseaddr(sender)[1] or sender


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _short(text: str) -> str:
    return one_line(text)[:500]


class _Connection:
    """One SMTP connection per drain, opened when the first due email needs it."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._client: smtplib.SMTP | None = None

    def client(self) -> smtplib.SMTP:
        if self._client is None:
            self._client = _connect(self.settings)
        return self._client

    def close(self) -> None:
        if self._client is None:
            return
        try:
            self._client.quit()
        except (smtplib.SMTPException, OSError):
            self._client.close()  # the server went away first: just drop the socket
        self._client = None


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    # A verifying context: smtplib's own default for TLS checks no certificate at all.
    context = ssl.create_default_context()
    if settings.use_ssl:
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=settings.timeout, context=context
        )
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    try:
        if settings.starttls:
            client.starttls(context=context)
        if settings.username:
            client.login(settings.username, settings.password)
    except BaseException:
        client.close()
        raise
    return client
