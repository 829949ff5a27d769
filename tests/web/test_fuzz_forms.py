"""Random input in every form but the 申报表 (tests/web/test_fuzz_declaration.py has that one):
never a 5xx, only the expected statuses, every error message shown in Chinese, nothing
half-saved (an error leaves the rows exactly as they were) and `<script>` never comes back
unescaped. Under the "ci" profile (tests/conftest.py) every run explores the same examples."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, example, given, reject, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tests.conftest import COMPLETE_DECLARATION
from tests.integration.test_milestones import PLAN_001
from tests.web.conftest import Browser, text_of
from tests.web.safety import assert_chinese_errors, database_dump, fresh, project_dump
from web.declaration.form_data import SCALAR_FIELDS
from workflow.audit.models import AuditEvent
from workflow.declaration.form import apply_form, to_form
from workflow.declaration.models import Declaration
from workflow.errors import InvalidInput
from workflow.evaluation.models import BUDGET_FIELDS, EVALUATION_FIELDS, ScoringTemplateChoice
from workflow.lifecycle.machine import get_lifecycle
from workflow.lifecycle.operations import fire
from workflow.milestones import operations as milestone_ops
from workflow.milestones.models import KIND_LABELS, Milestone
from workflow.notify.mailer import queue_email
from workflow.notify.models import Notification, OutboundEmail
from workflow.org.models import ROLE_LABELS, Role, Unit, User
from workflow.org.policy import FIELDS
from workflow.projects.models import Project
from workflow.text import clean
from workflow.uow import UnitOfWork

SCRIPT = "<script>alert(1)</script>"
NASTY = st.sampled_from([
    SCRIPT, "'; DROP TABLE projects; --", "1' OR '1'='1", "=HYPERLINK(\"http://x\")",
    "\x00", "a\x00b", "\x01\x02\x1f\x7f", "\u202e", "　", "\r\n", "", " ",
    "-1", "-0.01", "-99999999", "0", "1e309", "NaN", "Infinity", "99999999999999999999",
    "9" * 5000, "a" * 5000, "中" * 300, "１２３", "０．５", "1,000.5", "100%", "≥", "%",
    "2026-02-30", "2026-13-01", "0000-00-00", "9999-12-31", "2024/2/29", "2021年2月30日",
    "true", "None", "[]", "{}", "😀", "١٢٣", "²", "¹²³", "1" * 4500,
])  # fmt: skip
# Just past the limits of the columns (32, 64, 100, 200, 254 characters and the texts).
LONG = st.builds(lambda n, c: c * n, st.sampled_from([33, 65, 101, 201, 255, 2001]),
                 st.sampled_from(["x", "中", "a@"]))  # fmt: skip
VALUE = st.one_of(
    st.text(max_size=60), NASTY, NASTY, LONG, st.integers().map(str),
    st.decimals(allow_nan=True).map(str), st.dates().map(str),
)  # fmt: skip
STATUSES = {200, 302, 400, 403, 409, 422}


def fuzz(examples: int):
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


def checked(response, statuses=STATUSES) -> str:
    """The page, after the checks every answer must pass."""
    page = text_of(response)
    assert response.status_code in statuses, f"{response.status_code}: {page[:600]}"
    assert SCRIPT not in page
    if response.mimetype == "text/html":
        messages = assert_chinese_errors(page)
        if response.status_code >= 400:
            assert messages, f"an error without a message: {page[:600]}"
    return page


def logged_in(app, user) -> Browser:
    b = Browser(app.test_client())
    assert b.login(user).status_code == 302
    b.get("/notifications")  # this session's token
    return b


def _version(session, project_id: int) -> str:
    fresh(session)
    return str(session.get(Project, project_id).version)


def _version_of(choice, session, project_id) -> str:
    return _version(session, project_id) if choice is None else choice


VERSION = st.one_of(st.none(), st.none(), VALUE)  # None: the right one, as the page renders it


# ---------------------------------------------------------------------------------- login


@pytest.fixture
def account(make):
    return make.user(Role.filler, unit=make.unit())


@fuzz(100)
@given(real_name=st.booleans(), username=VALUE, password=VALUE, extra=VALUE)
@example(real_name=False, username="a" * 65, password="x", extra="")  # found: no message
@example(real_name=False, username="", password="", extra="")
def test_login(app, session, account, real_name, username, password, extra):
    """Random names and passwords, and the real name with wrong passwords (which locks it,
    and soon throttles the address: 429)."""
    b = Browser(app.test_client())
    b.get("/login")
    users = database_dump(session)["users"]
    data = {"username": account.username if real_name else username, "password": password}
    response = b.post(f"/login?next={extra[:100]}", data)
    page = checked(response, {401, 422, 429})
    assert assert_chinese_errors(page), "the login was refused without a word"
    assert b.get("/projects").status_code == 302  # still anonymous
    assert database_dump(session)["users"] == users


# ---------------------------------------------------------------------------- new project


@pytest.fixture
def filler_browser(app, make):
    unit = make.unit()
    filler = make.user(Role.filler, unit=unit)
    return logged_in(app, filler), filler


GOOD_YEAR = st.sampled_from(["2026", "2000", "2100", "２０２６", " 2027 "])


@fuzz(100)
@given(name=st.one_of(VALUE, st.just("智慧应急一期")), year=st.one_of(VALUE, GOOD_YEAR))
def test_new_project(filler_browser, session, name, year):
    b, filler = filler_browser
    before = database_dump(session)
    response = b.post("/projects/new", {"name": name, "year": year})
    checked(response, {302, 422})
    if response.status_code == 422:
        assert database_dump(session) == before
        return
    fresh(session)
    project = session.scalars(select(Project).order_by(Project.id.desc())).first()
    assert (project.name, project.year) == (clean(name), int(clean(year).translate(_DIGITS)))
    assert project.unit_id == filler.unit_id


_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


# ----------------------------------------------------------------- lifecycle actions


@pytest.fixture
def deciders(app, make):
    unit = make.unit()
    people = {
        "filler": make.user(Role.filler, unit=unit),
        "unit_head": make.user(Role.unit_head, unit=unit),
        "reviewer": make.user(Role.reviewer),
    }
    browsers = {r: logged_in(app, people[r]) for r in ("unit_head", "reviewer")}
    people["someone"] = make.user(Role.reviewer)  # made the last change: nobody is blocked
    return unit, people, browsers


COMMENT = st.one_of(VALUE, st.just("请补充预算测算依据"), st.just("中" * 2001))


@fuzz(100)
@given(
    trigger=st.sampled_from(["return_to_filler", "return_for_revision", "refuse", "declare"]),
    comment=COMMENT, version=VERSION, extra=VALUE,
)  # fmt: skip
@example(trigger="refuse", comment="不予支持", version="²", extra="")  # found: a 500
def test_actions_with_comments(make, session, deciders, trigger, comment, version, extra):
    unit, people, browsers = deciders
    t = get_lifecycle().spec.by_trigger[trigger]
    filler = people["filler"]
    project = make.project(unit, state=t.sources[0], creator=filler, submitted_by=filler,
                           last_by=people["someone"])  # fmt: skip
    b = browsers[sorted(t.roles)[0]]
    before = project_dump(session, project.id)
    data = {"comment": comment, "version": _version_of(version, session, project.id),
            "trigger": extra}  # fmt: skip
    response = b.post(f"/projects/{project.id}/actions/{trigger}", data)
    checked(response, {302, 409, 422})
    fresh(session)
    if response.status_code != 302:
        assert project_dump(session, project.id) == before
        return
    assert session.get(Project, project.id).state == t.dest
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.project_id == project.id).order_by(AuditEvent.seq)
    ).all()[-1]
    assert (event.action, event.comment) == (trigger, clean(comment))
    if "<" in comment:  # the history shows the comment, escaped
        checked(browsers["unit_head"].get(f"/projects/{project.id}"))


# ---------------------------------------------------------------------------- milestones


@pytest.fixture
def planned(app, session, make, clock):
    """An approved project whose milestones (seed 001's plan) wait for the unit's corrections."""
    unit = make.unit()
    filler, head = make.user(Role.filler, unit=unit), make.user(Role.unit_head, unit=unit)
    project = make.project(unit, state="declared", creator=filler, submitted_by=filler,
                           last_by=head, complete=False)  # fmt: skip
    apply_form(session.get(Declaration, project.id),
               {**COMPLETE_DECLARATION, "implementation_plan": PLAN_001})  # fmt: skip
    session.commit()
    fire(UnitOfWork(session), project, "approve", actor=make.user(Role.reviewer), now=clock.now())
    return project, filler, logged_in(app, filler)


ROW_VALUE = st.one_of(
    VALUE, st.sampled_from([*KIND_LABELS, "2026-05-01", "2026/6/30", "10", "5", "1", "3", "验收"])
)
ROW_KEY = st.tuples(
    st.sampled_from([0, 1, 2, 6, 7, 99, 9999, 123456]),
    st.sampled_from([*milestone_ops.ROW_FIELDS, "bogus"]),
)


@fuzz(120)
@given(cells=st.dictionaries(ROW_KEY, ROW_VALUE, max_size=14), version=VERSION)
@example(cells={(0, "anchor"): "9" * 5000}, version=None)  # found: a 500
@example(cells={(0, "offset_years"): "²"}, version="¹²")
def test_milestone_plan(planned, session, cells, version):
    project, _, b = planned
    before = project_dump(session, project.id)
    data = {f"milestones-{i}-{field}": v for (i, field), v in cells.items()}
    data["version"] = _version_of(version, session, project.id)
    response = b.post(f"/projects/{project.id}/milestones", data)
    checked(response, {302, 409, 422})
    if response.status_code != 302:
        assert project_dump(session, project.id) == before
    else:
        checked(b.get(f"/projects/{project.id}/milestones"))


@pytest.fixture
def implementing(app, session, planned, clock):
    project, filler, b = planned
    rows = milestone_ops.to_rows(milestone_ops.milestones_of(session, project))
    rows[6]["due"] = "2020-12-15"
    milestone_ops.save_milestones(UnitOfWork(session), project, rows, actor=filler,
                                  now=clock.now(), expected_version=None)  # fmt: skip
    milestone_ops.confirm(UnitOfWork(session), project, actor=filler, now=clock.now())
    project.state = "implementing"
    session.commit()
    ids = [m.id for m in milestone_ops.milestones_of(session, project)]
    return project, ids, b


@fuzz(120)
@given(
    which=st.integers(min_value=0, max_value=6),
    actual_date=st.one_of(VALUE, st.sampled_from(["2021-01-20", "2021/1/20", "2021年1月20日"])),
    paid_amount=st.one_of(VALUE, st.sampled_from(["71.75", "１２", "0"])),
    note=VALUE,
)  # fmt: skip
def test_milestone_record(implementing, session, which, actual_date, paid_amount, note):
    project, ids, b = implementing
    before = project_dump(session, project.id)
    url = f"/projects/{project.id}/milestones/{ids[which]}"
    data = {"actual_date": actual_date, "paid_amount": paid_amount, "note": note}
    response = b.post(url, data)
    page = checked(response, {302, 422})
    if response.status_code == 422:  # refused: the page shows why, with what was typed
        assert project_dump(session, project.id) == before
        assert 'class="flash error"' in page
        return
    fresh(session)
    milestone = session.get(Milestone, ids[which])
    assert milestone.note == clean(note)


# ------------------------------------------------------------------------ self-evaluation


@pytest.fixture
def evaluating(app, make):
    project, filler = make.evaluating()
    return project, logged_in(app, filler)


EVALUATION_KEYS = [
    *(f.name for f in EVALUATION_FIELDS), *(key for key, _ in BUDGET_FIELDS), "budget_notes",
    *(f"indicators-{n}-{c}" for n in range(5) for c in ("actual", "explanation", "claimed")),
    *(f"fund_items-{n}-actual" for n in range(3)),
]  # fmt: skip
# The inputs the page has (4 approved indicators, 2 子项目), which show back what was typed.
SHOWN = {*(f"indicators-{n}-{c}" for n in range(4) for c in ("actual", "claimed")),
         *(f"fund_items-{n}-actual" for n in range(2)), *(k for k, _ in BUDGET_FIELDS)}  # fmt: skip
EVALUATION_VALUE = st.one_of(
    VALUE, st.sampled_from(["350", "118.16", "=90%", "好", "4", "100", "完成", "中" * 201])
)


@fuzz(100)
@given(fields=st.dictionaries(st.sampled_from(EVALUATION_KEYS), EVALUATION_VALUE, max_size=12),
       version=VERSION)  # fmt: skip
def test_self_evaluation(evaluating, session, fields, version):
    project, b = evaluating
    before = project_dump(session, project.id)
    data = {**fields, "version": _version_of(version, session, project.id)}
    response = b.post(f"/projects/{project.id}/evaluation", data)
    page = checked(response, {302, 409, 422})
    if response.status_code != 302:
        assert project_dump(session, project.id) == before
        if response.status_code == 422:  # the page keeps what was typed
            for key, value in fields.items():
                if key in SHOWN and value.isprintable() and value.strip():
                    assert _escaped(value.strip()) in page
    else:
        checked(b.get(f"/projects/{project.id}"))  # the saved values and their scores


def _escaped(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace('"', "&#34;").replace("'", "&#39;")
    )  # fmt: skip


# ----------------------------------------------------------------------------- admin


@pytest.fixture
def admin(app, make):
    unit = make.unit("苏州市公安局")
    admin = make.user(Role.admin)
    target = make.user(Role.filler, unit=unit)
    return logged_in(app, admin), unit, target


UNIT_VALUE = st.one_of(
    VALUE, st.sampled_from(["000379", "苏州市公安局", "gaj@sz.gov.cn", "x" * 33])
)


@fuzz(120)
@given(edit=st.booleans(), code=UNIT_VALUE, name=UNIT_VALUE, email=UNIT_VALUE)
def test_admin_unit_forms(admin, session, edit, code, name, email):
    b, unit, _ = admin
    before = database_dump(session)
    url = f"/admin/units/{unit.id}" if edit else "/admin/units"
    response = b.post(url, {"code": code, "name": name, "email": email})
    checked(response, {302, 422})
    if response.status_code == 422:
        assert database_dump(session) == before
        return
    fresh(session)
    saved = session.scalar(select(Unit).where(Unit.code == clean(code)))
    assert (saved.name, saved.email or "") == (clean(name), clean(email))
    checked(b.get("/admin/units"))


ROLE_VALUES = st.lists(st.one_of(st.sampled_from([r.value for r in ROLE_LABELS]), VALUE),
                       max_size=3)  # fmt: skip
# Unit ids as the select posts them, and as a tamperer might (「²」 too: a digit int() cannot read).
UNIT_ID = st.one_of(VALUE, st.sampled_from(["", "1", "999999999", "-1", "²", "①"]))


def valid_or(value, strategy):
    """Mostly a valid value, so that one bad field at a time reaches the checks behind it."""
    return st.one_of(st.just(value), st.just(value), strategy)


@fuzz(150)
@given(
    edit=st.booleans(), username=valid_or("new.user", VALUE),
    display_name=valid_or("李明", VALUE), email=valid_or("li@sz.gov.cn", VALUE),
    password=st.one_of(st.just(""), valid_or("x" * 8, VALUE)),
    unit_id=valid_or("UNIT", UNIT_ID), roles=valid_or(["filler"], ROLE_VALUES),
    is_active=st.one_of(st.none(), st.just("y"), VALUE),
)  # fmt: skip
def test_admin_user_forms(admin, session, edit, username, display_name, email, password,
                          unit_id, roles, is_active):  # fmt: skip
    b, unit, target = admin
    before = database_dump(session)
    unit_id = str(unit.id) if unit_id == "UNIT" else unit_id
    data = {"username": username, "display_name": display_name, "email": email,
            "password": password, "unit_id": unit_id, "roles": roles}  # fmt: skip
    if is_active is not None:
        data["is_active"] = is_active
    url = f"/admin/users/{target.id}" if edit else "/admin/users/new"
    response = b.post(url, data)
    checked(response, {302, 422} if edit else {200, 422})  # new: the one-time password page
    if response.status_code == 422:
        assert database_dump(session) == before
    checked(b.get("/admin/users"))


@pytest.fixture
def security(app, make):
    unit = make.unit()
    target = make.user(Role.filler, unit=unit)
    return logged_in(app, make.user(Role.security_admin)), target


@fuzz(100)
@given(roles=valid_or(["unit_head"], ROLE_VALUES))
def test_security_admin_role_form(security, session, roles):
    b, target = security
    before = database_dump(session)
    response = b.post(f"/admin/users/{target.id}/roles", {"roles": roles})
    checked(response, {302, 422})
    if response.status_code == 422:
        assert database_dump(session) == before


POLICY_NUMBER = st.one_of(st.integers(-(2**70), 2**70).map(str), VALUE)


@fuzz(100)
@given(
    values=st.fixed_dictionaries(
        {n: valid_or(str(f.low), POLICY_NUMBER) for n, f in FIELDS.items()}
    )
)
def test_security_policy_form(security, session, values):
    b, _ = security
    before = database_dump(session)
    response = b.post("/admin/policy", values)
    checked(response, {302, 422})
    if response.status_code == 422:
        assert database_dump(session) == before
    checked(b.get("/admin/policy"))


def test_a_superscript_unit_id_is_refused(admin, session):
    b, _, target = admin
    for url in ("/admin/users/new", f"/admin/users/{target.id}"):
        data = {"username": "new.user", "display_name": "新用户", "password": "x" * 8,
                "roles": ["filler"], "unit_id": "²"}  # fmt: skip
        response = b.post(url, data)
        checked(response, {422})


@fuzz(100)
@given(
    unit_id=valid_or("", st.one_of(st.just("UNIT"), UNIT_ID)),
    year=valid_or("2027", VALUE), template=valid_or("national", VALUE),
    delete=st.one_of(st.none(), st.none(), st.integers(0, 5), st.integers(0, 2**31 - 1)),
)  # fmt: skip
def test_admin_scoring_template_forms(admin, session, unit_id, year, template, delete):
    b, unit, _ = admin
    before = database_dump(session)
    if delete is not None:
        gone = session.get(ScoringTemplateChoice, delete) is None
        response = b.post(f"/admin/scoring-templates/{delete}/delete")
        checked(response, {404} if gone else {302})
    else:
        unit_id = str(unit.id) if unit_id == "UNIT" else unit_id
        data = {"unit_id": unit_id, "year": year, "template": template}
        response = b.post("/admin/scoring-templates", data)
        checked(response, {302, 422})
    if response.status_code != 302:
        assert database_dump(session) == before
    checked(b.get("/admin/scoring-templates"))


# --------------------------------------------------------------------- notifications


@pytest.fixture
def inbox(app, make, session, clock):
    unit = make.unit()
    filler, admin = make.user(Role.filler, unit=unit), make.user(Role.admin)
    session.add(Notification(user_id=filler.id, title="以下事项今日到期：付款", body=SCRIPT,
                             created_at=clock.now()))  # fmt: skip
    queue_email(session, dedupe_key="k", to_addr="a@b.cn", subject=SCRIPT, body="正文",
                now=clock.now())  # fmt: skip
    session.commit()
    email = session.scalar(select(OutboundEmail))
    email.status = "dead"
    session.commit()
    return logged_in(app, filler), logged_in(app, admin), filler, email.id


@fuzz(100)
@given(
    which=st.sampled_from(["read", "email", "retry"]),
    data=st.dictionaries(st.sampled_from(["version", "email_mode", "email_id", "x"]),
                         st.one_of(VALUE, st.sampled_from(["digest", "each", "off"]))),
    email_id=st.one_of(st.none(), st.integers(min_value=0, max_value=2**31 - 1)),
)  # fmt: skip
def test_notification_forms(inbox, session, which, data, email_id):
    user_browser, admin_browser, filler, real_id = inbox
    fresh(session)
    mode = session.get(User, filler.id).email_mode
    if which == "retry":
        target = real_id if email_id is None else email_id
        response = admin_browser.post(f"/admin/outbox/{target}/retry", data)
        exists = session.get(OutboundEmail, target) is not None
        checked(response, {302} if exists else {404})
        checked(admin_browser.get("/admin/outbox"))
        return
    response = user_browser.post(f"/notifications/{which}", data)
    chosen = data.get("email_mode")
    valid = which != "email" or chosen in ("digest", "each", "off")
    checked(response, {302} if valid else {422})
    fresh(session)
    expected = chosen if which == "email" and valid else mode
    assert session.get(User, filler.id).email_mode == expected
    checked(user_browser.get("/notifications"))


# --------------------------------------------------------------------- copy as new year


DECLARATION_VALUE = st.one_of(VALUE, st.sampled_from(["350", "是", "2021-03-05", "=100%"]))


@fuzz(50)
@given(
    scalars=st.dictionaries(st.sampled_from(SCALAR_FIELDS[2:]), DECLARATION_VALUE, max_size=8),
    items=st.lists(st.fixed_dictionaries({"name": VALUE, "amount": DECLARATION_VALUE}),
                   max_size=3),
    year=st.sampled_from([2000, 2025, 2099, 2100]),
    posted=st.dictionaries(VALUE, VALUE, max_size=3),
)  # fmt: skip
def test_copy_as_new_year(app, make, session, filler_browser, scalars, items, year, posted):
    b, filler = filler_browser
    unit = session.get(Unit, filler.unit_id)
    source = make.project(unit, state="archived", creator=filler)
    declaration = session.get(Declaration, source.id)
    try:
        apply_form(declaration, {**scalars, "fund_items": items})
    except InvalidInput:
        reject()  # a source no form could have saved (too long)
    source.year = year
    session.commit()
    before = project_dump(session, source.id)
    typed = to_form(session.get(Declaration, source.id))
    response = b.post(f"/projects/{source.id}/declaration/copy", posted)
    checked(response, {302, 409, 422})
    after = project_dump(session, source.id)
    assert {**after, "audit events": 0} == {**before, "audit events": 0}  # the source untouched
    if response.status_code != 302:
        assert after == before
        return
    copy = session.scalars(select(Project).order_by(Project.id.desc())).first()
    assert copy.id != source.id and copy.year == year + 1 and copy.state == "draft"
    signatures = {"unit_head_name": "", "filled_by": "", "filled_on": ""}  # the history signs
    assert to_form(session.get(Declaration, copy.id)) == {**typed, **signatures}
    if "<" in repr(typed):  # the copy's form shows what was copied, escaped
        checked(b.get(f"/projects/{copy.id}/declaration"))


# ------------------------------------------------------------------- ids in addresses

HUGE = 10**20  # beyond every database integer


def _huge_id_urls(app):
    """Every route with an integer in its address, each integer in turn made huge."""
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        for name in re.findall(r"<int:(\w+)>", rule.rule):
            values = {a: "submit" if a == "trigger" else 1 for a in rule.arguments} | {name: HUGE}
            for method in sorted(rule.methods & {"GET", "POST"}):
                yield method, adapter.build(rule.endpoint, values)


def test_a_database_error_still_gets_the_chinese_error_page(app, make):
    b = logged_in(app, make.user(Role.admin))
    response = b.get(f"/projects/{HUGE}")
    assert response.status_code in (404, 500)
    assert "页面不存在" in text_of(response) or "服务器内部错误" in text_of(response)
    assert b.get("/projects").status_code == 200  # the next request is fine


def test_huge_ids_in_addresses_are_not_found(app, make):
    b = logged_in(app, make.user(Role.admin))
    urls = list(_huge_id_urls(app))
    assert len(urls) >= 10
    answers = {(m, u): (b.get(u) if m == "GET" else b.post(u)).status_code for m, u in urls}
    assert {k: v for k, v in answers.items() if v != 404} == {}
