"""PDF rendering is bounded: each render runs in a child process stopped at the time limit (the
document failed for good with the reason in Chinese, the child really gone); a child that dies
fails the attempt cleanly; one project has at most one render under way whatever the number of
renderers; and versions asked for while one renders wait as one job, the newest.

The slow page is slow for real: one table cell of 20,000 characters, which WeasyPrint lays out in
quadratic time (3,150 characters take 11 s, 6,300 over 30 s)."""

from __future__ import annotations

import io
import os
import signal
import threading
import time

import pytest
from sqlalchemy import select

from workflow.db import Database
from workflow.exports import documents
from workflow.exports.documents import (
    DIED,
    MAX_ATTEMPTS,
    RENDER_NICE,
    RETRY_AFTER,
    key_of,
    render_pending,
)
from workflow.exports.models import RenderedDocument
from workflow.org.models import Role

pytestmark = pytest.mark.timeout(300)
SLOW = (
    "<html><body><table><tr><td>"
    + "绩效目标申报表内容" * 2_223
    + "</td></tr></table></body></html>"
)
LIMIT = 2  # seconds: the slow page would take many minutes
PDF = b"%PDF-1.7 test\n"


@pytest.fixture
def project(make):
    unit = make.unit()
    return make.project(unit, creator=make.user(Role.filler, unit=unit))


@pytest.fixture
def renderer():
    """This process's renderer with the test's limit, its child started; stopped afterwards."""
    shared = documents.renderer(LIMIT)
    shared.start()
    yield shared
    shared.close()


@pytest.fixture
def patient():
    """This process's renderer with the default limit, its child started; stopped afterwards."""
    shared = documents.renderer()
    shared.start()
    yield shared
    shared.close()


def _ask(db, project, html: str, clock, kind: str = "declaration"):
    with db.session(write=True) as s:
        state = documents.request_document(s, project_id=project.id, kind=kind, html=html,
                                           sha256=key_of(html), now=clock.now())  # fmt: skip
        s.commit()
    return state


def _rows(db) -> list[RenderedDocument]:
    with db.session() as s:
        return list(s.scalars(select(RenderedDocument).order_by(RenderedDocument.id)))


