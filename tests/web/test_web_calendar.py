"""节假日安排 pages: the 系统管理员 pastes the State Council's notice, checks the preview (nothing
is saved before), confirms once (twice saves nothing more), adds and removes days; a notice that
cannot be read is refused in Chinese with a 422, never a 500; nobody else gets in; the warning
shows on the admin pages while the calendar ends before the furthest due date."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import render_template_string
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from tests.unit.test_holiday_notice import NOTICE_2027
from tests.web.conftest import StatementCounter, text_of
from tests.web.safety import database_dump
from tests.web.test_fuzz_forms import VALUE, checked, fuzz, logged_in
from workflow.audit.models import AuditEvent
from workflow.holidays import loading
from workflow.holidays.models import CalendarDay, CalendarYear
from workflow.org.models import Role

WARNING = (
    "节假日安排仅覆盖至2026年，系统中最晚的到期日为2028年3月31日，请补充2027—2028年的节假日安排"
)


@pytest.fixture
def admin(make):
    return make.user(Role.admin, name="系统管理员")


@pytest.fixture
def due_in_2028(make):
    """A project of 2027: its 绩效自评 falls due on 2028-03-31."""
    unit = make.unit()
    project = make.project(unit, creator=make.user(Role.filler, unit=unit))
    project.year = 2027
    make.session.commit()
    return project


def _count(session, model) -> int:
    session.rollback()
    return session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("role", [Role.filler, Role.reviewer, Role.security_admin, Role.auditor])
def test_only_the_admin_gets_in(browser, make, admin, role):
    someone = make.user(role, unit=make.unit() if role == Role.filler else None)
    b = browser()
    b.login(someone)
    b.get("/notifications")
    for url in ["/admin/calendar", "/admin/calendar/2027"]:
        assert b.get(url).status_code == 403
    for url in ["/admin/calendar/2027/notice", "/admin/calendar/2027/notice/confirm",
                "/admin/calendar/2027/days"]:  # fmt: skip
        assert b.post(url, {"text": NOTICE_2027}).status_code == 403


def test_the_admin_pastes_a_notice_checks_it_and_confirms_it_once(
    browser, admin, session, due_in_2028
):
    b = browser()
    b.login(admin)
    listing = text_of(b.get("/admin/calendar"))
    assert WARNING in listing and "未录入" in listing
    b.get("/admin/calendar/2027")
    preview = b.post("/admin/calendar/2027/notice", {"text": NOTICE_2027})
    page = text_of(preview)
    assert preview.status_code == 200 and "核对识别结果：2027年节假日安排" in page
    assert "2月5日（周五）至13日（周六）" in page and "2月14日（周日）、2月20日（周六）" in page
    assert "放假 29 天、调休上班 6 天" in page and "新增 35 天" in page
    assert _count(session, CalendarDay) == 0  # nothing saved before the confirm
    confirmed = b.post("/admin/calendar/2027/notice/confirm", {"text": NOTICE_2027})
    assert confirmed.status_code == 302 and confirmed.location.endswith("/admin/calendar/2027")
    year_page = text_of(b.get("/admin/calendar/2027"))
    assert "已按通知保存2027年节假日安排：新增35天" in year_page
    assert (
        "2月20日</td>\n    <td>六</td>" in year_page
        and "已录入放假 29 天、调休上班 6 天" in year_page
    )
    again = b.post("/admin/calendar/2027/notice/confirm", {"text": NOTICE_2027})
    assert again.status_code == 302
    assert "通知中的日期均已在表中，未作修改" in text_of(b.get("/admin/calendar/2027"))
    assert _count(session, CalendarDay) == 35
    actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
    assert actions == ["calendar_confirm_notice"]
    listing = text_of(b.get("/admin/calendar"))
    assert "管理员录入" in listing and "仅覆盖至2027年" in listing and "请补充2028年" in listing


@pytest.mark.parametrize(
    "text, message",
    [
        ("二、春节：2月30日放假。", "第1行「二、春节：2月30日放假。」：「2月30日」不是有效的日期"),
        ("一、元旦：1月1日（周四）放假。", "2027年1月1日是星期五，通知所写为「星期四」"),
        ("国务院办公厅关于2026年部分节假日安排的通知\n一、元旦：1月1日放假。",
         "粘贴的是2026年的节假日安排通知，当前录入的是2027年"),
        ("随便写的一段话\x00，没有日期。", "未能从粘贴的文字中识别出放假安排"),
        ("", "请粘贴国务院办公厅关于部分节假日安排的通知正文"),
        ("一、元旦：1月1日放假。" + "啊" * 6000, "粘贴的文字超过5000字"),
        ("二、春节：2月5日至放假。", "「至」后缺少日期"),
        ("二、春节：99999999999999999999月1日放假。", "不是有效的日期"),
    ],
)  # fmt: skip
def test_a_notice_that_cannot_be_read_is_refused_in_chinese_and_nothing_is_saved(
    browser, admin, session, text, message
):
    b = browser()
    b.login(admin)
    b.get("/admin/calendar/2027")
    for url in ["/admin/calendar/2027/notice", "/admin/calendar/2027/notice/confirm"]:
        response = b.post(url, {"text": text})
        assert response.status_code == 422, url
        page = text_of(response)
        assert message in page and "未保存，请按提示修改" in page
        assert 'name="text"' in page  # the text stays in the form, to be corrected
    assert _count(session, CalendarDay) == _count(session, CalendarYear) == 0
    assert _count(session, AuditEvent) == 0


def test_a_year_chinese_calendar_knows_is_shown_not_entered(browser, admin, session):
    b = browser()
    b.login(admin)
    page = text_of(b.get("/admin/calendar/2026"))
    assert "已随软件内置（chinese-calendar" in page and "粘贴国务院通知" not in page
    assert "10月10日</td><td>六</td>\n    <td>调休上班</td><td>国庆节" in page
    refused = b.post("/admin/calendar/2026/notice/confirm", {"text": NOTICE_2027})
    assert refused.status_code == 422 and "以其为准，无需也不能在此录入" in text_of(refused)
    assert b.get("/admin/calendar/1999").status_code == 404
    assert b.get("/admin/calendar/99999").status_code == 404
    assert _count(session, CalendarYear) == 0


def test_the_admin_adds_and_removes_a_day(browser, admin, session):
    b = browser()
    b.login(admin)
    b.get("/admin/calendar/2027")
    added = b.post("/admin/calendar/2027/days", {"day": "2027-02-20", "kind": "workday",
                                                  "name": "春节"})  # fmt: skip
    assert added.status_code == 302
    assert "已添加 2月20日（调休上班·春节）" in text_of(b.get("/admin/calendar/2027"))
    wrong = b.post("/admin/calendar/2027/days", {"day": "2027-02-17", "kind": "workday",
                                                  "name": "春节"})  # fmt: skip
    assert wrong.status_code == 422
    assert "2027年2月17日是星期三，本来就是工作日" in text_of(wrong)
    garbled = b.post("/admin/calendar/2027/days", {"day": "二月", "kind": "?", "name": ""})
    assert garbled.status_code == 422 and "请填写日期" in text_of(garbled)
    day = session.scalar(select(CalendarDay))
    assert b.post(f"/admin/calendar/days/{day.id}/delete").status_code == 302
    assert b.post(f"/admin/calendar/days/{day.id}/delete").status_code == 404
    assert _count(session, CalendarDay) == 0
    actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
    assert actions == ["calendar_add_day", "calendar_remove_day"]


def test_the_warning_include_shows_to_the_admin_in_one_statement(
    app, browser, db, make, admin, due_in_2028
):
    @app.route("/_calendar_warning")
    def a_page_with_the_include():
        return render_template_string('{% include "admin/_calendar_warning.html" %}')

    filler = make.user(Role.filler, unit=make.unit())
    b, other = browser(), browser()
    b.login(admin)
    other.login(filler)
    with StatementCounter(db) as counter:
        page = text_of(b.get("/_calendar_warning"))
    assert WARNING in page and "前往节假日安排" in page
    asked = [s for s in counter.statements if "calendar_years" in s]
    assert len(asked) == 1 and "max(milestones.deadline)" in asked[0]
    with StatementCounter(db) as counter:
        assert text_of(other.get("/_calendar_warning")).strip() == ""
    assert not [s for s in counter.statements if "calendar_years" in s]


def test_pages_look_at_the_calendar_once_in_five_minutes_once_past_2026(browser, admin, clock, db):
    def calendar_statements(b) -> int:
        with StatementCounter(db) as counter:
            assert b.get("/notifications").status_code == 200
        return sum("calendar_years" in s for s in counter.statements)

    in_2026 = browser()
    in_2026.login(admin)
    assert calendar_statements(in_2026) == 0  # chinese-calendar's year: no statement at all
    clock.advance(dt.datetime(2027, 3, 1, 2, tzinfo=dt.UTC) - clock.now())
    b = browser()
    b.login(admin)
    loading.forget()
    assert calendar_statements(b) == 1
    assert calendar_statements(b) == 0
    clock.advance(dt.timedelta(minutes=5))
    assert calendar_statements(b) == 1


LINES = NOTICE_2027.splitlines()
PIECES = st.one_of(
    st.sampled_from(LINES), VALUE,
    st.builds("".join, st.lists(st.sampled_from(["2月", "5日", "至", "13日", "（周五）", "放假",
                                                  "上班", "，", "。", "共9天", "12月31日",
                                                  "、", "二、春节：", "\n"]), max_size=12)),
)  # fmt: skip


@fuzz(60)
@given(text=st.lists(PIECES, max_size=6).map("\n".join), confirm=st.booleans())
def test_any_text_pasted_is_previewed_or_refused_in_chinese_never_half_saved(
    app, make, session, text, confirm
):
    b = _admin_browser(app, make)
    before = database_dump(session)
    url = "/admin/calendar/2027/notice" + ("/confirm" if confirm else "")
    response = b.post(url, {"text": text})
    checked(response, {200, 302, 422})
    if response.status_code != 302:
        assert database_dump(session) == before


def _admin_browser(app, make):
    """One logged-in admin per app (hypothesis runs the examples with one app fixture)."""
    if "calendar_admin" not in app.extensions:
        app.extensions["calendar_admin"] = logged_in(app, make.user(Role.admin))
    return app.extensions["calendar_admin"]
