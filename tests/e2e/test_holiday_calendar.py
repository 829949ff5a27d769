"""The 系统管理员 enters next year's holidays from the State Council's notice: warned that the
calendar ends before the due dates, they paste the notice, check what was read, confirm, and see
the year's table; a line that cannot be read is named."""

from __future__ import annotations

import pytest

from tests.e2e.pages import expect
from tests.unit.test_holiday_notice import NOTICE_2027
from workflow.org.models import Role

pytestmark = pytest.mark.timeout(300)


def test_the_admin_pastes_the_notice_confirms_it_and_sees_the_table(people, make, session):
    admin = make.user(Role.admin, name="系统管理员")
    unit = make.unit("苏州市公安局")
    project = make.project(unit, creator=make.user(Role.filler, unit=unit))
    project.year = 2027  # its 绩效自评 falls due on 2028-03-31
    session.commit()

    boss = people("admin")
    boss.login(admin.username)
    page = boss.open("/admin/calendar")
    expect(page.get_by_text("节假日安排仅覆盖至2026年")).to_be_visible()
    boss.shot("calendar-warns")
    page.get_by_role("link", name="录入").first.click()
    expect(page.get_by_role("heading", name="2027年节假日安排")).to_be_visible()

    page.get_by_label("通知正文").fill("二、春节：2月30日至3月2日放假。")
    page.get_by_role("button", name="识别").click()
    expect(page.locator("p.problem", has_text="「2月30日至3月2日」不是有效的日期")).to_be_visible()
    boss.shot("notice-refused")

    page.get_by_label("通知正文").fill(NOTICE_2027)
    page.get_by_role("button", name="识别").click()
    expect(page.get_by_role("heading", name="核对识别结果：2027年节假日安排")).to_be_visible()
    expect(page.get_by_role("cell", name="2月5日（周五）至13日（周六）")).to_be_visible()
    boss.shot("notice-preview")
    page.get_by_role("button", name="确认保存").click()
    expect(page.get_by_text("已按通知保存2027年节假日安排：新增35天")).to_be_visible()
    expect(page.get_by_role("row", name="2月20日 六 调休上班 春节")).to_be_visible()
    expect(page.get_by_text("仅覆盖至2027年")).to_be_visible()  # 2028 still to come
    boss.shot("year-table")
    page.get_by_role("link", name="节假日安排").first.click()
    expect(page.get_by_role("cell", name="管理员录入")).to_be_visible()
    boss.shot("calendar-years")