def _gone(pid: int) -> bool:
    """No such process (not even a zombie: the renderer waited for its child)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def _pdf(db) -> bytes:
    with db.session() as s:
        return s.scalar(select(RenderedDocument.pdf))


def _text(content: bytes) -> str:
    from pypdf import PdfReader

    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


def test_a_render_over_the_time_limit_is_stopped_and_fails_for_good(db, project, clock, renderer):
    _ask(db, project, SLOW, clock)
    child = renderer.pid
    assert os.getpriority(os.PRIO_PROCESS, child) >= RENDER_NICE  # the web workers come first
    run = render_pending(db, clock, seconds=LIMIT)  # as the scheduler runs it
    assert (run.made, run.failed) == (0, 1)
    (row,) = _rows(db)
    assert (row.status, row.attempts, row.claim) == ("failed", 1, None)
    assert row.error == ("排版超过 2 秒仍未完成，已停止。内容可能过长，请精简过长的文字后再下载")
    assert renderer.pid is None and _gone(child)  # the CPU is free again
    clock.advance(RETRY_AFTER * MAX_ATTEMPTS * 10)
    assert render_pending(db, clock, seconds=LIMIT).failed == 0  # not retried: it would time out
    _ask(db, project, SLOW, clock)  # asking again for that version: still the failure
    assert [r.status for r in _rows(db)] == ["failed"]

    _ask(db, project, "<html><body><p>缩短后的申报表</p></body></html>", clock)  # edited
    assert render_pending(db, clock, seconds=LIMIT).made == 1  # a new child makes it
    assert [r.status for r in _rows(db)] == ["ready"]
    assert _text(_pdf(db)) == "缩短后的申报表"
    assert renderer.pid not in (None, child)


def test_a_child_that_dies_mid_render_fails_the_attempt_cleanly(db, project, clock, patient):
    """The system kills the child (memory, say): the attempt fails with the reason, to be
    retried; nothing is left running; the next render starts a new child."""
    _ask(db, project, SLOW, clock)
    child, runs = patient.pid, []
    thread = threading.Thread(target=lambda: runs.append(render_pending(db, clock)))
    thread.start()
    _wait_until_busy(child)
    os.kill(child, signal.SIGKILL)
    thread.join(timeout=120)
    assert (runs[0].made, runs[0].failed) == (0, 1)
    (row,) = _rows(db)
    assert (row.status, row.attempts, row.error, row.claim) == ("pending", 1, DIED, None)
    assert patient.pid is None and _gone(child)
    _ask(db, project, "<html><body><p>第二版</p></body></html>", clock)
    assert render_pending(db, clock).made == 1
    assert [(r.status, r.error) for r in _rows(db)] == [("ready", None)]


def _wait_until_busy(pid: int) -> None:
    """Until the child has spent a quarter second of CPU since it was ready: it is laying out."""
    if not os.path.exists(f"/proc/{pid}/stat"):
        pytest.skip("needs Linux's /proc to see the child at work")
    ticks = os.sysconf("SC_CLK_TCK")
    start = _cpu_ticks(pid)
    for _ in range(1200):
        if _cpu_ticks(pid) - start >= ticks // 4:
            return
        time.sleep(0.05)
    pytest.fail("the child never started the render")


def _cpu_ticks(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


class Overlap:
    """A renderer that takes a little real time and notes when two renders of one project (the
    project's number is in the HTML) were under way at once."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.busy: set[str] = set()
        self.overlaps: list[str] = []
        self.calls: list[str] = []

    def __call__(self, html: str) -> bytes:
        project = html.split()[-1]
        with self.lock:
            self.calls.append(html)
            if project in self.busy:
                self.overlaps.append(project)
            self.busy.add(project)
        time.sleep(0.2)
        with self.lock:
            self.busy.discard(project)
        return PDF


def test_two_renderers_never_render_one_project_at_once(db, make, clock):
    """Two scheduler processes (threads with their own connections) over three projects with
    two documents each: each PDF made once, never two of a project at the same time."""
    unit = make.unit()
    filler = make.user(Role.filler, unit=unit)
    htmls = []
    for n in range(3):
        p = make.project(unit, creator=filler)
        for kind in ("declaration", "dossier"):
            htmls.append(f"{kind} {n}")
            _ask(db, p, htmls[-1], clock, kind=kind)
    render, barrier = Overlap(), threading.Barrier(2)

    def scheduler():
        barrier.wait()
        render_pending(db, clock, render=render)

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert render.overlaps == []
    assert sorted(render.calls) == sorted(htmls)
    assert [r.status for r in _rows(db)] == ["ready"] * 6


class Held:
    """A renderer that holds its first render until released (and then fails it if told)."""

    def __init__(self, fail: bool = False) -> None:
        self.started, self.release = threading.Event(), threading.Event()
        self.calls: list[str] = []
        self.fail = fail

    def __call__(self, html: str) -> bytes:
        self.calls.append(html)
        if len(self.calls) == 1:
            self.started.set()
            self.release.wait(timeout=120)
            if self.fail:
                raise RuntimeError("layout exploded")
        return PDF + html.encode()


def _while_rendering(db, clock, render: Held):
    thread = threading.Thread(target=render_pending, args=(db, clock), kwargs={"render": render})
    thread.start()
    assert render.started.wait(timeout=120)
    return thread


def test_a_project_being_rendered_waits_while_other_projects_go_on(db, make, clock, project):
    other = make.project(make.unit(), creator=make.user(Role.filler))
    _ask(db, project, "declaration", clock)
    _ask(db, project, "dossier", clock, kind="dossier")
    _ask(db, other, "other", clock)
    held = Held()
    first = _while_rendering(db, clock, held)
    try:
        second = Overlap()
        assert render_pending(db, clock, render=second).made == 1  # the other project's only
        assert second.calls == ["other"]
    finally:
        held.release.set()
        first.join(timeout=120)
    assert held.calls == ["declaration", "dossier"]  # its renderer went on to the next one
    assert [r.status for r in _rows(db)] == ["ready"] * 3


def test_clicks_on_new_versions_while_one_renders_leave_one_job_waiting(db, project, clock):
    """Edit, click, edit, click while v1 is being made: v2 is dropped, v3 waits for v1 (no
    second renderer takes it meanwhile), then v3 is made and v1 goes."""
    _ask(db, project, "v1", clock)
    held = Held()
    first = _while_rendering(db, clock, held)
    try:
        _ask(db, project, "v2", clock)
        _ask(db, project, "v3", clock)
        assert [r.sha256 for r in _rows(db)] == [key_of("v1"), key_of("v3")]
        assert render_pending(db, clock, render=Overlap()).made == 0  # the project is busy
    finally:
        held.release.set()
        first.join(timeout=120)
    assert held.calls == ["v1", "v3"]
    assert [(r.sha256, r.status) for r in _rows(db)] == [(key_of("v3"), "ready")]


def test_a_replaced_version_that_fails_is_dropped_not_retried(db, project, clock):
    _ask(db, project, "v1", clock)
    held = Held(fail=True)
    first = _while_rendering(db, clock, held)
    try:
        _ask(db, project, "v2", clock)
    finally:
        held.release.set()
        first.join(timeout=120)
    assert held.calls == ["v1", "v2"]
    assert [(r.sha256, r.status, r.attempts) for r in _rows(db)] == [(key_of("v2"), "ready", 1)]


def test_on_postgresql_two_claims_for_one_project_take_turns(db, database_url, make, clock):
    """Two renderers that picked a job each of one project before either committed: the one
    that looks second passes the project by (the advisory lock), then sees the first one's
    lease (its own look after the commit)."""
    if db.dialect != "postgresql":
        pytest.skip("SQLite's write lock already serializes the claims")
    unit = make.unit()
    project = make.project(unit, creator=make.user(Role.filler, unit=unit))
    _ask(db, project, "declaration", clock)
    _ask(db, project, "dossier", clock, kind="dossier")
    other = Database(database_url)
    now = clock.now()
    try:
        with db.session(write=True) as a, other.session(write=True) as b:
            row_a, row_b = (
                s.scalars(select(RenderedDocument).where(RenderedDocument.kind == kind)
                          .with_for_update()).one()
                for s, kind in ((a, "declaration"), (b, "dossier"))
            )  # fmt: skip
            assert documents._owner_free(a, row_a, now)
            assert not documents._owner_free(b, row_b, now)  # a is claiming
            row_a.claim, row_a.available_at = "a", now + documents.LEASE
            a.commit()
            b.rollback()
            row_b = b.scalars(select(RenderedDocument).where(RenderedDocument.kind == "dossier")
                              .with_for_update()).one()  # fmt: skip
            assert not documents._owner_free(b, row_b, now)  # a's lease is in sight now
    finally:
        other.dispose()
