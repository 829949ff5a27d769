"""Shared fixtures: a real database on SQLite and (when TEST_DATABASE_URL is set) PostgreSQL,
built by the real migrations; factories for units, users and projects; a fixed clock."""

from __future__ import annotations

import datetime as dt
import functools
import os
from decimal import Decimal

import pytest
from argon2 import PasswordHasher, profiles
from hypothesis import settings
from jinja2 import BytecodeCache
from sqlalchemy import event, make_url, text

from web.migrate import upgrade
from workflow.audit import append_only
from workflow.clock import FixedClock
from workflow.db import Database
from workflow.declaration.form import apply_form
from workflow.declaration.models import Declaration
from workflow.evaluation.models import SelfEvaluation
from workflow.holidays import loading as holiday_calendar
from workflow.models import Base
from workflow.org import operations as org
from workflow.org.models import Role, Unit, User, UserRole
from workflow.projects.models import Project
from workflow.uow import UnitOfWork

# The audit chain's key for this process and every process a test starts (jixiao serve, the
# command line): never a file in the working tree.
os.environ.setdefault("AUDIT_KEY", "audit-key-of-the-test-run")
PG_URL = os.environ.get("TEST_DATABASE_URL", "")
# CI explores the same examples every run: a failure there is reproducible here.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
REQUIRE_PG = os.environ.get("JIXIAO_REQUIRE_POSTGRES") == "1"
REQUIRE_BROWSER = os.environ.get("JIXIAO_REQUIRE_BROWSER") == "1"
START = dt.datetime(2026, 3, 2, 1, 30, tzinfo=dt.UTC)  # 09:30 in Suzhou

COMPLETE_DECLARATION = {
    "project_type": "信息化工程及维护类",
    "project_attribute": "部门预算项目",
    "government_procurement": "是",
    "government_service_purchase": "否",
    "summary": "新建全市“331+”消防安全监管平台。",
    "basis": "全市构筑消防安全“331”治理机制动员部署会。",
    "necessity": "落实层级应用，形成监管闭环。",
    "safeguards": "1、按规定流程签订合同；\n2、按合同约定支付款项。",
    "implementation_plan": "2021年1到3月：项目需求确认、系统设计和方案论证",
    "overall_goal": "实现对全市331领域场所单位的消防安全监管闭环。",
    "annual_goal": "完成平台建设并上线运行。",
    "leaders": [{"name": "郁海成"}, {"name": "毛华"}],
    "contacts": [
        {"name": "李明", "phone": "13404236559"},
        {"name": "陈彤", "phone": "15168809631"},
    ],
    "fund_items": [{"name": "平台建设", "amount": "300"}, {"name": "平台运维", "amount": "50"}],
    "fund_sources": {"municipal": {"total": "500", "last_year": "", "this_year": "350"}},
    "indicators": [
        {"category": "投入", "sub_projects": "", "name": "预算执行率", "target": "=100%",
         "explanation": "", "evidence": "原始凭证"},
        {"category": "产出", "sub_projects": "平台建设", "name": "培训参与人数", "target": "=200人",
         "explanation": "", "evidence": ""},
        {"category": "结果", "sub_projects": "平台建设\n平台运维", "name": "隐患推送率",
         "target": "≥95%", "explanation": "", "evidence": ""},
        {"category": "影响力", "sub_projects": "平台运维", "name": "群众满意度", "target": "≥90%",
         "explanation": "", "evidence": ""},
    ],
}  # fmt: skip


def flat(data: dict) -> dict[str, str]:
    """Form data as the page posts it: `fund_items-0-amount`, `fund_sources-municipal-total`."""
    out: dict[str, str] = {}
    for key, value in data.items():
        if isinstance(value, list):
            for i, row in enumerate(value):
                out |= {f"{key}-{i}-{col}": v for col, v in row.items()}
        elif isinstance(value, dict):
            for row_key, row in value.items():
                out |= {f"{key}-{row_key}-{col}": v for col, v in row.items()}
        else:
            out[key] = value
    return out


COMPLETE_EVALUATION = {
    "implementation": "按计划完成。",
    "management_results": "管理规范。",
    "problems": "无重大问题。",
    "suggestions": "继续加强。",
}


# The longest tests first (about a minute each down to a few seconds), so that parallel workers
# (make test: -n auto --maxschedchunk 2, each worker taking the next test when it is free) do not
# end the run with one of them still in a long test while the other idles.
LONGEST_FIRST = (
    "tests/e2e/test_lifecycle.py", "tests/integration/test_reminders.py",
    "tests/web/test_access_matrix.py", "tests/web/test_fuzz_forms.py",
    "tests/integration/test_demo.py", "tests/integration/test_two_nodes.py",
    "tests/e2e/", "tests/integration/test_rendered_documents.py",
    "tests/web/test_fuzz_declaration.py", "tests/integration/test_reminder_policy.py",
    "tests/web/test_project_list.py", "tests/web/test_csrf_everywhere.py",
    "tests/integration/test_cli.py", "tests/web/test_workbench.py",
)  # fmt: skip


