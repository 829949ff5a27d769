"""Benchmarks as ratios to a bare Flask + SQLAlchemy page measured in the same run.

    python -m bench.run                      # demo data (make bench)
    python -m bench.run --scale              # 100,000 projects (make bench-scale)

Both apps run under gunicorn (2 sync workers each, own loopback port). Each page is requested
about N times by C client threads in lockstep: all C ask for the page at once, then all C for
the bare page, and again; so both are measured under the same concurrency and, round by round,
the same background load of the machine. The ratio is bare p50 / page p50 (1.0 would be a page
as cheap as the ceiling). Absolute timings depend on the machine and whatever else runs on it;
the ratios much less. The tables are printed and written to bench/results/latest.md (and
demo.md or scale.md)."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.common import (
    BENCH_SECRET_KEY,
    RESULTS,
    ROOT,
    RssSampler,
    Server,
    Timing,
    app_entry,
    database_url_for,
    fmt,
    login,
    measure,
    table,
)
from workflow.demo import DEMO_PASSWORD

DEMO_DB = "jixiao_bench_demo"
SCALE_DB = "jixiao_bench"
SCALE_PASSWORD = "bench2026"
SCALE_PROJECTS = 100_000
SCALE_TODAY = "2026-12-02"  # the day the dataset is generated for (its reminders fall due then)


@dataclass
class Page:
    label: str
    path: str
    username: str
    password: str
    goal: str = ""


@dataclass
class Row:
    """One line of the page table."""

    page: Page
    timing: Timing
    statements: int | None = None


# --- the database -------------------------------------------------------------------------


def _admin_connect():
    import psycopg

    return psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True)


def database_exists(name: str) -> bool:
    with _admin_connect() as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()


def load_demo(url: str, name: str) -> None:
    """Drop and recreate the database, migrate it and load the demo, as `make run` would."""
    from psycopg import sql

    with _admin_connect() as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    env = {**os.environ, "DATABASE_URL": url}
    jixiao = [sys.executable, "-m", "web.cli"]
    for command in ("init-db", "demo"):
        subprocess.run([*jixiao, command], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def ensure_scale(url: str, name: str, today: dt.date) -> None:
    """Generate the 100,000-project database with bench.generate when it is missing. One that
    exists without projects is left alone (it may be being generated right now)."""
    if database_exists(name):
        if _count(url, "projects") > 0:
            return
        raise SystemExit(
            f"{name} exists but holds no projects: is it being generated? When it "
            f"is not, drop it (or run python -m bench.generate … --force) and retry."
        )
    print(f"{name} is missing: generating it with bench.generate (this takes a while)…")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.generate",
            "--url",
            url,
            "--projects",
            str(SCALE_PROJECTS),
            "--today",
            today.isoformat(),
        ],
        cwd=ROOT,
        check=True,
    )


def _count(url: str, table_name: str) -> int:
    from sqlalchemy import text

    from workflow.db import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(f"SELECT count(*) FROM {table_name}")).scalar_one()
    except Exception:
        return 0
    finally:
        engine.dispose()


# --- choosing pages and people ------------------------------------------------------------


class Picker:
    """In-process queries that choose what to measure, and who may see it."""

    def __init__(self, url: str) -> None:
        from workflow.db import Database
        from workflow.lifecycle.machine import get_lifecycle

        self.db = Database(url)
        self.spec = get_lifecycle().spec
        self.session = self.db.session()

    def close(self) -> None:
        self.session.close()
        self.db.dispose()

    def user(self, username: str):
        from sqlalchemy import select

        from workflow.org.models import User

        return self.session.scalar(select(User).where(User.username == username))

    def usernames(self, role: str, unit_id: int | None = None, limit: int | None = None):
        """Active users holding `role` (of one unit if given), by id."""
        from sqlalchemy import select

        from workflow.org.models import User, UserRole

        query = (
            select(User.username)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == role, User.is_active.is_(True))
            .order_by(User.id)
        )
        if unit_id is not None:
            query = query.where(User.unit_id == unit_id)
        return list(self.session.scalars(query.limit(limit)))

    def richest(self, among=None):
        """The project with the most indicators + milestones + audit events (of `among`, a
        select of project ids, if given)."""
        from sqlalchemy import func, select

        from workflow.audit.models import AuditEvent
        from workflow.declaration.models import Indicator
        from workflow.milestones.models import Milestone
        from workflow.projects.models import Project

        def per_project(model):
            q = select(model.project_id.label("pid"), func.count().label("n"))
            if among is not None:
                q = q.where(model.project_id.in_(among))
            return q.group_by(model.project_id).subquery()

        ind, ms, ev = per_project(Indicator), per_project(Milestone), per_project(AuditEvent)
        total = func.coalesce(ind.c.n, 0) + func.coalesce(ms.c.n, 0) + func.coalesce(ev.c.n, 0)
        query = (
            select(Project, total)
            .outerjoin(ind, ind.c.pid == Project.id)
            .outerjoin(ms, ms.c.pid == Project.id)
            .outerjoin(ev, ev.c.pid == Project.id)
            .order_by(total.desc(), Project.id)
            .limit(1)
        )
        if among is not None:
            query = query.where(Project.id.in_(among))
        project, size = self.session.execute(query).one()
        return project, size

    def viewer(self, project, prefer: list[str]) -> str:
        """The first of `prefer` who may see the project, else a 填报人 of its unit."""
        from workflow.org import access

        for username in prefer:
            user = self.user(username)
            if user is not None and access.can_view(user, project, self.spec):
                return username
        return self.usernames("filler", project.unit_id, 1)[0]

    def draft(self):
        """The editable project (a draft) with the most indicators, and a 填报人 of its unit."""
        from sqlalchemy import func, select

        from workflow.declaration.models import Indicator
        from workflow.projects.models import Project

        editable = [n for n, s in self.spec.states.items() if s.editable]
        count = select(func.count()).where(Indicator.project_id == Project.id).scalar_subquery()
        project = self.session.scalars(
            select(Project)
            .where(Project.state.in_(editable))
            .order_by(count.desc(), Project.id)
            .limit(1)
        ).first()
        if project is None:
            return None, None
        fillers = self.usernames("filler", project.unit_id, 1)
        return project, (fillers[0] if fillers else None)

    def most_messages(self) -> str | None:
        from sqlalchemy import func, select

        from workflow.notify.models import Notification
        from workflow.org.models import User

        return self.session.scalar(
            select(User.username)
            .join(Notification, Notification.user_id == User.id)
            .group_by(User.username)
            .order_by(func.count().desc(), User.username)
            .limit(1)
        )

    def state_counts(self) -> dict[str, int]:
        from sqlalchemy import func, select

        from workflow.projects.models import Project

        rows = self.session.execute(select(Project.state, func.count()).group_by(Project.state))
        return dict(rows.all())


# --- statements per page (in-process, one request) ----------------------------------------


class StatementCounter:
    """Counts the SQL statements an engine runs between start() and stop()."""

    def __init__(self, engine) -> None:
        from sqlalchemy import event

        self.engine, self.count, self.active = engine, 0, False
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args) -> None:
        if self.active:
            self.count += 1

    def start(self) -> None:
        self.count, self.active = 0, True

    def stop(self) -> int:
        self.active = False
        return self.count

    def close(self) -> None:
        from sqlalchemy import event

        event.remove(self.engine, "before_cursor_execute", self._seen)


def statements_per_page(url: str, pages: list[Page]) -> dict[str, int | None]:
    """One request of each page through Flask's test client, counting its SQL statements."""
    from bench.common import csrf_token
    from web import create_app
    from web.config import Config

    app = create_app(Config(DATABASE_URL=url, SECRET_KEY=BENCH_SECRET_KEY))
    counter = StatementCounter(app.extensions["jixiao"].db.engine)
    counts: dict[str, int | None] = {}
    clients: dict[str, object] = {}
    try:
        for page in pages:
            client = clients.get(page.username)
            if client is None:
                client = app.test_client()
                token = csrf_token(client.get("/login").get_data(as_text=True))
                client.post(
                    "/login",
                    data={
                        "csrf_token": token,
                        "username": page.username,
                        "password": page.password,
                    },
                )
                clients[page.username] = client
            client.get(page.path)  # warm (lifecycle caches, first connection)
            counter.start()
            answer = client.get(page.path)
            n = counter.stop()
            counts[page.label] = n if answer.status_code == 200 else None
    finally:
        counter.close()
        app.extensions["jixiao"].db.dispose()
    return counts


