"""Two web nodes and two scheduler processes on one database behave as one site: a login on one
node is valid on the other, a form rendered by one is accepted by the other, a PDF asked for on
both is made once, and reminders and mails go out once. Real processes (`jixiao serve`,
`jixiao render-pdfs`, `jixiao scheduler --once`) on loopback ports, sharing only the database
and SECRET_KEY, as the README's deployment section says."""

from __future__ import annotations

import datetime as dt
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD
from tests.integration.test_mailer import mailbox, start_server  # noqa: F401 - SMTP fixtures
from workflow.clock import CHINA
from workflow.exports.models import RenderedDocument
from workflow.milestones.models import Milestone
from workflow.notify.mailer import queue_email
from workflow.notify.models import OutboundEmail, Reminder
from workflow.org.models import Role
from workflow.projects.models import Project
from workflow.workdays import is_workday

_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(database_url: str, tmp_path, **extra) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": database_url, "JIXIAO_INSTANCE": str(tmp_path),
           "SECRET_KEY": "two-nodes-share-this-secret", **extra}  # fmt: skip
    for name in ("SMTP_HOST", "SMTP_PORT", "SMTP_SSL", "SMTP_STARTTLS"):
        if name not in extra:
            env.pop(name, None)
    return env


def _rows(db, query) -> list:
    """What is committed now, read in a session of its own (the test's session would hold
    SQLite's write lock while the processes under test need it)."""
    with db.session() as s:
        return list(s.scalars(query))


def _jixiao(*args: str) -> list[str]:
    return [sys.executable, "-m", "web.cli", *args]


@pytest.fixture
def nodes(database_url, db, tmp_path):
    """Two `jixiao serve` processes on one database, each on its own loopback port."""
    procs, urls = [], []
    for _ in range(2):
        port = _free_port()
        procs.append(subprocess.Popen(
            _jixiao("serve", "--host", "127.0.0.1", "--port", str(port)),
            env=_env(database_url, tmp_path), stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ))  # fmt: skip
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for url in urls:
            _wait_until_up(url)
        yield urls
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=20)