def _rank(item) -> tuple[int, int]:
    where = next((n for n, prefix in enumerate(LONGEST_FIRST) if item.nodeid.startswith(prefix)),
                 len(LONGEST_FIRST))  # fmt: skip
    return where, "[postgresql" not in item.nodeid  # PostgreSQL's run of a test is the longer


def pytest_collection_modifyitems(config, items):
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec and callspec.params.get("database_url") == "postgresql":
            item.add_marker(pytest.mark.postgresql)
    items.sort(key=_rank)


def pytest_configure(config):
    config.addinivalue_line("markers", "postgresql: runs against PostgreSQL")


def pytest_sessionfinish(session, exitstatus):
    # CI sets JIXIAO_REQUIRE_POSTGRES=1 and JIXIAO_REQUIRE_BROWSER=1: a run in which no
    # PostgreSQL (or no browser) test passed, or one of them was skipped, is a failure.
    if exitstatus != 0 or hasattr(session.config, "workerinput"):
        return  # a pytest-xdist worker: the controller sees every worker's results and checks
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    required = {"PostgreSQL": (REQUIRE_PG, "[postgresql"), "Browser": (REQUIRE_BROWSER, "e2e/")}
    for name, (wanted, marker) in required.items():
        if not wanted:
            continue
        passed = [r for r in reporter.stats.get("passed", []) if marker in r.nodeid]
        skipped = [r for r in reporter.stats.get("skipped", []) if marker in r.nodeid]
        if skipped or not passed:
            reporter.write_line(
                f"{name} tests required: {len(passed)} passed, {len(skipped)} skipped", red=True
            )
            session.exitstatus = 1


def _postgres_schema(url: str, schema: str, *, create: bool) -> None:
    db = Database(url)
    with db.engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        if create:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    db.dispose()


def _with_search_path(url: str, schema: str) -> str:
    # A schema of our own: two test runs (a developer's and fresh-clone, say) never collide;
    # commits not waiting for the disk (a test database need not survive a power cut).
    options = f"-csearch_path={schema} -csynchronous_commit=off"
    url = make_url(url).update_query_dict({"options": options})
    return url.render_as_string(hide_password=False)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request, tmp_path_factory) -> str:
    """A database migrated to head by Alembic, once per backend per test run."""
    if request.param == "postgresql":
        if not PG_URL:
            if REQUIRE_PG:
                pytest.fail("JIXIAO_REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set")
            pytest.skip("PostgreSQL: TEST_DATABASE_URL is not set")
        schema = f"jixiao_test_{os.getpid()}"
        _postgres_schema(PG_URL, schema, create=True)
        request.addfinalizer(lambda: _postgres_schema(PG_URL, schema, create=False))
        url = _with_search_path(PG_URL, schema)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    upgrade(url)
    return url


_ENGINES: dict[str, Database] = {}


@pytest.fixture
def db(database_url):
    """The migrated database, emptied after each test. One engine per backend serves the tests
    of a worker, so SQL is compiled once per run, not once per test (a fifth of a test's time);
    a test that leaves a connection checked out gets a new engine after it."""
    database = _ENGINES.get(database_url)
    if database is None:
        database = _ENGINES[database_url] = _unsynced(Database(database_url))
    yield database
    _empty(database)
    if database.engine.pool.checkedout():
        database.dispose()
        del _ENGINES[database_url]


def _unsynced(database: Database) -> Database:
    """A test database need not survive a power cut: SQLite does not sync its log at each
    commit (PostgreSQL's connections say synchronous_commit=off, `_with_search_path`). What a
    commit makes visible is the same; only the disk's flush is skipped."""
    if database.dialect == "sqlite":

        @event.listens_for(database.engine, "connect")
        def _no_sync(dbapi_conn, _record) -> None:
            dbapi_conn.execute("PRAGMA synchronous=OFF")

    return database


RESTART_SEQUENCES = """SELECT setval(s.oid::regclass, 1, false) FROM pg_class s
JOIN pg_namespace n ON n.oid = s.relnamespace
WHERE s.relkind = 'S' AND n.nspname = current_schema()"""


def _empty(database: Database) -> None:
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with database.engine.begin() as conn:
        if database.dialect == "postgresql":
            # One round trip (psycopg sends a script without parameters as a simple query):
            # 11 ms instead of 27 for the 100 statements below, after every PostgreSQL test.
            with conn.connection.driver_connection.cursor() as cursor:
                cursor.execute(_postgres_emptying(tuple(tables)))
            return
        append_only.remove(conn)  # the audit trail refuses deletion; tests start afresh
        for name in tables:  # children first; DELETE of a few rows is far cheaper than TRUNCATE
            conn.execute(text(f"DELETE FROM {name}"))
        append_only.install(conn)