# --- pages over HTTP ----------------------------------------------------------------------


def measure_pages(app: Server, bare: Server, pages: list[Page], args) -> list[Row]:
    sessions: dict[str, object] = {}
    rows = []
    for page in pages:
        if page.username not in sessions:
            sessions[page.username] = login(app.url, page.username, page.password)
        print(f"  {page.label}: {page.path} as {page.username} …", flush=True)
        timing = measure(
            sessions[page.username],
            app.url + page.path,
            bare.url + "/",
            requests_each=args.requests,
            concurrency=args.concurrency,
        )
        rows.append(Row(page, timing))
        print(
            f"    p50 {timing.p50:.1f} ms, p95 {timing.p95:.1f} ms, bare p50 "
            f"{timing.bare_p50:.1f} ms, ratio {timing.ratio:.3f}"
            + (f", {len(timing.errors)} errors: {timing.errors[0]}" if timing.errors else ""),
            flush=True,
        )
    return rows


def page_table(rows: list[Row]) -> str:
    headers = [
        "page",
        "user",
        "n",
        "p50 ms",
        "p95 ms",
        "bare p50 ms",
        "ratio",
        "goal",
        "SQL",
        "errors",
    ]
    body = [
        [
            r.page.label,
            r.page.username,
            fmt(len(r.timing.page_ms)),
            fmt(r.timing.p50, 1),
            fmt(r.timing.p95, 1),
            fmt(r.timing.bare_p50, 1),
            fmt(r.timing.ratio, 3),
            r.page.goal,
            fmt(r.statements),
            fmt(len(r.timing.errors)),
        ]
        for r in rows
    ]
    return table(headers, body)


