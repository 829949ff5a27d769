"""The load test: simulated people of the generated data, each logged in as a user of their
own, thinking 5–15 s between requests. Mix: the project list 40 %, a project page 40 %, 我的消息
10 %, saves and actions 10 %. Run by bench/run.py (headless, bounded in time):

    BENCH_USERS_FILE=bench/results/load-users.json BENCH_MEASURE_SECONDS=120 \\
    locust -f bench/locustfile.py --headless -u 2000 -r 100 -t 360s --host http://127.0.0.1:PORT

BENCH_USERS_FILE: {"password": …, "users": {"reviewer": [...], "filler": [...], "unit_head":
[...]}}. Logging in is not part of the mix: statistics are reset once every user has logged
in, then measured for BENCH_MEASURE_SECONDS, and the run stops and writes its summary to
BENCH_SUMMARY_FILE (JSON). A 409 (someone else changed the project first) is a true conflict,
counted apart, not a failure. Writes keep the data as it was: forms are saved as shown, and
the only lifecycle actions taken are the reversible submit / withdraw / return_to_filler."""

from __future__ import annotations

import html
import itertools
import json
import os
import random
import re
import sys
import time
from pathlib import Path

import gevent
from locust import HttpUser, between, events, task

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from anywhere
from bench.htmlform import form_with_version  # noqa: E402


def _config() -> dict:
    path = os.environ.get("BENCH_USERS_FILE")
    if not path:
        return {"password": "bench2026", "users": {}}
    with open(path) as f:
        return json.load(f)