@functools.cache
def _postgres_emptying(tables: tuple[str, ...]) -> str:
    """`_empty` on PostgreSQL as one script: the append-only triggers off, every table emptied
    (children first; DELETE of a few rows is far cheaper than TRUNCATE), ids from 1 again as
    SQLite's, the triggers back on."""
    return ";\n".join([
        *append_only.statements("postgresql", create=False),
        *(f"DELETE FROM {name}" for name in tables),
        RESTART_SEQUENCES,
        *append_only.statements("postgresql", create=True),
    ])  # fmt: skip


@pytest.fixture(autouse=True)
def _holiday_calendar_forgotten():
    """The admin's holiday calendar a test entered stays in this process (workflow/workdays.py)
    after its database is emptied: the next test starts without it."""
    yield
    holiday_calendar.forget()


@pytest.fixture
def session(db):
    with db.session(write=True) as s:
        yield s


@pytest.fixture
def clock():
    return FixedClock(START)


@pytest.fixture
def uow(session):
    return UnitOfWork(session)


PASSWORD = "password123"
# What the app hashes passwords with; tests/unit/test_passwords.py holds it to argon2id at the
# library's defaults (RFC 9106, 64 MiB). In this process the tests use argon2-cffi's profile for
# tests, which verifies in a tenth of a millisecond instead of 200 ms of both cores per login;
# the processes the tests start (`jixiao serve`, the CLI) hash as production does.
PRODUCTION_HASHER = org._hasher


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashing():
    org._hasher = PasswordHasher.from_parameters(profiles.CHEAPEST)
    yield
    org._hasher = PRODUCTION_HASHER


class SharedTemplates(BytecodeCache):
    """Jinja's bytecode cache, kept in memory for every app this test process creates: a
    template is compiled once per run, not once per test (keys hold the source's checksum)."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


SHARED_TEMPLATES = SharedTemplates()


def sharing_templates(app):
    app.jinja_env.bytecode_cache = SHARED_TEMPLATES
    return app


@functools.cache
def _password_hash() -> str:
    return org.hash_password(PASSWORD)


class Factory:
    """Builds units, users and projects straight into the database (the lifecycle is tested
    through `fire`; the starting points need not be)."""

    def __init__(self, session, clock) -> None:
        self.session, self.clock, self._n = session, clock, 0

    def _next(self) -> int:
        self._n += 1
        return self._n

    def unit(self, name: str | None = None) -> Unit:
        n = self._next()
        unit = Unit(code=f"U{n:04d}", name=name or f"测试单位{n}")
        self.session.add(unit)
        self.session.commit()
        return unit

    def user(self, *roles: Role | str, unit: Unit | None = None, name: str = "") -> User:
        """A user whose password is PASSWORD (hashed once per run: argon2 is slow on purpose)."""
        n = self._next()
        user = User(
            username=f"user{n}", display_name=name or f"用户{n}", password_hash=_password_hash(),
            unit_id=unit.id if unit else None, is_active=True, session_version=1,
            created_at=self.clock.now(), role_rows=[UserRole(role=Role(r).value) for r in roles],
        )  # fmt: skip
        self.session.add(user)
        self.session.commit()
        return user

    def project(
        self,
        unit: Unit,
        *,
        state: str = "draft",
        creator: User,
        submitted_by: User | None = None,
        last_by: User | None = None,
        complete: bool = True,
    ) -> Project:
        now = self.clock.now()
        project = Project(
            unit_id=unit.id, year=2026, name=f"测试项目{self._next()}",
            amount=Decimal("350") if complete else Decimal(0),
            state=state, version=1, created_by_id=creator.id, created_at=now, updated_at=now,
            state_entered_at=now,
            submitted_by_id=submitted_by.id if submitted_by else None,
            last_transition_by_id=last_by.id if last_by else None,
            milestones_confirmed_at=now if complete else None,
        )  # fmt: skip
        self.session.add(project)
        self.session.flush()
        declaration = Declaration(project_id=project.id)
        apply_form(declaration, COMPLETE_DECLARATION if complete else {})
        self.session.add(declaration)
        if complete:
            money = {key: Decimal(350) for key in ("budget_initial", "appropriated", "paid")}
            self.session.add(SelfEvaluation(project_id=project.id, **COMPLETE_EVALUATION, **money))
        self.session.commit()
        return project

    def evaluating(self) -> tuple[Project, User]:
        """A project of a new unit approved by finance (targets frozen, milestones proposed),
        then in 自评; and its 填报人."""
        from workflow.lifecycle.operations import fire  # operations need the models loaded

        unit = self.unit()
        filler, head = self.user(Role.filler, unit=unit), self.user(Role.unit_head, unit=unit)
        project = self.project(unit, state="declared", creator=filler, submitted_by=filler,
                               last_by=head)  # fmt: skip
        fire(UnitOfWork(self.session), project, "approve", actor=self.user(Role.reviewer),
             now=self.clock.now())  # fmt: skip
        project.state = "evaluating"  # implementation happened
        self.session.commit()
        return project, filler


@pytest.fixture
def make(session, clock) -> Factory:
    return Factory(session, clock)