def _wait_until_up(url: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/login", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


class Person:
    """One browser: one cookie jar for the site, whichever node answers (as behind a load
    balancer). Redirects are not followed, so each answer is the node's own."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def get(self, url: str) -> tuple[int, str, bytes]:
        return self._open(urllib.request.Request(url))

    def post(self, url: str, data: dict[str, str]) -> tuple[int, str, bytes]:
        body = urllib.parse.urlencode(data).encode()
        return self._open(urllib.request.Request(url, data=body, method="POST"))

    def _open(self, request) -> tuple[int, str, bytes]:
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.headers.get_content_type(), response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get_content_type(), error.read()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _token(page: bytes) -> str:
    found = _TOKEN.search(page.decode())
    assert found, "no CSRF token on the page"
    return found.group(1)


def test_a_login_a_form_and_a_pdf_work_across_two_nodes(nodes, database_url, db, make, session,
                                                        tmp_path):  # fmt: skip
    a, b = nodes
    unit = make.unit("苏州市公安局")
    filler, head = make.user(Role.filler, unit=unit), make.user(Role.unit_head, unit=unit)
    reviewer = make.user(Role.reviewer, name="沈审核")
    project = make.project(unit, state="declared", creator=filler, submitted_by=filler,
                           last_by=head)  # fmt: skip
    session.commit()

    person = Person()
    status, _, page = person.get(f"{a}/login")
    status, _, _ = person.post(f"{a}/login", {"csrf_token": _token(page),
                                              "username": reviewer.username,
                                              "password": PASSWORD})  # fmt: skip
    assert status == 302  # logged in on node A …
    status, _, page = person.get(f"{b}/")
    assert status == 200 and "沈审核" in page.decode()  # … is logged in on node B

    # the 申报表 PDF asked for on both nodes: one job, made once by two renderers at once
    for node in (a, b):
        status, kind, page = person.get(f"{node}/projects/{project.id}/declaration.pdf")
        assert status == 200 and kind == "text/html" and "正在生成" in page.decode()
    assert len(_rows(db, select(RenderedDocument))) == 1
    renderers = [subprocess.Popen(_jixiao("render-pdfs", "--once"),
                                  env=_env(database_url, tmp_path), stdout=subprocess.DEVNULL)
                 for _ in range(2)]  # fmt: skip
    assert [r.wait(timeout=240) for r in renderers] == [0, 0]
    (document,) = _rows(db, select(RenderedDocument))
    assert (document.status, document.attempts) == ("ready", 1), document.error  # made once
    pdfs = [person.get(f"{node}/projects/{project.id}/declaration.pdf") for node in (a, b)]
    assert [(s, k) for s, k, _ in pdfs] == [(200, "application/pdf")] * 2
    assert pdfs[0][2] == pdfs[1][2] and pdfs[0][2].startswith(b"%PDF")

    # a form rendered by node A, sent to node B
    status, _, page = person.get(f"{a}/projects/{project.id}")
    assert status == 200
    form = {"csrf_token": _token(page), "version": str(project.version),
            "comment": "请补充绩效指标的测算依据"}  # fmt: skip
    status, _, _ = person.post(f"{b}/projects/{project.id}/actions/return_for_revision", form)
    assert status == 302
    assert [p.state for p in _rows(db, select(Project))] == ["draft"]


def test_two_schedulers_remind_and_mail_once(
    database_url,
    db,
    make,
    session,
    tmp_path,
    start_server,  # noqa: F811 - a fixture
    mailbox,  # noqa: F811 - a fixture
):
    """Two `jixiao scheduler --once` at the same moment: each reminder, message, digest and
    email exists once and each email reaches the SMTP server once."""
    today = dt.datetime.now(CHINA).date()
    unit = make.unit()
    each = make.user(Role.filler, unit=unit)
    each.email, each.email_mode = "each@example.cn", "each"
    digest = make.user(Role.filler, unit=unit)
    digest.email = "digest@example.cn"
    project = make.project(unit, state="implementing", creator=each)
    session.add_all(Milestone(project_id=project.id, position=n, kind="payment",
                              title=f"付款{n}", due=today + dt.timedelta(days=n))
                    for n in range(0, 40))  # fmt: skip
    for n in range(30):  # mail already waiting in the outbox
        queue_email(session, dedupe_key=f"queued:{n}", to_addr=f"u{n}@example.cn",
                    subject=f"【绩效管理】测试邮件{n}", body="正文",
                    now=make.clock.now())  # fmt: skip
    session.commit()

    mailbox.delay = 0.05  # a slow server keeps the two drainers overlapping
    smtp = start_server(mailbox)
    env = _env(database_url, tmp_path, SMTP_HOST=smtp.host, SMTP_PORT=str(smtp.port))
    schedulers = [subprocess.Popen(_jixiao("scheduler", "--once"), env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                  for _ in range(2)]  # fmt: skip
    results = [(s.wait(timeout=240), s.stderr.read().decode()) for s in schedulers]
    assert [code for code, _ in results] == [0, 0], results

    reminders = _rows(db, select(Reminder))
    keys = Counter((r.milestone_id, r.kind, r.remind_on) for r in reminders)
    assert all(n == 1 for n in keys.values()), keys
    if is_workday(today):  # due today, and 1, 7 and 30 days from now (or the day off after)
        assert len(reminders) >= 3
    else:  # nothing is sent on a day off: the reminders went out the working day before
        assert reminders == []
    emails = _rows(db, select(OutboundEmail))
    assert all(e.status == "sent" for e in emails), Counter(e.status for e in emails)
    received = Counter((tuple(e.rcpt_tos), e.content) for e in mailbox.envelopes)
    assert len(mailbox.envelopes) == len(emails) >= 30  # each email once
    assert all(n == 1 for n in received.values())
    digests = [e for e in emails if e.to_addr == "digest@example.cn"]
    assert len(digests) == (1 if reminders else 0)
