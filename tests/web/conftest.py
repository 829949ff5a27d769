"""A real app on the test database, with CSRF on, and a browser-like client helper."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event

from tests.conftest import PASSWORD, sharing_templates
from web import create_app
from web.config import Config

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture
def app(db, clock, tmp_path):
    config = Config(
        DATABASE_URL=db.engine.url.render_as_string(hide_password=False),
        SECRET_KEY="test-secret",
        TESTING=True,
    )
    return sharing_templates(create_app(config, clock=clock, database=db))


class Browser:
    """A test client that reads the CSRF token from the page it was on, as a browser would."""

    def __init__(self, client) -> None:
        self.client = client
        self.token = ""

    def get(self, url, **kwargs):
        response = self.client.get(url, **kwargs)
        if response.mimetype != "text/html":
            return response
        match = _CSRF.search(response.get_data(as_text=True))
        if match:
            self.token = match.group(1)
        return response

    def post(self, url, data=None, *, csrf=True, **kwargs):
        data = dict(data or {})
        if csrf:
            if not self.token:
                self.get(url if "actions" not in url else "/projects")
            data.setdefault("csrf_token", self.token)
        return self.client.post(url, data=data, **kwargs)

    def login(self, user, password=PASSWORD):
        self.get("/login")
        return self.post("/login", {"username": user.username, "password": password})


@pytest.fixture
def browser(app):
    def make() -> Browser:
        return Browser(app.test_client())

    return make


def text_of(response) -> str:
    return response.get_data(as_text=True)


class StatementCounter:
    """Counts the SQL statements a block runs against one database."""

    def __init__(self, db) -> None:
        self.engine, self.statements = db.engine, []

    def _record(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self.statements.append(statement)

    def __enter__(self) -> StatementCounter:
        event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc) -> None:
        event.remove(self.engine, "before_cursor_execute", self._record)

    @property
    def count(self) -> int:
        # What the test measures is the page's work: not BEGIN/ROLLBACK bookkeeping.
        return sum(not s.lstrip().upper().startswith(("BEGIN", "ROLLBACK", "COMMIT"))
                   for s in self.statements)  # fmt: skip