# --- the demo run -------------------------------------------------------------------------


def demo_pages(url: str) -> list[Page]:
    picker = Picker(url)
    try:
        reviewer = "cz_shen"
        richest, size = picker.richest()
        viewer = picker.viewer(richest, [reviewer])
        draft, filler = picker.draft()
        messages_user = picker.most_messages() or reviewer
        pages = [
            Page("project list", "/projects", reviewer, DEMO_PASSWORD, "≥ 0.6"),
            Page(
                f"project page #{richest.id} ({size} rows)",
                f"/projects/{richest.id}",
                viewer,
                DEMO_PASSWORD,
                "≥ 0.4",
            ),
        ]
        if draft is not None and filler is not None:
            pages.append(
                Page(
                    f"declaration form #{draft.id}",
                    f"/projects/{draft.id}/declaration",
                    filler,
                    DEMO_PASSWORD,
                    "≥ 0.4",
                )
            )
        pages += [
            Page("工作台 (reviewer)", "/", reviewer, DEMO_PASSWORD),
            Page("工作台 (填报人)", "/", filler or viewer, DEMO_PASSWORD),
            Page("我的消息", "/notifications", messages_user, DEMO_PASSWORD),
        ]
        return pages
    finally:
        picker.close()


def run_demo(args) -> str:
    url = args.url or database_url_for(DEMO_DB)
    if not args.keep:
        print(f"Loading the demo into {url} …", flush=True)
        load_demo(url, url.rsplit("/", 1)[1])
    pages = demo_pages(url)
    statements = statements_per_page(url, pages)
    with Server("app", app_entry(), url) as app, Server("bare", "bench.bare:app", url) as bare:
        print(
            f"app {app.url} ({app.entry}), bare {bare.url}; {args.requests} requests of each "
            f"page and as many of the bare page, {args.concurrency} client threads",
            flush=True,
        )
        rows = measure_pages(app, bare, pages, args)
    for row in rows:
        row.statements = statements.get(row.page.label)
    return "\n".join(
        [
            _header("demo data", url, args),
            "",
            page_table(rows),
            "",
            "ratio = bare p50 / page p50 (the bare page: Flask + SQLAlchemy, 50 rows, a small "
            "template); SQL = statements of one request (in-process).",
        ]
    )


# --- the scale run ------------------------------------------------------------------------


ROLES = ("reviewer", "filler", "unit_head")


def scale_users(url: str) -> dict[str, list[str]]:
    """The generated users by role: bench.generate.usernames(role), checked against the
    database (only accounts that exist and are active); the database's own when the generator
    offers no list."""
    picker = Picker(url)
    try:
        found = {role: picker.usernames(role) for role in ROLES}
    finally:
        picker.close()
    try:
        from bench.generate import usernames
    except ImportError:
        return found
    named = {}
    for role in ROLES:
        try:
            listed = list(usernames(role))
        except Exception:  # a role it does not know: the database's list
            listed = found[role]
        present = set(found[role])
        named[role] = [u for u in listed if u in present] or found[role]
    return named


def _deep_page(picker: Picker, username: str, page: int) -> str:
    """The address 下一页 leads to after page - 1 clicks: page `page` by its keyset cursor (the
    last row of the page before it), as the list's own code writes it."""
    import datetime as dt
    from urllib.parse import quote

    from sqlalchemy import select

    from workflow.clock import CHINA
    from workflow.org.models import User
    from workflow.projects import listing

    session = picker.session
    user = session.scalar(select(User).where(User.username == username))
    f = listing.ProjectFilter()
    query = listing.filtered(user, picker.spec, f, dt.datetime.now(CHINA).date())
    last = session.scalars(query.offset((page - 1) * listing.PAGE_SIZE - 1).limit(1)).first()
    return f"/projects?page={page}&after={quote(listing.cursor(last, f))}"