CONFIG = _config()
PASSWORD = CONFIG["password"]
USERS = CONFIG["users"]
COOKIES = CONFIG.get("cookies", {})  # session cookies of accounts logged in beforehand
MEASURE_SECONDS = float(os.environ.get("BENCH_MEASURE_SECONDS", "120"))
SUMMARY_FILE = os.environ.get("BENCH_SUMMARY_FILE", "")
TIMEOUT = 120
THINK = (5, 15)

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
PROJECT_LINK = re.compile(r'href="/projects/(\d+)"')
NEXT_PAGE = re.compile(r'<a href="(/projects\?[^"]*)">下一页</a>')
STATES = ("draft", "declared", "approved", "implementing", "evaluating", "archived")
ACTION = re.compile(r'<button type="submit" (disabled )?data-trigger="(\w+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
#: actions that a person undoes with another one: the data stays as the generator left it
REVERSIBLE = {"submit", "withdraw", "return_to_filler"}

_pools = {role: itertools.cycle(names) for role, names in USERS.items() if names}
_state = {
    "logged_in": 0,
    "login_failed": 0,
    "started": time.time(),
    "measuring_since": None,
    "conflicts": 0,
    "conflicts_by": {},
    "done": False,
}


def counted(fn):
    """A task (one thing a person does, of one or more requests) counted once done."""

    def run(self) -> None:
        start = time.time()
        fn(self)
        since = _state["measuring_since"]
        if since is not None and start >= since and not _state["done"]:
            _state["tasks"] += 1

    run.__name__ = fn.__name__
    return run


class Person(HttpUser):
    abstract = True
    wait_time = between(*THINK)
    role = ""

    def on_start(self) -> None:
        self.username = next(_pools[self.role]) if self.role in _pools else None
        self.project_ids: list[int] = []
        self.next_page: str | None = None
        if self.username in COOKIES:  # logged in beforehand (bench/run.py)
            self.client.cookies.set("session", COOKIES[self.username])
        elif self.username is None or not self._login():
            _state["login_failed"] += 1
            self.stop()
            return
        _state["logged_in"] += 1
        _maybe_start_measuring(self.environment)
        # a person arrives mid-thought, not all at once: the first action after a think time
        gevent.sleep(random.uniform(0, THINK[1]))

    def _login(self) -> bool:
        for _ in range(3):
            with self.client.get(
                "/login", name="login", catch_response=True, timeout=TIMEOUT
            ) as page:
                token = CSRF.search(page.text or "")
                if not token:
                    page.failure("no login form")
                    continue
            with self.client.post(
                "/login",
                name="login",
                allow_redirects=False,
                timeout=TIMEOUT,
                data={
                    "csrf_token": html.unescape(token.group(1)),
                    "username": self.username,
                    "password": PASSWORD,
                },
                catch_response=True,
            ) as answer:
                if answer.status_code == 302:
                    return True
                answer.failure(f"login HTTP {answer.status_code}")
        return False

    # --- reading ------------------------------------------------------------------------

    def _get(self, path: str, name: str):
        with self.client.get(
            path, name=name, catch_response=True, allow_redirects=False, timeout=TIMEOUT
        ) as answer:
            if answer.status_code != 200:
                answer.failure(f"HTTP {answer.status_code}")
                return None
            return answer.text

    def _list(self, path: str) -> None:
        page = self._get(path, "project list")
        if page:
            ids = [int(i) for i in PROJECT_LINK.findall(page)]
            if ids:
                self.project_ids = ids
            following = NEXT_PAGE.search(page)
            self.next_page = html.unescape(following.group(1)) if following else None

    @task(40)
    @counted
    def project_list(self) -> None:
        roll = random.random()
        if roll < 0.25 and self.next_page:  # paging on from the last list seen (下一页)
            self._list(self.next_page)
        elif roll < 0.4:
            self._list(f"/projects?state={random.choice(STATES)}")
        else:
            self._list("/projects")

    @task(40)
    @counted
    def project_page(self) -> None:
        if self.project_ids:
            self._get(f"/projects/{random.choice(self.project_ids)}", "project page")
        else:
            self._list("/projects")

    @task(10)
    @counted
    def messages(self) -> None:
        self._get("/notifications", "messages")

    # --- writing ------------------------------------------------------------------------

    def _post(self, path: str, data, name: str) -> None:
        with self.client.post(
            path, data=data, name=name, catch_response=True, allow_redirects=False, timeout=TIMEOUT
        ) as answer:
            if answer.status_code == 409:  # someone else changed it first: a true conflict
                answer.success()  # counted apart (write_summary)
            elif answer.status_code not in (200, 302, 303):
                answer.failure(f"HTTP {answer.status_code}")

    def _act(self, allowed: set[str]) -> bool:
        """A reversible action the project page offers this user, if there is one."""
        if not self.project_ids:
            return False
        pid = random.choice(self.project_ids)
        page = self._get(f"/projects/{pid}", "project page")
        if not page:
            return False
        offered = [t for disabled, t in ACTION.findall(page) if not disabled and t in allowed]
        token, version = CSRF.search(page), VERSION.search(page)
        if not (offered and token and version):
            return False
        trigger = random.choice(offered)
        self._post(
            f"/projects/{pid}/actions/{trigger}",
            {
                "csrf_token": html.unescape(token.group(1)),
                "version": version.group(1),
                "comment": "压力测试：请核对后重新提交",
            },
            f"action {trigger}",
        )
        return True


class Reviewer(Person):
    """财政审核人: reads the list and projects; the action: 全部标为已读 (their lifecycle actions
    are not reversible)."""

    role = "reviewer"

    @task(10)
    @counted
    def save_or_act(self) -> None:
        page = self._get("/notifications", "messages")
        token = CSRF.search(page or "")
        if token:
            self._post(
                "/notifications/read",
                {"csrf_token": html.unescape(token.group(1))},
                "mark messages read",
            )


class UnitPeople(Person):
    abstract = True

    def _save(self, what: str) -> bool:
        if not self.project_ids:
            return False
        pid = random.choice(self.project_ids)
        with self.client.get(
            f"/projects/{pid}/{what}",
            name=f"{what} form",
            catch_response=True,
            allow_redirects=False,
            timeout=TIMEOUT,
        ) as answer:
            if answer.status_code in (403, 404):  # not editable now: not this user's to save
                answer.success()
                return False
            if answer.status_code != 200:
                answer.failure(f"HTTP {answer.status_code}")
                return False
            page = answer.text
        fields = form_with_version(page)
        if not fields or (what == "milestones" and 'name="action"' not in page):
            return False
        if what == "milestones":
            fields.append(("action", "save"))
        self._post(f"/projects/{pid}/{what}", fields, f"save {what}")
        return True


class Filler(UnitPeople):
    """填报人: saves the 申报表 or the milestones as shown, or submits / withdraws a draft."""

    role = "filler"

    @task(10)
    @counted
    def save_or_act(self) -> None:
        kind = random.random()
        if kind < 0.4 and self._save("declaration"):
            return
        if kind < 0.6 and self._save("milestones"):
            return
        if not self._act(REVERSIBLE):
            self._save("declaration")


class UnitHead(UnitPeople):
    """单位负责人: returns a submitted draft to its 填报人 (the 填报人 submits it again)."""

    role = "unit_head"

    @task(10)
    @counted
    def save_or_act(self) -> None:
        if not self._act(REVERSIBLE):
            self._get("/notifications", "messages")


def _configure_counts() -> None:
    """Reviewers in proportion to the generated users; the rest unit people, as generated."""
    reviewers = len(USERS.get("reviewer", []))
    fillers, heads = len(USERS.get("filler", [])), len(USERS.get("unit_head", []))
    total = max(reviewers + fillers + heads, 1)
    for cls, count in ((Filler, fillers), (UnitHead, heads), (Reviewer, reviewers)):
        cls.weight = count
        cls.abstract = count == 0  # no such users: no such people
    if not (reviewers or fillers or heads):
        Reviewer.abstract, Reviewer.weight = False, 1  # the login fails and says so
    _state["mix"] = {
        "reviewer": reviewers / total,
        "filler": fillers / total,
        "unit_head": heads / total,
    }


_configure_counts()


def _maybe_start_measuring(environment) -> None:
    target = environment.parsed_options.num_users if environment.parsed_options else 0
    if _state["measuring_since"] is None and _state["logged_in"] + _state["login_failed"] >= target:
        environment.runner.stats.reset_all()
        _state["tasks"] = 0
        _state["measuring_since"] = time.time()
        _state["login_seconds"] = time.time() - _state["started"]
        gevent.spawn_later(MEASURE_SECONDS, _finish, environment)


def _finish(environment) -> None:
    if _state["done"]:
        return
    _state["done"] = True
    write_summary(environment)
    environment.runner.quit()


@events.test_start.add_listener
def _started(environment, **_kw) -> None:
    _state["started"] = time.time()


@events.quitting.add_listener
def _quitting(environment, **_kw) -> None:
    if not _state["done"]:
        _state["done"] = True
        write_summary(environment)


#: (name, ms, failure or None, HTTP status) of each request started in the measured window
_records: list[tuple[str, float, str | None, int | None]] = []


@events.request.add_listener
def _request(name, response_time, exception=None, response=None, start_time=None, **_kw) -> None:
    since = _state["measuring_since"]
    if since is None or start_time is None or start_time < since or _state["done"]:
        return  # begun before the window (logins, or queued behind them) or after it
    status = getattr(response, "status_code", None)
    failure = None if exception is None else f"{name}: {exception}"[:120]
    _records.append((name, response_time, failure, status))


def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def write_summary(environment) -> None:
    if not SUMMARY_FILE:
        return
    since = _state["measuring_since"]
    measured = (time.time() - since) if since else 0.0
    records = list(_records)
    times = [ms for _, ms, _, _ in records]
    kinds: dict[str, list[float]] = {}
    for name, ms, _, _ in records:
        kinds.setdefault(name, []).append(ms)
    by_kind = {
        name: {"count": len(v), "p50_ms": _pct(v, 0.5), "p95_ms": _pct(v, 0.95)}
        for name, v in kinds.items()
    }
    failures: dict[str, int] = {}
    for _, _, failure, _ in records:
        if failure:
            failures[failure] = failures.get(failure, 0) + 1
    conflicts: dict[str, int] = {}
    for name, _, _, status in records:
        if status == 409:
            conflicts[name] = conflicts.get(name, 0) + 1
    users = environment.parsed_options.num_users
    summary = {
        "users": users,
        "logged_in": _state["logged_in"],
        "login_failed": _state["login_failed"],
        "login_seconds": _state.get("login_seconds", 0.0),
        "measured_seconds": measured if since else 0.0,
        "requests": len(records),
        "served_rps": len(records) / measured if measured else 0.0,
        "tasks": _state["tasks"],
        "served_tasks_ps": _state["tasks"] / measured if measured else 0.0,
        # what the people ask for if every answer came at once: one action per think time
        "offered_tasks_ps": users / (sum(THINK) / 2),
        "p50_ms": _pct(times, 0.5),
        "p95_ms": _pct(times, 0.95),
        "max_ms": max(times, default=None),
        "failures": sum(failures.values()),
        "failure_kinds": failures,
        "conflicts": sum(conflicts.values()),
        "conflicts_by": conflicts,
        "by_kind": by_kind,
        "mix": _state.get("mix"),
        "complete": since is not None,
    }
    with open(SUMMARY_FILE, "w") as out:
        json.dump(summary, out, indent=1, ensure_ascii=False)
