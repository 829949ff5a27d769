"""PDFs made outside the web request, once per version of what they show.

A request renders the print HTML (milliseconds) and looks its hash up: a PDF made for it is served
at once; otherwise the HTML is queued (`request_document`) and the page asks again shortly. The
scheduler process drains the queue (`render_pending`) at a lower CPU priority, so that pages stay
fast while PDFs are being made; with several schedulers (or `jixiao render-pdfs`) a job is still
made once: it is claimed with a lease in a short transaction and rendered outside any.

The work is bounded: each render runs in a child process killed at the time limit
(`RENDER_SECONDS`, workflow/exports/pdf.py), and a render that ran out of time fails for good at
once (the same HTML would run out again); one project has at most one render under way, whatever
the number of renderers; and a project's versions asked for while one renders wait as a single
job, the newest."""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased, undefer

from workflow.clock import Clock
from workflow.db import Database
from workflow.exports.models import KINDS, ROUND_KINDS, RenderedDocument
from workflow.exports.pdf import (
    RENDER_SECONDS,
    START_SECONDS,
    LayoutError,
    PdfRenderer,
    RendererDied,
    RenderTimeout,
)

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3  # then the job is failed for good (a new version of the project is a new job)
RETRY_AFTER = timedelta(seconds=30)  # times the attempts made: 30 s, then 60 s
LEASE = timedelta(minutes=10)  # at least (see lease_for): a dead renderer's job waits this
RENDER_NICE = 10  # the renderer's nice value: the web workers come first
INTERRUPTED = "上次生成未完成（生成进程意外中断）"
DIED = "生成进程意外退出（可能是内存不足）"
_INSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}
_D = RenderedDocument
_OTHER = aliased(RenderedDocument)
_PROJECT_LOCK = 0x6A78  # PostgreSQL advisory locks (this, project id): a project's claims in turn


@dataclass(frozen=True)
class DocumentState:
    """What the pages need to know of a document, without its HTML or PDF."""

    id: int
    status: str  # pending, ready, failed
    attempts: int
    error: str | None
    requested_at: datetime


def key_of(html: str) -> str:
    """The version of a document: the hash of the HTML it is made from."""
    return hashlib.sha256(html.encode("utf-8")).hexdigest()


def _owned(table, project_id: int | None, round_id: int | None):
    """The documents of one owner: a project, or (its report) a monitoring round."""
    return table.round_id == round_id if round_id is not None else table.project_id == project_id


def _same_owner(a, b):
    """`a` and `b` have one owner: exactly one of the two columns is set on every row (the
    table's check), so one equality holds and the other is NULL; each uses its index."""
    return or_(a.project_id == b.project_id, a.round_id == b.round_id)


def find_document(
    session: Session, project_id: int | None, kind: str, sha256: str, *,
    round_id: int | None = None,
) -> DocumentState | None:  # fmt: skip
    """The document made (or being made) from this HTML, if any."""
    row = session.execute(
        select(_D.id, _D.status, _D.attempts, _D.error, _D.requested_at).where(
            _owned(_D, project_id, round_id), _D.kind == kind, _D.sha256 == sha256
        )
    ).first()
    return DocumentState(*row) if row else None


def pdf_of(session: Session, document: DocumentState) -> bytes | None:
    """The PDF of a ready document (None if it was replaced meanwhile)."""
    return session.scalar(select(_D.pdf).where(_D.id == document.id, _D.status == "ready"))


def request_document(
    session: Session, *, project_id: int | None, kind: str, html: str, sha256: str,
    now: datetime, round_id: int | None = None,
) -> DocumentState | None:  # fmt: skip
    """Queue the PDF of this HTML unless this version is known: INSERT … ON CONFLICT DO NOTHING
    on (project, kind, sha256), so two clicks or two web nodes make one job. Older versions not
    made yet are dropped (nobody will be served them), except one being rendered now: it ends
    its turn, and the newest waits for it. Returns the state; the caller commits."""
    if kind not in KINDS:
        raise ValueError(f"unknown document kind: {kind!r}")
    if (kind in ROUND_KINDS) != (round_id is not None) or (project_id is None) == (
        round_id is None
    ):
        raise ValueError(f"a {kind!r} document belongs to one project or one round")
    owner = "round_id" if round_id is not None else "project_id"
    statement = (
        _INSERTS[session.get_bind().dialect.name](_D.__table__)
        .values(
            project_id=project_id,
            round_id=round_id,
            kind=kind,
            sha256=sha256,
            status="pending",
            html=html,
            attempts=0,
            available_at=now,
            requested_at=now,
        )
        .on_conflict_do_nothing(index_elements=[owner, "kind", "sha256"])
        .returning(_D.__table__.c.id)  # rowcount is -1 with psycopg 3; RETURNING answers
    )
    new_id = session.execute(statement).scalar()
    if new_id is not None:
        session.execute(
            delete(_D).where(
                _owned(_D, project_id, round_id), _D.kind == kind, _D.id < new_id,
                _D.status != "ready", or_(_D.claim.is_(None), _D.available_at <= now),
            )
        )  # fmt: skip
    return find_document(session, project_id, kind, sha256, round_id=round_id)


