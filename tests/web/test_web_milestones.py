"""The milestones page: correct, confirm, then follow the timeline (overdue in red)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.integration.test_milestones import approved  # noqa: F401 - a fixture
from tests.web.conftest import Browser, text_of
from tests.web.safety import fresh
from workflow.milestones import operations as ops
from workflow.uow import UnitOfWork


def test_the_milestones_page_confirms_and_shows_the_timeline(app, session, approved, clock):  # noqa: F811
    from tests.conftest import PASSWORD

    project, filler, _ = approved
    b = Browser(app.test_client())
    b.get("/login")
    b.post("/login", {"username": filler.username, "password": PASSWORD})
    page = text_of(b.get(f"/projects/{project.id}/milestones"))
    assert "核对、修改后确认" in page and "由质保金条款推断" not in page  # notes are the plan's
    assert 'name="milestones-6-title" value="终验"' in page
    refused = b.post(f"/projects/{project.id}/milestones/confirm", {"version": "2"})
    assert refused.status_code == 409 and "第7行（终验）未填写计划完成日期" in text_of(refused)
    rows = ops.to_rows(ops.milestones_of(session, project))
    rows[6]["due"] = "2020-12-15"
    form = {f"milestones-{i}-{k}": v for i, row in enumerate(rows) for k, v in row.items()}
    assert b.post(f"/projects/{project.id}/milestones", {**form, "version": "2"}).status_code == 302
    assert b.post(f"/projects/{project.id}/milestones/confirm",
                  {"version": "3"}).status_code == 302  # fmt: skip
    clock.advance(dt.timedelta(days=365 * 5))
    b.login(filler)  # five years on, the session has long ended
    timeline = text_of(b.get(f"/projects/{project.id}/milestones"))
    assert 'class="status-overdue"' in timeline and "待终验完成后确定" in timeline


def _form(rows, **extra) -> dict[str, str]:
    return {f"milestones-{i}-{k}": v for i, row in enumerate(rows) for k, v in row.items()} | extra


def _filler(app, filler) -> Browser:
    b = Browser(app.test_client())
    b.login(filler)
    return b


def test_confirm_on_the_form_saves_the_rows_typed_then_confirms(app, session, approved):  # noqa: F811
    project, filler, _ = approved
    b = _filler(app, filler)
    page = text_of(b.get(f"/projects/{project.id}/milestones"))
    # one form: both buttons send the rows; Enter saves (the first button)
    form = page[page.index('class="milestones-form"') : page.index("</form>", page.index(
        'class="milestones-form"'))]  # fmt: skip
    assert form.index('value="save"') < form.index('value="confirm"')
    assert '<option value="7" selected>终验</option>' in form  # 「[终验 ▾] 之后 [3] 年」
    rows = ops.to_rows(ops.milestones_of(session, project))
    rows[0]["title"] = "完成招标（改）"
    rows[6]["due"] = "2020-12-15"
    response = b.post(f"/projects/{project.id}/milestones",
                      _form(rows, version=str(project.version), action="confirm"))  # fmt: skip
    assert response.status_code == 302 and "tab=milestones" in response.headers["Location"]
    fresh(session)
    assert session.get(type(project), project.id).milestones_confirmed_at is not None
    assert ops.milestones_of(session, project)[0].title == "完成招标（改）"


def test_a_refused_confirmation_keeps_every_value_typed(app, session, approved):  # noqa: F811
    project, filler, _ = approved
    b = _filler(app, filler)
    b.get(f"/projects/{project.id}/milestones")
    rows = ops.to_rows(ops.milestones_of(session, project))
    rows[0]["title"] = "完成招标（改）"
    rows[2]["planned_start"] = "2020年4月"  # not a date
    rows.append({"kind": "acceptance", "title": "专家评审", "due": "2020-09-30",
                 "offset_unit": "years"})  # a new row, typed  # fmt: skip
    response = b.post(f"/projects/{project.id}/milestones",
                      _form(rows, version=str(project.version), action="confirm"))  # fmt: skip
    page = text_of(response)
    assert response.status_code == 422
    assert 'value="完成招标（改）"' in page and 'value="2020年4月"' in page
    assert 'name="milestones-7-title" value="专家评审"' in page
    # the list names each row as numbered; beside its field the message says what is wrong
    assert "<li>「第3行（项目完成初步验收）·开始日期」应为日期" in page
    assert '<p class="problem">应为日期，如 2021-03-05，现为“2020年4月”</p>' in page
    assert "<li>第7行（终验）未填写计划完成日期，也未选择起算节点</li>" in page
    assert '<p class="problem">未填写计划完成日期，也未选择起算节点</p>' in page
    fresh(session)
    assert session.get(type(project), project.id).milestones_confirmed_at is None
    assert ops.milestones_of(session, project)[0].title != "完成招标（改）"


def test_planned_amounts_stay_visible_after_confirmation(app, session, approved, clock):  # noqa: F811
    project, filler, _ = approved
    project.amount = Decimal("350")
    session.commit()
    b = _filler(app, filler)
    page = text_of(b.get(f"/projects/{project.id}/milestones"))
    assert "支付比例 × 项目申报金额（350.00 万元）" in page
    release = page[page.index('name="milestones-5-amount"') :].split("</td>")[0]
    assert 'placeholder="17.50"' in release and "按比例计算" in release  # the 质保金's 5 %
    rows = ops.to_rows(ops.milestones_of(session, project), ops.amount_basis(session, project))
    rows[6]["due"] = "2020-12-15"
    b.post(f"/projects/{project.id}/milestones",
           _form(rows, version=str(project.version), action="confirm"))  # fmt: skip
    timeline = text_of(b.get(f"/projects/{project.id}/milestones"))
    release = timeline[timeline.index("剩余5%质保金") :].split("</tr>")[0]
    assert "17.50" in release and "支付比例 5%" in release and "按比例计算" in release
    section = text_of(b.get(f"/projects/{project.id}?tab=milestones"))
    assert "计划支付（万元）" in section and "332.50" in section and "支付比例 95%" in section


@pytest.fixture
def recording(app, session, approved, clock):  # noqa: F811
    project, filler, _ = approved
    rows = ops.to_rows(ops.milestones_of(session, project))
    rows[6]["due"] = "2020-12-15"
    ops.save_and_confirm(UnitOfWork(session), project, rows, actor=filler, now=clock.now(),
                         expected_version=None)  # fmt: skip
    project.state = "implementing"
    session.commit()
    return project, ops.milestones_of(session, project), _filler(app, filler)


def test_a_refused_record_keeps_what_was_typed_beside_its_message(session, recording):
    project, milestones, b = recording
    b.get(f"/projects/{project.id}/milestones")
    url = f"/projects/{project.id}/milestones/{milestones[1].id}"
    response = b.post(url, {"actual_date": "2020-03-20", "paid_amount": "3O.5", "note": "首付"})
    page = text_of(response)
    assert response.status_code == 422
    row = page[page.index(f'id="milestone-{milestones[1].id}"') :].split("</tr>")[0]
    assert 'value="2020-03-20"' in row and 'value="3O.5"' in row and 'value="首付"' in row
    assert '<p class="problem">应为数字（单位万元，最多6位小数），现为“3O.5”</p>' in row
    assert "<li>「支付项目启动款·实际支付金额（万元）」应为数字" in page
    assert 'value="3O.5"' not in page.replace(row, "")  # the other rows show what is saved
    fresh(session)
    assert ops.milestones_of(session, project)[1].actual_date is None


def test_an_actual_date_after_today_is_refused_on_the_page(session, recording):
    project, milestones, b = recording
    b.get(f"/projects/{project.id}/milestones")
    url = f"/projects/{project.id}/milestones/{milestones[0].id}"
    response = b.post(url, {"actual_date": "2026-03-03", "paid_amount": "", "note": ""})
    assert response.status_code == 422
    assert "晚于今天（2026-03-02）" in text_of(response)
    assert 'value="2026-03-03"' in text_of(response)
    assert b.post(url, {"actual_date": "2026-03-02"}).status_code == 302  # today is fine


def test_a_stale_page_keeps_what_was_typed(app, session, approved, clock):  # noqa: F811
    project, filler, _ = approved
    b = _filler(app, filler)
    b.get(f"/projects/{project.id}/milestones")
    rows = ops.to_rows(ops.milestones_of(session, project))
    stale = str(project.version)
    ops.save_milestones(UnitOfWork(session), project, rows, actor=filler, now=clock.now(),
                        expected_version=None)  # someone else saved meanwhile  # fmt: skip
    rows[0]["title"] = "我改的名称"
    response = b.post(f"/projects/{project.id}/milestones", _form(rows, version=stale))
    page = text_of(response)
    assert response.status_code == 409
    assert "其他人在您打开本页之后修改了里程碑" in page and 'value="我改的名称"' in page
    fresh(session)
    assert ops.milestones_of(session, project)[0].title != "我改的名称"


def test_a_title_longer_than_a_cell_is_refused_and_the_page_says_how_long(app, session,
                                                                          approved):  # noqa: F811  # fmt: skip
    """A milestone's name is a table cell (workflow/text.py): the page caps it, the save refuses
    more and keeps nothing."""
    from workflow.text import CELL_MAX

    project, filler, _ = approved
    b = _filler(app, filler)
    page = text_of(b.get(f"/projects/{project.id}/milestones"))
    assert 'name="milestones-0-title" value="' in page
    assert page.count(f'maxlength="{CELL_MAX}" aria-label="名称"') >= 1
    rows = ops.to_rows(ops.milestones_of(session, project))
    before = rows[0]["title"]
    rows[0]["title"] = "招" * (CELL_MAX * 20)
    response = b.post(f"/projects/{project.id}/milestones",
                      _form(rows, version=str(project.version), action="save"))  # fmt: skip
    assert response.status_code == 422 and f"名称过长（最多{CELL_MAX}字）" in text_of(response)
    fresh(session)
    assert ops.milestones_of(session, project)[0].title == before
