"""The 系统管理员 assigns 财政审核人 to a unit in a real browser: the units list says which units
nobody reviews yet, the unit's page offers the active reviewers as checkboxes, and once saved the
list names them; the reviewer of another unit no longer finds the unit's declaration."""

from __future__ import annotations

import pytest

from tests.e2e.pages import expect
from workflow.org.models import Role

pytestmark = pytest.mark.timeout(300)


def test_the_admin_assigns_reviewers_to_a_unit(people, make, session):
    police = make.unit("苏州市公安局")
    make.unit("苏州市消防救援支队")
    admin = make.user(Role.admin, name="系统管理员")
    shen, zhou = make.user(Role.reviewer, name="沈审核"), make.user(Role.reviewer, name="周复核")
    make.user(Role.reviewer, name="吴科长")
    filler = make.user(Role.filler, unit=police)
    project = make.project(police, state="declared", creator=filler, submitted_by=filler,
                           last_by=filler)  # fmt: skip
    session.commit()

    keeper = people("系统管理员", viewport={"width": 1280, "height": 900})
    keeper.login(admin.username)
    page = keeper.open("/admin/units")
    notice = page.locator(".unassigned-units")
    expect(notice).to_contain_text("尚未分配财政审核人的单位（2）")
    keeper.shot("单位列表-未分配")
    notice.get_by_role("link", name="苏州市公安局").click()
    page.get_by_label("沈审核").check()
    page.get_by_label("吴科长").check()
    page.get_by_role("button", name="保存分配").click()
    expect(page.locator(".flash.success")).to_have_text(
        "已保存：苏州市公安局的财政审核人为吴科长、沈审核"
    )
    expect(page.get_by_label("沈审核")).to_be_checked()
    expect(page.get_by_label("周复核")).not_to_be_checked()
    keeper.shot("单位审核人已保存")
    page = keeper.open("/admin/units")
    row = page.locator("tr", has_text="苏州市公安局")
    expect(row).to_contain_text("吴科长、沈审核")
    expect(page.locator(".unassigned-units")).to_contain_text("（1）")
    keeper.shot("单位列表-已分配")

    other = people("周复核")
    other.login(zhou.username)
    assert other.open(f"/projects/{project.id}").title() != project.name  # a 404 page
    expect(other.page.locator("body")).not_to_contain_text(project.name)
    mine = people("沈审核")
    mine.login(shen.username)
    expect(mine.open("/").locator("body")).to_contain_text(project.name)