def retry_failed(session: Session, *, now: datetime) -> int:
    """Give every failed document its attempts again (an operator's retry, once the cause is
    put right); the caller commits. Returns how many."""
    result = session.execute(
        update(_D)
        .where(_D.status == "failed")
        .values(status="pending", attempts=0, available_at=now)
        .returning(_D.id)
    )
    return len(result.all())


@dataclass
class RenderRun:
    made: int = 0
    failed: int = 0  # attempts that failed (retried later, or failed for good)


@dataclass(frozen=True)
class _Job:
    id: int
    claim: str
    html: str
    attempts: int


_renderers: dict[int, PdfRenderer] = {}
_renderers_lock = threading.Lock()


def renderer(seconds: int = RENDER_SECONDS) -> PdfRenderer:
    """This process's PDF renderer with this time limit: its child process stays between runs
    (starting one costs about 0.5 s), at the renderer's lower CPU priority."""
    with _renderers_lock:
        if seconds not in _renderers:
            _renderers[seconds] = PdfRenderer(seconds, niceness=RENDER_NICE)
        return _renderers[seconds]


def lease_for(seconds: int) -> timedelta:
    """How long a claimed job is its renderer's: a child's start and a render at its limit,
    twice over, and never under LEASE."""
    return max(LEASE, 2 * timedelta(seconds=START_SECONDS + seconds))


def render_pending(
    db: Database,
    clock: Clock,
    *,
    render: Callable[[str], bytes] | None = None,
    seconds: int = RENDER_SECONDS,
    limit: int = 100,
) -> RenderRun:
    """Make the PDFs waiting now, one job at a time (what the scheduler runs every few seconds,
    and `jixiao render-pdfs --once`), each stopped after `seconds` (`render`: another renderer,
    which must keep to them)."""
    render = render or renderer(seconds)
    run = RenderRun()
    for _ in range(limit):
        job = _claim(db, clock.now(), lease_for(seconds))
        if job is None:
            break
        try:
            content = render(job.html)
        except Exception as exc:  # any fault of the layout: recorded, retried a few times
            log.exception(
                "pdf: document %s failed (attempt %s of %s)", job.id, job.attempts, MAX_ATTEMPTS
            )
            final = isinstance(exc, RenderTimeout)  # the same HTML would run out of time again
            _record_failure(db, job, failure_reason(exc), clock.now(), final=final)
            run.failed += 1
        else:
            run.made += _record_pdf(db, job, content, clock.now())
    return run


def _claim(db: Database, now: datetime, lease: timedelta = LEASE) -> _Job | None:
    """Take the next job of a project no renderer is busy with: lease it in a short
    transaction. On PostgreSQL the row lock keeps a second renderer off it and SKIP LOCKED sends
    that one to the next job; SQLite's write session serializes them. A job whose lease ran out
    was left by a renderer that died."""
    passed: set[int] = set()  # projects another renderer was claiming a job of meanwhile
    passed_rounds: set[int] = set()  # and rounds
    while True:
        with db.session(write=True) as session:
            row = session.scalars(
                select(_D)
                .options(undefer(_D.html))
                .where(
                    _D.status == "pending",
                    _D.available_at <= now,
                    or_(_D.project_id.is_(None), _D.project_id.not_in(passed)),
                    or_(_D.round_id.is_(None), _D.round_id.not_in(passed_rounds)),
                    ~_busy(_D, now),
                    ~_newer(_D),
                )
                .order_by(_D.available_at, _D.id)
                .limit(1)
                .with_for_update(skip_locked=True)
            ).first()
            if row is None:
                return None
            if not _owner_free(session, row, now):
                if row.round_id is not None:
                    passed_rounds.add(row.round_id)
                else:
                    passed.add(row.project_id)
                continue
            if row.claim is not None:  # its renderer never reported
                row.error = INTERRUPTED
            if row.attempts >= MAX_ATTEMPTS:
                row.status, row.claim = "failed", None
                session.commit()
                continue
            row.attempts += 1
            row.claim, row.available_at = uuid.uuid4().hex, now + lease
            job = _Job(row.id, row.claim, row.html or "", row.attempts)
            session.commit()
            return job


