"""PDFs made by the scheduler, once per version: a request queues a job once, the renderer makes
it once (also two renderers at once), stores the newest version only, records a failure in
Chinese and retries it a bounded number of times, and takes over the job of a renderer that
died once its lease has run out."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading

import pytest
from sqlalchemy import func, make_url, select

from workflow.db import Database
from workflow.exports import documents
from workflow.exports.documents import (
    INTERRUPTED,
    LEASE,
    MAX_ATTEMPTS,
    RETRY_AFTER,
    key_of,
    render_pending,
    request_document,
)
from workflow.exports.models import RenderedDocument
from workflow.org.models import Role

PDF = b"%PDF-1.7 test\n"


@pytest.fixture
def project(make):
    unit = make.unit()
    return make.project(unit, creator=make.user(Role.filler, unit=unit))


def _ask(db, project, html: str, clock, kind: str = "declaration"):
    """What a web request does when the PDF of this HTML is not made yet."""
    with db.session(write=True) as s:
        state = request_document(s, project_id=project.id, kind=kind, html=html,
                                 sha256=key_of(html), now=clock.now())  # fmt: skip
        s.commit()
    return state


def _rows(db) -> list[RenderedDocument]:
    with db.session() as s:
        return list(s.scalars(select(RenderedDocument).order_by(RenderedDocument.id)))


class Recorder:
    """A renderer that remembers what it was given (and fails while told to)."""

    def __init__(self, fail: bool = False) -> None:
        self.calls: list[str] = []
        self.fail = fail
        self.lock = threading.Lock()

    def __call__(self, html: str) -> bytes:
        with self.lock:
            self.calls.append(html)
        if self.fail:
            raise RuntimeError("layout exploded")
        return PDF + html.encode()


def test_asking_twice_for_one_version_queues_one_job(db, project, clock):
    first = _ask(db, project, "<p>v1</p>", clock)
    second = _ask(db, project, "<p>v1</p>", clock)
    assert first.id == second.id and first.status == "pending"
    assert len(_rows(db)) == 1


def test_two_web_nodes_asking_at_once_queue_one_job(db, project, clock):
    barrier, states = threading.Barrier(2), []

    def node():
        barrier.wait()
        states.append(_ask(db, project, "<p>v1</p>", clock))

    threads = [threading.Thread(target=node) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert len(states) == 2 and states[0].id == states[1].id
    assert len(_rows(db)) == 1


def test_the_renderer_stores_the_newest_version_only(db, project, clock):
    render = Recorder()
    _ask(db, project, "<p>v1</p>", clock)
    assert render_pending(db, clock, render=render).made == 1
    _ask(db, project, "<p>v1</p>", clock)  # made already: nothing to do
    assert render_pending(db, clock, render=render).made == 0
    _ask(db, project, "<p>v2</p>", clock)
    _ask(db, project, "<p>v2</p>", clock, kind="dossier")  # another kind keeps its own
    assert [r.status for r in _rows(db)] == ["ready", "pending", "pending"]  # v1 kept till then
    assert render_pending(db, clock, render=render).made == 2
    assert render.calls == ["<p>v1</p>", "<p>v2</p>", "<p>v2</p>"]
    with db.session() as s:
        rows = s.execute(select(RenderedDocument.kind, RenderedDocument.sha256,
                                RenderedDocument.pdf, RenderedDocument.html)).all()  # fmt: skip
    assert sorted(rows) == [
        ("declaration", key_of("<p>v2</p>"), PDF + b"<p>v2</p>", None),  # v1 gone, HTML dropped
        ("dossier", key_of("<p>v2</p>"), PDF + b"<p>v2</p>", None),
    ]


def test_a_new_version_asked_for_drops_the_older_one_not_made_yet(db, project, clock):
    _ask(db, project, "<p>v1</p>", clock)
    _ask(db, project, "<p>v2</p>", clock)
    assert [r.sha256 for r in _rows(db)] == [key_of("<p>v2</p>")]


def test_a_failure_is_recorded_in_chinese_and_retried_three_times_at_most(db, project, clock):
    render = Recorder(fail=True)
    _ask(db, project, "<p>v1</p>", clock)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert render_pending(db, clock, render=render).failed == 1
        (row,) = _rows(db)
        assert row.error == "排版出错（RuntimeError）" and row.attempts == attempt
        assert row.status == ("failed" if attempt == MAX_ATTEMPTS else "pending")
        assert render_pending(db, clock, render=render).failed == 0  # not before its time
        clock.advance(RETRY_AFTER * attempt)
    clock.advance(dt.timedelta(days=1))
    render_pending(db, clock, render=render)
    assert len(render.calls) == MAX_ATTEMPTS  # never a loop
    render.fail = False
    with db.session(write=True) as s:  # the operator's retry (jixiao render-pdfs --retry-failed)
        assert documents.retry_failed(s, now=clock.now()) == 1
        s.commit()
    assert render_pending(db, clock, render=render).made == 1
    assert [(r.status, r.error) for r in _rows(db)] == [("ready", None)]


def test_a_dead_renderers_job_is_taken_over_after_its_lease(db, project, clock):
    _ask(db, project, "<p>v1</p>", clock)
    assert documents._claim(db, clock.now()) is not None  # …and the renderer died
    render = Recorder()
    assert render_pending(db, clock, render=render).made == 0  # the lease still holds
    clock.advance(LEASE)
    assert render_pending(db, clock, render=render).made == 1
    (row,) = _rows(db)
    assert row.status == "ready" and row.attempts == 2


def test_a_job_whose_renderer_died_each_time_fails_with_the_reason(db, project, clock):
    _ask(db, project, "<p>v1</p>", clock)
    for _ in range(MAX_ATTEMPTS):
        assert documents._claim(db, clock.now()) is not None
        clock.advance(LEASE)
    render = Recorder()
    assert render_pending(db, clock, render=render).made == 0
    (row,) = _rows(db)
    assert (row.status, row.error, row.attempts) == ("failed", INTERRUPTED, MAX_ATTEMPTS)
    assert render.calls == []


def test_a_late_renderer_cannot_overwrite_the_one_holding_the_lease(db, project, clock):
    _ask(db, project, "<p>v1</p>", clock)
    late = documents._claim(db, clock.now())
    clock.advance(LEASE)
    assert render_pending(db, clock, render=Recorder()).made == 1
    assert documents._record_pdf(db, late, b"%PDF stale", clock.now()) == 0
    with db.session() as s:
        assert s.scalar(select(RenderedDocument.pdf)) == PDF + b"<p>v1</p>"


def test_a_renderer_finds_nothing_to_do_while_another_renders_the_job(db, project, clock):
    """Two scheduler processes: the second one looks while the first is rendering."""
    _ask(db, project, "<p>v1</p>", clock)
    started, release, calls = threading.Event(), threading.Event(), []

    def slow(html: str) -> bytes:
        calls.append(html)
        started.set()
        release.wait(timeout=120)
        return PDF

    first = threading.Thread(target=render_pending, args=(db, clock), kwargs={"render": slow})
    first.start()
    try:
        assert started.wait(timeout=120)
        assert render_pending(db, clock, render=slow).made == 0
    finally:
        release.set()
        first.join(timeout=120)
    assert calls == ["<p>v1</p>"]
    assert [r.status for r in _rows(db)] == ["ready"]


def test_two_renderers_started_together_make_each_pdf_once(db, make, clock):
    """Two threads, each with its own connections, released together over six jobs: on
    PostgreSQL SKIP LOCKED sends each to another job, on SQLite the write lock serializes."""
    unit = make.unit()
    filler = make.user(Role.filler, unit=unit)
    htmls = []
    for n in range(3):
        p = make.project(unit, creator=filler)
        for kind in ("declaration", "dossier"):
            htmls.append(f"<p>{kind} {n}</p>")
            _ask(db, p, htmls[-1], clock, kind=kind)
    render, barrier = Recorder(), threading.Barrier(2)

    def renderer():
        barrier.wait()
        render_pending(db, clock, render=render)

    threads = [threading.Thread(target=renderer) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert sorted(render.calls) == sorted(htmls)
    assert {r.status for r in _rows(db)} == {"ready"} and len(_rows(db)) == 6


def test_on_postgresql_a_job_being_claimed_is_skipped_not_waited_for(db, database_url, project,
                                                                     clock):  # fmt: skip
    if db.dialect != "postgresql":
        pytest.skip("SKIP LOCKED is PostgreSQL's; SQLite serializes the claims")
    _ask(db, project, "<p>v1</p>", clock)
    # If the claim waited for the lock instead, it would fail after lock_timeout: no hang.
    url = make_url(database_url)
    options = f"{url.query.get('options', '')} -c lock_timeout=20s".strip()
    impatient = Database(url.update_query_dict({"options": options}).render_as_string(False))
    try:
        with db.session(write=True) as holder:
            holder.scalars(select(RenderedDocument).with_for_update()).all()  # mid-claim
            assert documents._claim(impatient, clock.now()) is None
        assert documents._claim(impatient, clock.now()) is not None  # free again
    finally:
        impatient.dispose()


def test_jixiao_render_pdfs_once_drains_the_queue(db, database_url, project):
    """The command as an operator runs it: a process of its own (which imports only what the
    renderer needs), at a lower priority, with the system clock."""
    _ask(db, project, "<html><body><p>项目档案测试</p></body></html>", SystemNow())
    env = {**os.environ, "DATABASE_URL": database_url}
    command = [sys.executable, "-m", "web.cli", "render-pdfs", "--once"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "已生成 1 个 PDF，失败 0 次" in done.stdout
    with db.session() as s:
        content = s.scalar(select(RenderedDocument.pdf))
    assert _text(content) == "项目档案测试"
    again = subprocess.run([*command, "--retry-failed"], env=env, capture_output=True, text=True,
                           timeout=300)  # fmt: skip
    assert "已将 0 个生成失败的 PDF 重新排队" in again.stdout and "已生成 0 个 PDF" in again.stdout


def test_the_scheduler_looks_at_the_queue_every_two_seconds(db, project, monkeypatch):
    from apscheduler.triggers.interval import IntervalTrigger

    from workflow import scheduler as process
    from workflow.lifecycle.machine import get_lifecycle
    from workflow.scheduler import Jobs, build

    lowered = []
    monkeypatch.setattr(process, "lower_priority", lambda: lowered.append(True))
    clock = SystemNow()
    jobs = Jobs(db=db, clock=clock, spec=get_lifecycle().spec, smtp=None, base_url="http://j")
    job = build(jobs).get_job("pdfs")
    assert isinstance(job.trigger, IntervalTrigger)
    assert job.trigger.interval == dt.timedelta(seconds=2)
    _ask(db, project, "<html><body><p>调度测试</p></body></html>", clock)
    with jobs._rendering:  # a run still busy: the next one lets it go
        assert jobs.pdfs() is None
    run = jobs.pdfs()
    assert run.made == 1 and lowered == [True]
    with db.session() as s:
        assert _text(s.scalar(select(RenderedDocument.pdf))) == "调度测试"
        assert s.scalar(select(func.count()).select_from(RenderedDocument)) == 1


class SystemNow:
    """The real time (the CLI uses the system clock: a job asked now is due now)."""

    def now(self):
        return dt.datetime.now(dt.UTC)

    def today(self):
        return self.now().date()


def _text(content: bytes) -> str:
    import io

    from pypdf import PdfReader

    return "".join("".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(content)).pages)