def scale_pages(
    url: str, users: dict[str, list[str]], state: str | None, password: str
) -> list[Page]:
    picker = Picker(url)
    try:
        from sqlalchemy import select

        from workflow.projects.models import Project

        reviewer = users["reviewer"][0]
        counts = picker.state_counts()
        visible = [n for n, s in picker.spec.states.items() if s.finance_visible and n in counts]
        state = state or (
            "declared" if "declared" in visible else max(visible, key=lambda n: counts[n])
        )
        # the richest project among a sample the reviewer sees (all 100,000 would take long)
        sample = (
            select(Project.id)
            .where(Project.state.in_(visible))
            .order_by(Project.id.desc())
            .limit(5000)
        )
        richest, size = picker.richest(sample.scalar_subquery())
        deep = _deep_page(picker, reviewer, 1000)
        return [
            Page("reviewer's list, page 1", "/projects", reviewer, password, "≥ 0.4"),
            Page(
                "reviewer's list, page 1,000",
                deep,
                reviewer,
                password,
                "≥ 0.4, ≤ page 1",
            ),
            Page(
                f"reviewer's list, state={state} ({counts.get(state, 0):,})",
                f"/projects?state={state}",
                reviewer,
                password,
                "≥ 0.4",
            ),
            Page(
                f"project page #{richest.id} ({size} rows)",
                f"/projects/{richest.id}",
                picker.viewer(richest, [reviewer]),
                password,
                "≥ 0.4",
            ),
            Page("工作台 (reviewer)", "/", reviewer, password),
        ]
    finally:
        picker.close()


def rolled_back_session(db):
    """A session inside an outer transaction that is rolled back at the end: the code under
    test may commit (a savepoint is released), and nothing stays."""
    from sqlalchemy.orm import Session

    conn = db.engine.connect()
    outer = conn.begin()
    session = Session(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False)

    def done() -> None:
        session.close()
        outer.rollback()
        conn.close()

    return session, done


def china_now(today: dt.date) -> dt.datetime:
    from workflow.clock import CHINA

    return dt.datetime.combine(today, dt.time(8, 0), tzinfo=CHINA).astimezone(dt.UTC)


def reminder_run(url: str, today: dt.date) -> dict:
    """create_due_reminders as the scheduler calls it (Jobs.reminders), rolled back."""
    from workflow.db import Database
    from workflow.lifecycle.machine import get_lifecycle
    from workflow.notify.reminders import create_due_reminders

    db = Database(url)
    counter = StatementCounter(db.engine)
    session, done = rolled_back_session(db)
    try:
        counter.start()
        start = time.perf_counter()
        created = create_due_reminders(
            session,
            get_lifecycle().spec,
            today=today,
            now=china_now(today),
            base_url="http://127.0.0.1:5000",
        )
        session.flush()  # what the scheduler's commit would write
        seconds = time.perf_counter() - start
        statements = counter.stop()
    finally:
        done()
        counter.close()
        db.dispose()
    return {"seconds": seconds, "statements": statements, "created": created}


def milestone_save(url: str, today: dt.date, repeat: int = 5) -> dict | None:
    """save_milestones of the project as its milestones stand (the rows the form shows), as
    its 填报人; each time in a transaction rolled back."""
    from sqlalchemy import select

    from workflow.db import Database
    from workflow.milestones import operations as ops
    from workflow.milestones.models import Milestone
    from workflow.org.models import User, UserRole
    from workflow.projects.models import Project
    from workflow.uow import UnitOfWork

    db = Database(url)
    counter = StatementCounter(db.engine)
    times, statements, found = [], [], None
    try:
        with db.session() as s:
            found = s.execute(
                select(Project.id, User.id)
                .join(User, User.unit_id == Project.unit_id)
                .join(UserRole, (UserRole.user_id == User.id) & (UserRole.role == "filler"))
                .where(
                    Project.state == "approved",
                    Project.milestones_confirmed_at.is_(None),
                    select(Milestone.id).where(Milestone.project_id == Project.id).exists(),
                )
                .order_by(Project.id)
                .limit(1)
            ).first()
        if found is None:
            return None
        project_id, user_id = found
        rows_count = 0
        for _ in range(repeat):
            session, done = rolled_back_session(db)
            try:
                project, user = session.get(Project, project_id), session.get(User, user_id)
                milestones = ops.milestones_of(session, project)
                rows = ops.to_rows(milestones, ops.amount_basis(session, project))
                rows_count = len(rows)
                counter.start()
                start = time.perf_counter()
                ops.save_milestones(
                    UnitOfWork(session),
                    project,
                    rows,
                    actor=user,
                    now=china_now(today),
                    expected_version=project.version,
                )
                times.append((time.perf_counter() - start) * 1000)
                statements.append(counter.stop())
            finally:
                done()
    finally:
        counter.close()
        db.dispose()
    return {
        "project": project_id,
        "rows": rows_count,
        "ms": statistics.median(times),
        "ms_all": times,
        "statements": statements[-1],
    }


def audit_verify(url: str) -> dict:
    """`jixiao audit verify` in a child process; wall time and the child's max RSS."""
    wrapper = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "p = subprocess.run([sys.executable, '-m', 'web.cli', 'audit', 'verify'],"
        " capture_output=True, text=True)\n"
        "t = time.perf_counter() - t\n"
        "print(t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, p.returncode)\n"
        "print((p.stdout + p.stderr).strip().splitlines()[-1] if (p.stdout + p.stderr).strip()"
        " else '')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", wrapper],
        env={**os.environ, "DATABASE_URL": url},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    first, _, last = out.stdout.strip().partition("\n")
    seconds, rss_kb, code = first.split()
    return {
        "seconds": float(seconds),
        "rss_mb": int(rss_kb) / 1024,
        "exit": int(code),
        "output": last.strip(),
    }


