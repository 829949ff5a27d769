"""The milestones page: correct, confirm, then follow the timeline (overdue in red)."""

from __future__ import annotations

import datetime as dt

from tests.integration.test_milestones import approved  # noqa: F401 - a fixture
from tests.web.conftest import Browser, text_of
from workflow.milestones import operations as ops


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
    assert refused.status_code == 409 and "第7个里程碑（终验）未填写计划日期" in text_of(refused)
    rows = ops.to_rows(ops.milestones_of(session, project))
    rows[6]["due"] = "2020-12-15"
    form = {f"milestones-{i}-{k}": v for i, row in enumerate(rows) for k, v in row.items()}
    assert b.post(f"/projects/{project.id}/milestones", {**form, "version": "2"}).status_code == 302
    assert b.post(f"/projects/{project.id}/milestones/confirm",
                  {"version": "3"}).status_code == 302  # fmt: skip
    clock.advance(dt.timedelta(days=365 * 5))
    timeline = text_of(b.get(f"/projects/{project.id}/milestones"))
    assert 'class="status-overdue"' in timeline and "待终验完成后确定" in timeline
