"""会签 in a real browser, run from the variant lifecycle tests/variants/with_cosign.yaml (a
project of 500 万元 or more is approved by two reviewers): the first reviewer approves and the
project shows 1/2 and who is still awaited; the second approves and it moves on; the history
reads as it happened. (Issue 16's delegation, the second reviewer standing in for a third,
comes later.)"""

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


def test_a_large_project_needs_two_reviewers(people, make, session):
    unit = make.unit("苏州市应急管理局")
    filler = make.user(Role.filler, unit=unit, name="王芳")
    head = make.user(Role.unit_head, unit=unit, name="郁海成")
    shen = make.user(Role.reviewer, name="沈审核")
    zhou = make.user(Role.reviewer, name="周复核")
    make.user(Role.reviewer, name="吴科长")
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

    second = people("周复核", viewport={"width": 1280, "height": 900})
    second.login(zhou.username)
    expect(second.page.locator("main")).to_contain_text(project.name)  # in their 工作台
    page = second.open(f"/projects/{project.id}")
    page.get_by_label("办理意见（退回、不予支持时必填）").fill("同意。")
    page.get_by_role("button", name="批复通过").click()
    state_is(page, "财政已批复")
    expect(page.locator(".cosign")).to_have_count(0)
    tab(page, "办理记录")
    history = page.locator(".history")
    expect(history).to_contain_text("批复通过（会签同意 1/2）")
    expect(history).to_contain_text("材料齐全，同意。")
    expect(history).to_contain_text("批复通过（会签同意 2/2）")
    expect(history).to_contain_text("周复核")
    second.shot("会签-批复后办理记录")