def has_render_pdfs() -> bool:
    out = subprocess.run(
        [sys.executable, "-m", "web.cli", "--help"], cwd=ROOT, capture_output=True, text=True
    )
    return "render-pdfs" in out.stdout


def pdf_costs(app: Server, bare: Server, url: str, reviewer: str, args) -> dict:
    """What a dossier PDF request costs in the web app, and the project list's timing while
    four PDFs are being made beside it, against the same list measured just before.

    Where `jixiao render-pdfs` exists, PDFs are made outside the request: the first request of
    a dossier queues it (a waiting page), four `jixiao render-pdfs --once` processes make the
    queued ones while the list is measured, and the dossier is then asked for again (served
    at once when made). Else four clients ask the web app for dossiers while the list is
    measured."""
    from sqlalchemy import select

    from bench.common import clone
    from workflow.projects.models import Project

    picker = Picker(url)
    try:
        visible = [n for n, s in picker.spec.states.items() if s.finance_visible]
        query = select(Project.id).order_by(Project.id.desc()).limit(args.pdfs)
        ids = list(picker.session.scalars(query.where(Project.state == "archived")))
        if len(ids) < args.pdfs:
            ids += list(picker.session.scalars(query.where(Project.state.in_(visible))))
        ids = list(dict.fromkeys(ids))[: args.pdfs]
    finally:
        picker.close()
    session = login(app.url, reviewer, args.password)

    def dossier(pid: int, s=session) -> dict:
        start = time.perf_counter()
        answer = s.get(f"{app.url}/projects/{pid}/dossier.pdf", timeout=300)
        kind = answer.headers.get("Content-Type", "").split(";")[0]
        return {
            "ms": (time.perf_counter() - start) * 1000,
            "status": answer.status_code,
            "type": kind,
            "bytes": len(answer.content),
        }

    def list_timing(stop=None, n=args.pdf_requests) -> Timing:
        return measure(
            session,
            app.url + "/projects",
            bare.url + "/",
            requests_each=n,
            concurrency=args.concurrency,
            warmup=1,
            stop=stop,
        )

    result: dict = {"project": ids[0], "first": dossier(ids[0])}
    stop = threading.Event()
    limit = threading.Timer(args.pdf_seconds, stop.set)
    if has_render_pdfs():
        for pid in ids[1:]:  # queue them, so four renderers have work
            dossier(pid)
        result["before"] = list_timing()
        result["how"] = f"4 × `jixiao render-pdfs --once`, {len(ids)} dossiers queued"
        env = {**os.environ, "DATABASE_URL": url}
        started = time.perf_counter()
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "web.cli", "render-pdfs", "--once"],
                env=env,
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for _ in range(4)
        ]

        outputs: list[str] = []

        def watch() -> None:
            for p in procs:
                outputs.append((p.communicate()[0] or "").strip()[-300:])
            result["render_seconds"] = time.perf_counter() - started
            stop.set()

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        limit.start()
        result["during"] = list_timing(stop, n=100_000)
        for p in procs:  # ours, by pid: still running only past --pdf-seconds
            if p.poll() is None:
                p.terminate()
        watcher.join(timeout=60)
        result["render_output"] = outputs
        result["second"] = dossier(ids[0])
    else:
        result["before"] = list_timing()
        result["second"] = dossier(ids[0])
        result["how"] = "4 clients requesting dossier PDFs from the web app (no render-pdfs)"

        def make(pid: int) -> None:
            mine = clone(session)
            while not stop.is_set():
                dossier(pid, mine)

        makers = [threading.Thread(target=make, args=(pid,), daemon=True) for pid in ids[1:5]]
        for t in makers:
            t.start()
        limit.start()
        time.sleep(1.0)  # let the PDFs start
        result["during"] = list_timing(stop)
        stop.set()
        for t in makers:
            t.join(timeout=300)
    limit.cancel()
    return result


def people(users: dict[str, list[str]], count: int) -> dict[str, list[str]]:
    """`count` distinct accounts, the roles in the proportions generated (at least one of each
    role that has accounts)."""
    total = sum(len(v) for v in users.values())
    if total == 0:
        return {}
    if count >= total:
        return {role: list(names) for role, names in users.items()}
    shares = {
        role: max(1, round(count * len(names) / total)) if names else 0
        for role, names in users.items()
    }
    largest = max(shares, key=lambda r: shares[r])
    shares[largest] += count - sum(shares.values())
    return {role: users[role][: shares[role]] for role in users}


