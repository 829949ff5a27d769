"""Browser tests: the real app served on a free loopback port over a fresh database, driven by
Playwright's Python package through Debian's Chromium (never a downloaded browser).

They run whenever /usr/bin/chromium (or $JIXIAO_CHROMIUM) and the playwright package are there,
and say why when they skip. CI sets JIXIAO_REQUIRE_BROWSER=1: then a missing browser fails."""

from __future__ import annotations

import logging
import os
import re
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import PASSWORD, REQUIRE_BROWSER, sharing_templates
from tests.integration.test_mailer import mailbox, start_server  # noqa: F401 - SMTP fixtures
from web import create_app
from web.config import Config

CHROMIUM = os.environ.get("JIXIAO_CHROMIUM", "/usr/bin/chromium")
SHOTS = Path(os.environ.get("JIXIAO_SCREENSHOTS", Path(__file__).parent / "screenshots"))
# Chromium as root in a container, on a closed network: no sandbox, no background connections.
ARGS = [
    *("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"),
    *("--disable-background-networking", "--disable-component-update", "--disable-sync"),
]


def _why_not() -> str | None:
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return f"{CHROMIUM} is not installed (Debian: scripts/system-deps test, as root)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="session")
def chromium():
    reason = _why_not()
    if reason:
        if REQUIRE_BROWSER:
            pytest.fail(f"Browser tests required (JIXIAO_REQUIRE_BROWSER=1) but {reason}")
        pytest.skip(f"Browser tests: {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_app(db, clock):
    config = Config(
        DATABASE_URL=db.engine.url.render_as_string(hide_password=False),
        SECRET_KEY="e2e-secret",
    )
    return sharing_templates(create_app(config, clock=clock, database=db))


@pytest.fixture
def server(live_app):
    """The app on a free loopback port, served by threads as `jixiao serve` serves it."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request is noise
    httpd = make_server("127.0.0.1", 0, live_app, threaded=True)
    live_app.config["BASE_URL"] = f"http://127.0.0.1:{httpd.server_port}"  # links in emails
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield live_app.config["BASE_URL"]
    httpd.shutdown()
    thread.join(timeout=10)


class Person:
    """One user in their own browser context: their own cookies, their own tabs."""

    def __init__(self, context, base: str, shots: Path, name: str) -> None:
        self.context, self.base, self.shots, self.name = context, base, shots, name
        self.page = context.new_page()
        self.page.set_default_timeout(15_000)

    def open(self, path: str):
        self.page.goto(self.base + path)
        return self.page

    def login(self, username: str, password: str = PASSWORD, *, here: bool = False) -> None:
        """Log in on the login page, landing on the 工作台; or, `here`, on the login page a
        link led to, landing where the link pointed."""
        page = self.page if here else self.open("/login")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录").click()
        if not here:
            page.wait_for_url(self.base + "/")
            page.get_by_role("heading", name="工作台", exact=True).wait_for()

    def shot(self, step: str) -> Path:
        """A full-page screenshot, numbered in the order the test takes them."""
        self.shots.mkdir(parents=True, exist_ok=True)
        n = len(list(self.shots.glob("*.png"))) + 1
        path = self.shots / f"{n:02d}-{self.name}-{step}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def people(chromium, server, request):
    """A factory of Persons; screenshots land in tests/e2e/screenshots/<test name>/, emptied
    first, so a person can look at what users saw."""
    shots = SHOTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    shutil.rmtree(shots, ignore_errors=True)
    contexts = []

    def person(name: str, **options) -> Person:
        """A person in a browser of their own; `options` go to the context (viewport,
        java_script_enabled …)."""
        context = chromium.new_context(locale="zh-CN", accept_downloads=True, **options)
        contexts.append(context)
        return Person(context, server, shots, name)

    yield person
    for context in contexts:
        context.close()
