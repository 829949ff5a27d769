"""会签 in a real browser, run from the variant lifecycle tests/variants/with_cosign.yaml (a
project of 500 万元 or more is approved by two reviewers): the first reviewer approves and the
project shows 1/2 and who is still awaited; a third, going on leave, hands his work to the
second (委托办理), who approves in his name from his 工作台; it moves on, and the history reads as
it happened: 「周复核（代 吴科长）」."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import sharing_templates
from tests.e2e.pages import expect, state_is, tab
from web import create_app
from web.config import Config
from workflow.org.models import Role

pytestmark = pytest.mark.timeout(300)
VARIANT = Path(__file__).parents[1] / "variants" / "with_cosign.yaml"


@pytest.fixture
def live_app(db, clock):
    config = Config(
        DATABASE_URL=db.engine.url.render_as_string(hide_password=False),
        SECRET_KEY="e2e-secret",
        STATES_FILE=str(VARIANT),
    )
    return sharing_templates(create_app(config, clock=clock, database=db))


def test_a_large_project_needs_two_reviewers_the_second_standing_in_for_a_third(
    people, make, session
):
    unit = make.unit("苏州市应急管理局")
    filler = make.user(Role.filler, unit=unit, name="王芳")
    head = make.user(Role.unit_head, unit=unit, name="郁海成")
    shen = make.user(Role.reviewer, name="沈审核")
    zhou = make.user(Role.reviewer, name="周复核")
    wu = make.user(Role.reviewer, name="吴科长")
    project = make.project(unit, state="declared", creator=filler, submitted_by=filler,
                           last_by=head)  # fmt: skip
    project.amount = Decimal("1435")
    session.commit()

    first = people("沈审核", viewport={"width": 1280, "height": 900})
    first.login(shen.username)
    page = first.open(f"/projects/{project.id}")
    cosign = page.locator(".cosign")
    expect(cosign).to_contain_text("会签：「批复通过」需2 位财政审核人同意，已同意 0/2")
    page.get_by_label("办理意见（退回、不予支持时必填）").fill("材料齐全，同意。")
    page.get_by_role("button", name="批复通过").click()
    expect(page.locator(".flash.success")).to_have_text(
        "已批复通过（会签同意 1/2），尚待其他人员同意"
    )
    state_is(page, "已申报（待财政审核）")
    expect(cosign).to_contain_text("已同意 1/2")
    expect(cosign).to_contain_text("已同意：沈审核；")
    expect(cosign).to_contain_text("尚待：吴科长、周复核")
    expect(page.locator(".blocked-reasons")).to_contain_text("您已同意，尚需另外 1 人同意")
    expect(page.locator("dl.figures")).not_to_contain_text("待您办理")  # their part is done
    first.shot("会签-已同意1of2")

    away = people("吴科长", viewport={"width": 1280, "height": 900})
    away.login(wu.username)
    page = away.open("/delegations")
    page.get_by_label("受托人").select_option(label=f"周复核（{zhou.username}）")
    page.get_by_role("button", name="设置委托").click()  # no end date, no reason yet
    expect(page.locator(".flash.error")).to_contain_text("请填写结束日期")
    expect(page.locator(".flash.error")).to_contain_text("请填写委托事由（如：休假、出差）")
    expect(page.get_by_label("受托人")).to_have_value(str(zhou.id))  # what was chosen stays
    away.shot("委托办理-缺少日期和事由")
    page.get_by_label("结束日期（含当日）").fill("2026-03-13")
    page.get_by_label("委托事由").fill("3月2日至13日公休假")
    page.get_by_role("button", name="设置委托").click()
    expect(page.locator(".flash.success")).to_have_text(
        "已设置委托：周复核在 2026-03-02 至 2026-03-13 代吴科长办理"
    )
    expect(page.locator("table.grid")).to_contain_text("生效中")
    away.shot("委托办理-已设置")

    second = people("周复核", viewport={"width": 1280, "height": 900})
    second.login(zhou.username)
    board = second.page.locator("main")
    expect(board).to_contain_text(project.name)  # in their 工作台: their own and 吴科长's
    stand_in = second.page.locator("section.delegated")
    expect(stand_in).to_contain_text("代吴科长办理（1）")
    expect(stand_in).to_contain_text("3月2日至13日公休假")
    expect(stand_in.get_by_role("link", name="批复通过（代 吴科长）")).to_be_visible()
    second.shot("委托-受托人工作台")
    stand_in.get_by_role("link", name="批复通过（代 吴科长）").click()
    page = second.page
    page.get_by_label("办理意见（退回、不予支持时必填）").fill("代吴科长同意。")
    page.get_by_role("button", name="批复通过（代 吴科长）").click()
    state_is(page, "财政已批复")
    expect(page.locator(".cosign")).to_have_count(0)
    tab(page, "办理记录")
    history = page.locator(".history")
    expect(history).to_contain_text("批复通过（会签同意 1/2）")
    expect(history).to_contain_text("材料齐全，同意。")
    expect(history).to_contain_text("批复通过（会签同意 2/2）")
    expect(history).to_contain_text("周复核（代 吴科长）")
    expect(history).to_contain_text("代吴科长同意。")
    second.shot("会签-批复后办理记录")

    # 吴科长 is told what was done in his name.
    page = away.open("/notifications")
    expect(page.locator("main")).to_contain_text("周复核（代 吴科长）已批复通过")