def logged_in_cookies(app: Server, users: dict[str, list[str]], args) -> dict[str, str]:
    """Each account's session cookie: logged in through the real form once, kept in
    bench/results/sessions-<database>.json and reused by later runs while the app still
    accepts it (the bench signs sessions with a fixed key). A password check costs tens of
    milliseconds of a worker by design; 2,000 of them would otherwise precede every run."""
    import concurrent.futures

    import requests

    from bench.common import login

    cache_file = RESULTS / f"sessions-{args.database}.json"
    try:
        cache = json.loads(cache_file.read_text())
    except (OSError, ValueError):
        cache = {}
    names = [u for role in users.values() for u in role]
    cookies: dict[str, str] = {}
    counts = {"reused": 0, "logged_in": 0, "failed": 0}

    def one(username: str) -> tuple[str, str | None, str]:
        cookie = cache.get(username)
        if cookie:
            s = requests.Session()
            s.cookies.set("session", cookie)
            answer = s.get(app.url + "/login", allow_redirects=False, timeout=120)
            if answer.status_code == 302:  # still logged in
                return username, cookie, "reused"
        try:
            s = login(app.url, username, args.password)
        except Exception:
            return username, None, "failed"
        return username, s.cookies.get("session"), "logged_in"

    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        for n, (username, cookie, how) in enumerate(pool.map(one, names), 1):
            counts[how] += 1
            if cookie:
                cookies[username] = cookie
            if n % 250 == 0:
                print(
                    f"  sessions: {n} of {len(names)} ({time.perf_counter() - start:.0f} s)",
                    flush=True,
                )
    cache.update(cookies)
    cache_file.write_text(json.dumps(cache))
    print(
        f"  sessions: {counts['reused']} reused, {counts['logged_in']} logged in, "
        f"{counts['failed']} failed ({time.perf_counter() - start:.0f} s)",
        flush=True,
    )
    return cookies


