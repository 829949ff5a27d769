"""What the benchmarks share: gunicorn servers on loopback ports, logged-in HTTP sessions,
timed requests interleaved with the bare page, percentiles and the results table."""

from __future__ import annotations

import contextlib
import html
import importlib.util
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
WORKERS = 2  # gunicorn sync workers, as the issue measured
#: A fixed key: every worker of a run signs the same session cookies (never a production key).
BENCH_SECRET_KEY = "jixiao-bench-only-not-a-secret"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def database_url_for(name: str) -> str:
    return f"postgresql://postgres@127.0.0.1:5432/{name}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def app_entry() -> str:
    """Our app's WSGI entry: web.wsgi:app once the project has one, else bench/wsgi.py's."""
    return "web.wsgi:app" if importlib.util.find_spec("web.wsgi") else "bench.wsgi:app"


# --- servers ------------------------------------------------------------------------------


@dataclass
class Server:
    """One gunicorn master with its sync workers on a loopback port (started by us, ended by
    its own pid)."""

    name: str
    entry: str
    database_url: str
    port: int = field(default_factory=free_port)
    workers: int = WORKERS
    proc: subprocess.Popen | None = None
    log: Path | None = None
    access_log: bool = False  # each request's time in the worker (µs) to RESULTS/access-<name>.log

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> Server:
        RESULTS.mkdir(parents=True, exist_ok=True)
        self.log = RESULTS / f"gunicorn-{self.name}.log"
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "SECRET_KEY": BENCH_SECRET_KEY,
            "PYTHONUNBUFFERED": "1",
        }
        cmd = [
            sys.executable,
            "-m",
            "gunicorn",
            self.entry,
            "--workers",
            str(self.workers),
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--chdir",
            str(ROOT),
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ]
        if self.access_log:
            cmd += [
                "--access-logfile",
                str(RESULTS / f"access-{self.name}.log"),
                "--access-logformat",
                '%(t)s "%(r)s" %(s)s %(D)s',
            ]
        with open(self.log, "w") as log:
            self.proc = subprocess.Popen(
                cmd, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} server exited; see {self.log}")
            with contextlib.suppress(requests.RequestException):
                requests.get(self.url + "/login", timeout=5, allow_redirects=False)
                if len(self.worker_pids()) >= self.workers:
                    return self
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"{self.name} server did not answer within {timeout:.0f} s")

    def worker_pids(self) -> list[int]:
        if self.proc is None:
            return []
        pid = self.proc.pid
        try:
            return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        except OSError:  # a kernel without CONFIG_PROC_CHILDREN: scan for the parent pid
            found = []
            for stat in Path("/proc").glob("[0-9]*/stat"):
                with contextlib.suppress(OSError, IndexError, ValueError):
                    if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(stat.parent.name))
            return found

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def rss_mb(pid: int) -> float | None:
    """A process's resident memory now (VmRSS), in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


class RssSampler(threading.Thread):
    """Samples the workers' VmRSS every `interval` seconds until stopped; keeps each worker's
    maximum (a worker that gunicorn replaces is a new pid, sampled too)."""

    def __init__(self, server: Server, interval: float = 1.0) -> None:
        super().__init__(daemon=True)
        self.server, self.interval = server, interval
        self.peak: dict[int, float] = {}
        self.samples: list[float] = []
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            for pid in self.server.worker_pids():
                mb = rss_mb(pid)
                if mb is not None:
                    self.peak[pid] = max(self.peak.get(pid, 0.0), mb)
                    self.samples.append(mb)
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


# --- HTTP ---------------------------------------------------------------------------------


def csrf_token(page: str) -> str:
    match = CSRF.search(page)
    if not match:
        raise RuntimeError("no csrf_token on the page")
    return html.unescape(match.group(1))


def login(base_url: str, username: str, password: str) -> requests.Session:
    """A session logged in through the real form (GET /login for the CSRF token, then POST)."""
    session = requests.Session()
    page = session.get(base_url + "/login", timeout=60)
    page.raise_for_status()
    answer = session.post(
        base_url + "/login",
        data={"csrf_token": csrf_token(page.text), "username": username, "password": password},
        allow_redirects=False,
        timeout=60,
    )
    if answer.status_code != 302:
        raise RuntimeError(f"login as {username} failed: HTTP {answer.status_code}")
    return session


def clone(session: requests.Session) -> requests.Session:
    """A session of its own for a thread (requests.Session is not shared across threads),
    carrying the same login."""
    copy = requests.Session()
    copy.cookies.update(session.cookies)
    return copy


# --- measuring ----------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (0..1) by linear interpolation between closest ranks."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


@dataclass
class Timing:
    page_ms: list[float] = field(default_factory=list)
    bare_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def p50(self) -> float:
        return percentile(self.page_ms, 0.5)

    @property
    def p95(self) -> float:
        return percentile(self.page_ms, 0.95)

    @property
    def bare_p50(self) -> float:
        return percentile(self.bare_ms, 0.5)

    @property
    def ratio(self) -> float:
        return self.bare_p50 / self.p50 if self.page_ms and self.bare_ms else float("nan")


def _timed_get(session: requests.Session, url: str) -> tuple[float, str | None]:
    start = time.perf_counter()
    try:
        answer = session.get(url, allow_redirects=False, timeout=300)
        _ = answer.content
    except requests.RequestException as exc:
        return (time.perf_counter() - start) * 1000, f"{url}: {exc.__class__.__name__}"
    elapsed = (time.perf_counter() - start) * 1000
    if answer.status_code != 200:
        where = answer.headers.get("Location", "")
        return elapsed, f"{url}: HTTP {answer.status_code} {where}".rstrip()
    return elapsed, None


def measure(
    session: requests.Session,
    page_url: str,
    bare_url: str,
    *,
    requests_each: int,
    concurrency: int,
    warmup: int = 2,
    block: int = 1,
    stop: threading.Event | None = None,
) -> Timing:
    """About `requests_each` GETs of the page and as many of the bare page by `concurrency`
    client threads, interleaved in rounds: every thread asks for the page `block` times, then
    (when all are done) for the bare page `block` times, and so on. Both are measured under
    the same number of concurrent clients and, round by round, the same background load of the
    machine. `warmup` requests of each per thread first, not counted. `stop` ends the run at
    the next round."""
    timing = Timing()
    lock = threading.Lock()
    per_round = concurrency * block
    rounds = max(1, -(-requests_each // per_round))
    go = {"on": True}

    def decide() -> None:  # run by one thread when all have reached the barrier
        go["on"] = stop is None or not stop.is_set()

    barrier = threading.Barrier(concurrency, action=decide)
    bare = requests.Session()

    def worker() -> None:
        mine, bare_mine = clone(session), clone(bare)
        for _ in range(warmup):
            _timed_get(mine, page_url)
            _timed_get(bare_mine, bare_url)
        for _ in range(rounds):
            for url, s, bucket in (
                (page_url, mine, timing.page_ms),
                (bare_url, bare_mine, timing.bare_ms),
            ):
                barrier.wait()
                if not go["on"]:
                    return
                for _ in range(block):
                    ms, error = _timed_get(s, url)
                    with lock:
                        if error:
                            timing.errors.append(error)
                        else:
                            bucket.append(ms)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return timing


# --- output -------------------------------------------------------------------------------


def fmt(value, digits: int = 0) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        if value != value:  # NaN
            return "–"
        return f"{value:.{digits}f}"
    return str(value)


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A Markdown table, readable as plain text too (columns padded)."""
    widths = [
        max(_width(h), *(_width(r[i]) for r in rows)) if rows else _width(h)
        for i, h in enumerate(headers)
    ]
    lines = [
        "| " + " | ".join(_pad(h, w) for h, w in zip(headers, widths, strict=True)) + " |",
        "|" + "|".join("-" * (w + 2) for w in widths) + "|",
    ]
    for row in rows:
        lines.append("| " + " | ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)) + " |")
    return "\n".join(lines)


def _width(text: str) -> int:
    # CJK characters take two columns in a terminal.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(text))


def _pad(text: str, width: int) -> str:
    return str(text) + " " * (width - _width(text))
