"""绩效目标调整 through the web (issue 17): the 填报人 starts a proposal from the project page,
fills it (what cannot be read is refused with what was typed kept), the 单位负责人 signs and a
财政审核人 approves; the project page and the versions page then show the new version and what
changed; finance sets the year's deadline, after which no proposal is offered; nobody opens
another unit's proposal, and finance sees none before the unit sends it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.web.conftest import Browser, text_of
from workflow.adjustment.models import TargetAdjustment
from workflow.evaluation.operations import freeze_approved
from workflow.org.models import Role


@pytest.fixture
def world(make, session):
    unit = make.unit("苏州市应急管理局")
    people = {
        "filler": make.user(Role.filler, unit=unit, name="王芳"),
        "head": make.user(Role.unit_head, unit=unit, name="郁海成"),
        "reviewer": make.user(Role.reviewer, name="沈审核"),
        "stranger": make.user(Role.filler, unit=make.unit("苏州市公安局"), name="外单位"),
    }
    project = make.project(unit, state="implementing", creator=people["filler"],
                           submitted_by=people["filler"])  # fmt: skip
    session.flush()
    freeze_approved(session, project)
    session.commit()
    return project, people


def _as(app, user) -> Browser:
    b = Browser(app.test_client())
    b.login(user)
    return b


def _form(item, **changes) -> dict:
    data = {"version": str(item.version), "reason": "年中预算调整，培训规模压减",
            "rows-2-target": "=120人", "rows-2-reason": "师资不足，下半年只能开班 3 期",
            "added-count": "3", "added-1-category": "产出", "added-1-name": "预警信息发布条数",
            "added-1-target": "≥500条", "added-1-reason": "平台上线后新增",
            "amounts-1-amount": "280", "amounts-1-reason": "培训经费压减 20 万元"}  # fmt: skip
    data.update(changes)
    return data


def test_a_proposal_from_the_project_page_to_the_new_version(app, world, session):
    project, people = world
    filler = _as(app, people["filler"])
    page = text_of(filler.get(f"/projects/{project.id}"))
    assert "现行为第 1 版" in page and "申请调整绩效目标" in page
    started = filler.post(f"/projects/{project.id}/adjustments", {})
    assert started.status_code == 302
    session.rollback()
    item = session.scalar(select(TargetAdjustment))
    url = f"/adjustments/{item.id}"
    page = text_of(filler.get(url))
    assert "调整现有指标" in page and "培训参与人数" in page and "「提交」暂不能办理" in page
    bad = filler.post(url, _form(item, **{"amounts-1-amount": "二百八"}))
    assert bad.status_code == 422
    text = text_of(bad)
    assert "应为数字（单位万元，最多6位小数），现为“二百八”" in text
    assert "=120人" in text and "预警信息发布条数" in text  # what was typed is kept
    assert filler.post(url, _form(item)).status_code == 302
    session.rollback()
    item = session.get(TargetAdjustment, item.id)
    assert [c.kind for c in item.changes] == ["target", "add", "amount"]
    assert filler.post(f"{url}/actions/submit", {"version": str(item.version)}).status_code == 302
    # finance sees nothing while the unit has it; then signs and approves
    reviewer = _as(app, people["reviewer"])
    assert reviewer.get(url).status_code == 404
    head = _as(app, people["head"])
    assert "待我办理的调整申请（1）" in text_of(head.get("/"))
    session.rollback()
    item = session.get(TargetAdjustment, item.id)
    head.get(url)
    assert head.post(f"{url}/actions/sign", {"version": str(item.version)}).status_code == 302
    assert "待我办理的调整申请（1）" in text_of(reviewer.get("/"))
    session.rollback()
    item = session.get(TargetAdjustment, item.id)
    page = text_of(reviewer.get(url))
    assert "师资不足，下半年只能开班 3 期" in page and "批准调整" in page
    done = reviewer.post(f"{url}/actions/approve", {"version": str(item.version)})
    assert done.status_code == 302
    assert "绩效目标已更新为第 2 版" in text_of(reviewer.get(url))
    versions = text_of(filler.get(f"/projects/{project.id}/yardstick"))
    assert "第 2 版（调整批复" in versions and "产出·培训参与人数·目标值" in versions
    assert "=200人" in versions and "=120人" in versions
    assert "现行为第 2 版（已调整 1 次）" in text_of(filler.get(f"/projects/{project.id}"))
    assert filler.get(f"/projects/{project.id}/yardstick?from=1&to=9").status_code == 404


def test_another_unit_and_a_late_proposal(app, world, session):
    project, people = world
    filler = _as(app, people["filler"])
    filler.get(f"/projects/{project.id}")
    filler.post(f"/projects/{project.id}/adjustments", {})
    session.rollback()
    item = session.scalar(select(TargetAdjustment))
    assert _as(app, people["stranger"]).get(f"/adjustments/{item.id}").status_code == 404
    assert filler.get("/adjustments/deadlines").status_code == 403
    reviewer = _as(app, people["reviewer"])
    reviewer.get("/adjustments/deadlines")
    bad = reviewer.post("/adjustments/deadlines", {"year": "2026", "deadline": "2026-02-30"})
    assert bad.status_code == 422 and "截止日期请按“年-月-日”填写" in text_of(bad)
    set_ = reviewer.post("/adjustments/deadlines", {"year": "2026", "deadline": "2026-03-01"})
    assert set_.status_code == 302
    assert "2026-03-01" in text_of(reviewer.get("/adjustments/deadlines"))
    # the proposal under way cannot be submitted any more, nor a new one started
    page = text_of(filler.get(f"/adjustments/{item.id}"))
    assert "2026 年度绩效目标调整申请已于 2026-03-01 截止" in page
    session.rollback()
    item = session.get(TargetAdjustment, item.id)
    cancelled = filler.post(f"/adjustments/{item.id}/actions/cancel",
                            {"version": str(item.version)})  # fmt: skip
    assert cancelled.status_code == 302
    page = text_of(filler.get(f"/projects/{project.id}"))
    assert "现行为第 1 版" in page and "申请调整绩效目标" not in page
