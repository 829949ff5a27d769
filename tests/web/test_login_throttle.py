"""Login throttling (等保: 登录失败处理): one password tried on forty names from one address is
slowed (429 「登录尝试过于频繁，请稍后再试」), and so is one name guessed from many addresses;
an office logging in from one address is not; the counts are shared by every web node
through Redis when REDIS_URL is set, and kept in memory otherwise."""

from __future__ import annotations

import uuid

import pytest
import redis
from sqlalchemy import select

from tests.conftest import PASSWORD
from tests.web.conftest import Browser, text_of
from web import create_app
from web.config import Config
from workflow.org.models import LoginRecord, Role

REDIS_URL = "redis://127.0.0.1:6379/0"
THROTTLED = "登录尝试过于频繁，请稍后再试"


def _app(db, clock, **settings):
    config = Config(
        DATABASE_URL=db.engine.url.render_as_string(hide_password=False),
        SECRET_KEY="test-secret",
        **settings,
    )
    return create_app(config, clock=clock, database=db)


def _browser(app, address: str) -> Browser:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    b = Browser(client)
    b.get("/login")
    return b


def _try(b: Browser, username: str, password: str):
    return b.post("/login", {"username": username, "password": password})


@pytest.fixture
def shared_redis():
    """A key prefix of this test's own in the machine's Redis, removed afterwards."""
    client = redis.Redis.from_url(REDIS_URL)
    client.ping()  # Redis is part of the test setup: no skip when it is missing
    prefix = f"jixiao-test-{uuid.uuid4().hex}"
    yield prefix
    for key in client.scan_iter(f"*{prefix}*"):
        client.delete(key)


def test_one_password_on_forty_names_from_one_address_is_slowed(db, clock, make, session):
    app = _app(db, clock)
    make.user(Role.filler, unit=make.unit())
    b = _browser(app, "198.51.100.20")
    answers = [_try(b, f"user{i:02d}", "Spring2026!") for i in range(40)]
    codes = [a.status_code for a in answers]
    assert codes[:20] == [401] * 20 and set(codes[20:]) == {429}
    assert THROTTLED in text_of(answers[-1])
    # the throttled attempts are in the login log; the password is not checked for them
    session.rollback()
    results = list(session.scalars(select(LoginRecord.result).order_by(LoginRecord.id)))
    assert results.count("unknown_name") == 20 and results.count("throttled") == 20
    # another address is not slowed by it
    assert _try(_browser(app, "198.51.100.21"), "user00", "x").status_code == 401


def test_one_name_guessed_from_many_addresses_is_slowed_and_its_owner_gets_in_later(
    db, clock, make
):
    app = _app(db, clock, LOGIN_LIMIT_PER_NAME="10 per minute")
    owner = make.user(Role.reviewer)
    for i in range(10):  # two guesses from each of five addresses: below the lock per address
        guesser = _browser(app, f"203.0.113.{i // 2}")
        assert _try(guesser, owner.username, "guess").status_code == 401
    assert _try(_browser(app, "203.0.113.99"), owner.username, "guess").status_code == 429
    # the owner is slowed too while it lasts (a minute here), not locked; an administrator's
    # 解除锁定 lifts it at once
    office = _browser(app, "10.1.1.1")
    assert _try(office, owner.username, PASSWORD).status_code == 429
    admin = make.user(Role.security_admin)  # unlocking is the 安全管理员's
    a = _browser(app, "10.1.1.2")
    assert _try(a, admin.username, PASSWORD).status_code == 302
    a.get(f"/admin/users/{owner.id}")
    assert a.post(f"/admin/users/{owner.id}/unlock", {}).status_code == 302
    assert _try(office, owner.username, PASSWORD).status_code == 302


def test_an_office_behind_one_address_logs_in_without_being_slowed(db, clock, make):
    app = _app(db, clock)
    unit = make.unit()
    people = [make.user(Role.filler, unit=unit) for _ in range(30)]
    for person in people:
        b = _browser(app, "10.9.9.9")
        if person is people[0]:
            assert _try(b, person.username, "typo").status_code == 401
        assert _try(b, person.username, PASSWORD).status_code == 302


def test_the_count_is_shared_by_two_nodes_through_redis(db, clock, make, shared_redis):
    settings = {"REDIS_URL": REDIS_URL, "RATELIMIT_KEY_PREFIX": shared_redis}
    node_a, node_b = _app(db, clock, **settings), _app(db, clock, **settings)
    make.user(Role.filler, unit=make.unit())
    codes = [
        _try(_browser(node, "198.51.100.30"), f"name{i}", "Spring2026!").status_code
        for i, node in enumerate([node_a, node_b] * 12)
    ]
    assert codes[:20] == [401] * 20 and codes[20:] == [429] * 4
    keys = redis.Redis.from_url(REDIS_URL).keys(f"*{shared_redis}*")
    assert keys  # the count is in Redis, not in either node


def test_without_redis_each_node_counts_in_its_own_memory(db, clock, make):
    node_a, node_b = _app(db, clock), _app(db, clock)
    make.user(Role.filler, unit=make.unit())
    for i in range(20):
        assert _try(_browser(node_a, "198.51.100.40"), f"n{i}", "x").status_code == 401
    assert _try(_browser(node_a, "198.51.100.40"), "n20", "x").status_code == 429
    assert _try(_browser(node_b, "198.51.100.40"), "n20", "x").status_code == 401