def load_test(app: Server, users: dict[str, list[str]], args) -> dict:
    """bench/locustfile.py, headless, against our app; worker RSS sampled meanwhile. Each
    simulated person is an account of their own, logged in beforehand (logging in is not part
    of the mix)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    users_file, summary_file = RESULTS / "load-users.json", RESULTS / "load-summary.json"
    summary_file.unlink(missing_ok=True)
    chosen = people(users, args.users)
    cookies = logged_in_cookies(app, chosen, args)
    users_file.write_text(
        json.dumps({"password": args.password, "users": chosen, "cookies": cookies})
    )
    limit = args.load_seconds + args.login_allowance
    cmd = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "-u",
        str(args.users),
        "-r",
        str(args.spawn_rate),
        "-t",
        f"{limit}s",
        "--host",
        app.url,
        "--csv",
        str(RESULTS / "load"),
        "--only-summary",
        "--stop-timeout",
        "20",
        "--loglevel",
        "WARNING",
    ]
    env = {
        **os.environ,
        "BENCH_USERS_FILE": str(users_file),
        "BENCH_SUMMARY_FILE": str(summary_file),
        "BENCH_MEASURE_SECONDS": str(args.load_seconds),
    }
    sampler = RssSampler(app)
    sampler.start()
    print(
        f"  locust: {args.users} users, measured for {args.load_seconds} s once all are "
        f"logged in (at most {limit} s in all) …",
        flush=True,
    )
    with open(RESULTS / "locust.log", "w") as log:
        code = subprocess.run(
            cmd, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
        ).returncode
    sampler.stop()
    summary = json.loads(summary_file.read_text()) if summary_file.exists() else {}
    summary["locust_exit"] = code
    summary["rss_peak_mb"] = max(sampler.peak.values(), default=None)
    summary["rss_median_mb"] = statistics.median(sampler.samples) if sampler.samples else None
    summary["rss_workers"] = len(sampler.peak)
    return summary


def run_scale(args) -> str:
    url = args.url or database_url_for(SCALE_DB)
    today = dt.date.fromisoformat(args.today)
    args.database = url.rsplit("/", 1)[-1]
    if not args.url:
        ensure_scale(url, SCALE_DB, today)
    users = scale_users(url)
    pages = scale_pages(url, users, args.state, args.password)
    statements = statements_per_page(url, pages) if not args.skip_pages else {}
    out: list[str] = [_header(f"{_count(url, 'projects'):,} projects", url, args), ""]
    extra: list[list[str]] = []

    def step(name: str, fn: Callable[[], None]) -> None:
        print(f"{name} …", flush=True)
        try:
            fn()
        except Exception as exc:  # one failed part must not lose the others' numbers
            first = (str(exc).splitlines() or [""])[0]
            extra.append([name, f"failed: {exc.__class__.__name__}: {first}"[:200], ""])
            print(f"  failed: {exc!r}", flush=True)

    # in-process parts first, before the servers take the cores
    def reminders() -> None:
        r = reminder_run(url, today)
        extra.append(
            [
                "daily reminder run (create_due_reminders, rolled back)",
                f"{r['seconds']:.2f} s, {r['statements']:,} statements, {r['created']:,} reminders",
                "≤ 3 s, ≤ 100 statements",
            ]
        )

    def verify() -> None:
        r = audit_verify(url)
        extra.append(
            [
                f"`jixiao audit verify` ({r['output']})",
                f"{r['seconds']:.1f} s, max RSS {r['rss_mb']:.0f} MB, exit {r['exit']}",
                "≤ 20 s, ≤ 150 MB",
            ]
        )

    def milestones() -> None:
        r = milestone_save(url, today)
        if r is None:
            extra.append(
                [
                    "saving one project's milestones",
                    "no approved project with unconfirmed milestones",
                    "≤ 20 ms",
                ]
            )
            return
        extra.append(
            [
                f"saving one project's milestones (#{r['project']}, {r['rows']} rows, rolled back)",
                f"{r['ms']:.1f} ms median of {len(r['ms_all'])}, {r['statements']} statements",
                "≤ 20 ms",
            ]
        )

    if not args.skip_jobs:
        step("reminder run", reminders)
        step("audit verify", verify)
        step("milestone save", milestones)

    rows: list[Row] = []
    load: dict = {}
    app_server = Server("app", app_entry(), url, access_log=args.access_log)
    with app_server as app, Server("bare", "bench.bare:app", url) as bare:
        print(
            f"app {app.url} ({app.entry}), bare {bare.url}; {args.requests} requests of each "
            f"page and as many of the bare page, {args.concurrency} client threads",
            flush=True,
        )
        if not args.skip_pages:
            rows = measure_pages(app, bare, pages, args)

        def pdf() -> None:
            r = pdf_costs(app, bare, url, users["reviewer"][0], args)
            for key, goal in (
                ("first", "a waiting page at once"),
                ("second", "a PDF made for this version: served at once"),
            ):
                f = r[key]
                extra.append(
                    [
                        f"dossier PDF request #{r['project']} ({key})",
                        f"{f['ms']:.0f} ms, HTTP {f['status']} {f['type']}, {f['bytes']:,} bytes",
                        goal,
                    ]
                )
            b, t = r["before"], r["during"]
            extra.append(
                [
                    "project list just before the PDFs",
                    f"p50 {b.p50:.0f} ms, p95 {b.p95:.0f} ms, bare p50 {b.bare_p50:.0f} ms, "
                    f"ratio {b.ratio:.3f}, n {len(b.page_ms)}",
                    "",
                ]
            )
            made = f"; made in {r['render_seconds']:.1f} s" if "render_seconds" in r else ""
            extra.append(
                [
                    f"project list while PDFs are made ({r['how']}{made})",
                    f"p50 {t.p50:.0f} ms, p95 {t.p95:.0f} ms, bare p50 {t.bare_p50:.0f} ms, "
                    f"ratio {t.ratio:.3f}, n {len(t.page_ms)}",
                    "p95 as just before",
                ]
            )
            said = {(o.strip().splitlines() or [""])[-1] for o in r.get("render_output", [])}
            if said:
                print("  render-pdfs said:", "; ".join(sorted(said)), flush=True)

        if not args.skip_pdf:
            step("dossier PDF", pdf)

    def load_run() -> None:
        nonlocal load
        # a fresh app: the workers' memory is the load test's, not the PDFs' before it
        with Server("app-load", app_entry(), url, access_log=args.access_log) as app:
            load = load_test(app, users, args)

    if args.load_seconds > 0:
        step("load test", load_run)
    for row in rows:
        row.statements = statements.get(row.page.label)
    if load:
        extra += _load_rows(load, args)
    if rows:
        out += [page_table(rows), ""]
    out += [
        table(["measure", "result", "goal"], extra),
        "",
        "ratio = bare p50 / page p50 (the bare page: Flask + SQLAlchemy, 50 rows, a small "
        "template); SQL = statements of one request (in-process). Reminders and milestones "
        "run in-process in a transaction rolled back.",
    ]
    if rows and len(rows) >= 2:
        p1, p1000 = rows[0].timing.p50, rows[1].timing.p50
        out.append(f"page 1,000 / page 1 p50: {p1000 / p1:.2f} (goal ≤ 1)")
    return "\n".join(out)


def _load_rows(load: dict, args) -> list[list[str]]:
    if not load.get("measured_seconds"):
        return [
            [
                "load test",
                f"no summary (locust exit {load.get('locust_exit')}, see "
                f"bench/results/locust.log); logged in {load.get('logged_in', '?')}",
                "",
            ]
        ]
    conflicts = load.get("conflicts", 0)
    failures = load.get("failures", 0)
    return [
        [
            f"load: {load['users']:,} users, think 5–15 s, {load['measured_seconds']:.0f} s "
            f"measured after a {load['login_seconds']:.0f} s ramp-up",
            f"{load['served_tasks_ps']:.1f} actions/s served of ~{load['offered_tasks_ps']:.0f} "
            f"offered; {load['served_rps']:.1f} req/s ({load['requests']:,} requests, "
            f"{load['logged_in']:,} logged in, {load['login_failed']} login failures)",
            "every offered request served",
        ],
        [
            "load: response times",
            f"p50 {fmt(load['p50_ms'], 0)} ms, p95 "
            f"{fmt(load['p95_ms'], 0)} ms, max {fmt(load['max_ms'], 0)} ms",
            "p95 ≤ 300 ms",
        ],
        [
            "load: per kind (p50 / p95 ms)",
            "; ".join(
                f"{k} {fmt(v['p50_ms'], 0)}/{fmt(v['p95_ms'], 0)} ({v['count']:,})"
                for k, v in sorted(load.get("by_kind", {}).items())
            ),
            "",
        ],
        [
            "load: errors",
            f"{failures:,} failures, {conflicts:,} conflicts (409)"
            + (f": {load['failure_kinds']}" if load.get("failure_kinds") else ""),
            "none but true conflicts",
        ],
        [
            "web worker memory (VmRSS) during the load test",
            f"peak {fmt(load.get('rss_peak_mb'), 0)} MB, "
            f"median {fmt(load.get('rss_median_mb'), 0)} MB ({load.get('rss_workers')} workers)",
            "≤ 150 MB",
        ],
    ]


# --- the report ---------------------------------------------------------------------------


def _header(what: str, url: str, args) -> str:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        commit = ""
    cpu = ""
    with contextlib.suppress(OSError, StopIteration):
        lines = Path("/proc/cpuinfo").read_text().splitlines()
        cpu = next(line.split(":", 1)[1].strip() for line in lines if line.startswith("model name"))
    return (
        f"## Benchmark, {what} ({dt.datetime.now().strftime('%Y-%m-%d %H:%M')}, commit "
        f"{commit or '?'})\n\n"
        f"{os.cpu_count()} cores ({cpu or platform.machine()}), Python "
        f"{platform.python_version()}, {url.rsplit('/', 1)[-1]} on PostgreSQL; gunicorn, 2 sync "
        f"workers per app; {args.requests} requests per page, {args.concurrency} client "
        f"threads in lockstep: all ask for the page at once, then all for the bare page, "
        f"and again."
    )


def write_report(text: str, kind: str, complete: bool) -> None:
    """latest.md always; demo.md or scale.md only for a complete run of the default database
    (what the README quotes)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    for name in ("latest.md", f"{kind}.md") if complete else ("latest.md",):
        (RESULTS / name).write_text(text + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--scale",
        action="store_true",
        help="measure at 100,000 projects (jixiao_bench) instead of the demo",
    )
    parser.add_argument(
        "--url", help="a database to measure as it is (no demo load, no generation)"
    )
    parser.add_argument(
        "--requests", type=int, help="requests per page (default 200; 60 with --scale)"
    )
    parser.add_argument("--concurrency", type=int, default=4, help="client threads (default 4)")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="demo: measure the demo database as it is instead of reloading it",
    )
    parser.add_argument(
        "--today",
        default=SCALE_TODAY,
        help=f"scale: the dataset's day, bench.generate --today ({SCALE_TODAY})",
    )
    parser.add_argument("--password", help="scale: the generated users' password (bench2026)")
    parser.add_argument("--state", help="scale: the state filter to measure (default declared)")
    parser.add_argument("--users", type=int, default=2000, help="load test users (default 2000)")
    parser.add_argument("--spawn-rate", type=int, default=100)
    parser.add_argument(
        "--load-seconds",
        type=int,
        default=120,
        help="load test: seconds "
        "measured once every user is logged in (0: no load test; default 120)",
    )
    parser.add_argument(
        "--login-allowance",
        type=int,
        default=240,
        help="load test: at most this long for the users to log in (default 240 s)",
    )
    parser.add_argument(
        "--pdf-requests",
        type=int,
        default=40,
        help="scale: list requests measured while PDFs are made (default 40)",
    )
    parser.add_argument("--pdfs", type=int, default=16, help="scale: dossiers queued (16)")
    parser.add_argument(
        "--pdf-seconds",
        type=int,
        default=180,
        help="scale: at most this long measuring while PDFs are made (180)",
    )
    parser.add_argument(
        "--access-log",
        action="store_true",
        help="scale: log each request's time in the worker to bench/results/access-app.log",
    )
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument("--skip-jobs", action="store_true")
    parser.add_argument("--skip-pdf", action="store_true")
    args = parser.parse_args(argv)
    args.requests = args.requests or (60 if args.scale else 200)
    args.password = args.password or (SCALE_PASSWORD if args.scale else DEMO_PASSWORD)
    started = time.monotonic()
    text = run_scale(args) if args.scale else run_demo(args)
    text += f"\n\n({time.monotonic() - started:.0f} s in all)"
    complete = not (
        args.url
        or args.skip_pages
        or args.skip_jobs
        or args.skip_pdf
        or (args.scale and args.load_seconds <= 0)
    )
    write_report(text, "scale" if args.scale else "demo", complete)
    print()
    print(text)
    print(f"\n(written to {RESULTS / 'latest.md'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
