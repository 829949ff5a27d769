"""Session cookies and security headers, on every kind of response."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD, sharing_templates
from tests.web.conftest import Browser
from web import create_app
from web.config import Config
from workflow.org.models import Role

HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
}


def _login(client, user, base: str = "http://localhost", seen: str = "") -> str:
    # Over HTTPS Flask-WTF also checks the Referer: the address the browser saw, sent as is.
    b, headers = Browser(client), {"Referer": f"{seen or base}/login"}
    b.get("/login", base_url=base)
    response = b.post("/login", {"username": user.username, "password": PASSWORD},
                      base_url=base, headers=headers)  # fmt: skip
    assert response.status_code == 302
    return response.headers["Set-Cookie"]


def test_the_session_cookie_is_secure_over_https_only(app, make):
    user = make.user(Role.reviewer)
    plain = _login(app.test_client(), user)
    secure = _login(app.test_client(), user, "https://localhost")
    for cookie in (plain, secure):
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in plain.split(";")[1:] and "; Secure" in secure


def test_behind_a_trusted_proxy_https_is_read_from_x_forwarded_proto(db, clock, make):
    config = Config(DATABASE_URL=db.engine.url.render_as_string(hide_password=False),
                    SECRET_KEY="test", TRUST_PROXY=True)  # fmt: skip
    app = sharing_templates(create_app(config, clock=clock, database=db))
    client = app.test_client()
    client.environ_base["HTTP_X_FORWARDED_PROTO"] = "https"
    cookie = _login(client, make.user(Role.reviewer), seen="https://localhost")
    assert "; Secure" in cookie
    page = client.get("/projects")
    assert page.headers["Strict-Transport-Security"].startswith("max-age=")


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("GET", "/login", 200), ("GET", "/projects", 302), ("GET", "/static/style.css", 200),
     ("GET", "/static/no-such.css", 404), ("POST", "/login", 400)],
)  # fmt: skip
def test_every_kind_of_response_carries_the_security_headers(app, method, path, status):
    response = app.test_client().open(path, method=method)
    assert response.status_code == status
    for name, value in HEADERS.items():
        assert response.headers[name] == value, (path, name)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP: no HSTS promise