def _busy(row, now: datetime):
    """A render for the row's owner (project or round) is under way: one of its jobs is
    leased."""
    return (
        select(_OTHER.id)
        .where(_owner_of(row), _OTHER.claim.is_not(None), _OTHER.available_at > now)
        .exists()
    )


def _owner_of(row):
    """The other documents of `row`'s owner: of a loaded row by its values (a None among them is
    no owner, never a match for every row with none), of the table itself, correlated."""
    if isinstance(row, RenderedDocument):
        return _owned(_OTHER, row.project_id, row.round_id)
    return _same_owner(_OTHER, row)


def _newer(row):
    """A newer version of the same document is asked for: this one will never be served."""
    return (
        select(_OTHER.id)
        .where(_owner_of(row), _OTHER.kind == row.kind, _OTHER.id > row.id)
        .exists()
    )


def _owner_free(session: Session, row: RenderedDocument, now: datetime) -> bool:
    """Whether the project is still free now that its job is locked. On PostgreSQL two
    renderers may each have picked a job of one project (say its 申报表 and its 档案) before
    either claim was committed: an advisory lock on the project lets one of them look again,
    with what the other committed in sight; the other passes the project by. SQLite's write
    session already made the first look the last."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    # Advisory locks belong to the database, not the schema: the space is this schema's, so
    # two installations (or test runs) in one database never pass each other's projects by.
    locked = session.scalar(
        text("SELECT pg_try_advisory_xact_lock(hashtext(current_schema()) # :space, :project)"),
        # a round's key is its id negated: never a project's
        {"space": _PROJECT_LOCK,
         "project": row.project_id if row.round_id is None else -row.round_id},
    )  # fmt: skip
    return bool(locked) and not session.scalar(select(_busy(row, now)))


def _record_pdf(db: Database, job: _Job, content: bytes, now: datetime) -> int:
    """Store the PDF (only the lease holder may) and drop the project's older versions of it."""
    with db.session(write=True) as session:
        done = session.execute(
            update(_D)
            .where(_D.id == job.id, _D.claim == job.claim, _D.status == "pending")
            .values(status="ready", pdf=content, html=None, error=None, claim=None, rendered_at=now)
            .returning(_D.project_id, _D.round_id, _D.kind)
        ).first()
        if done is not None:
            session.execute(
                delete(_D).where(
                    _owned(_D, done.project_id, done.round_id), _D.kind == done.kind,
                    _D.id < job.id,
                )
            )  # fmt: skip
        session.commit()
    return int(done is not None)


def _record_failure(
    db: Database, job: _Job, reason: str, now: datetime, *, final: bool = False
) -> None:
    """Record why (only the lease holder may): retried later, or failed for good after the
    last attempt or when `final`. A version replaced meanwhile is dropped instead."""
    final = final or job.attempts >= MAX_ATTEMPTS
    mine = (_D.id == job.id, _D.claim == job.claim, _D.status == "pending")
    with db.session(write=True) as session:
        replaced = session.execute(delete(_D).where(*mine, _newer(_D)).returning(_D.id)).first()
        if replaced is None:
            session.execute(
                update(_D)
                .where(*mine)
                .values(
                    status="failed" if final else "pending",
                    error=reason,
                    claim=None,
                    available_at=now + RETRY_AFTER * job.attempts,
                )
            )
        session.commit()


def failure_reason(exc: Exception) -> str:
    """Why a render failed, as the waiting page says it (the details are in the log)."""
    if isinstance(exc, RenderTimeout):
        return f"排版超过 {exc.seconds} 秒仍未完成，已停止。内容可能过长，请精简过长的文字后再下载"
    if isinstance(exc, MemoryError):
        return "内存不足，无法完成排版"
    if isinstance(exc, RendererDied):
        return DIED
    if isinstance(exc, LayoutError):
        return f"排版出错（{exc.name}）"
    return f"排版出错（{type(exc).__name__}）"


def lower_priority(niceness: int = RENDER_NICE) -> None:
    """Let the web workers have the CPU first: raise the nice value of the calling thread (on
    Linux the nice value is per thread) to at least `niceness`; calling it again changes
    nothing."""
    try:
        current = os.nice(0)
        if current < niceness:
            os.nice(niceness - current)
    except (AttributeError, OSError):  # no os.nice on this platform, or not permitted
        log.warning("pdf: could not lower the renderer's CPU priority")
