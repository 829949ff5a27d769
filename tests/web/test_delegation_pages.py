"""委托办理 through the web (issue 16): the page sets and ends delegations for whoever may
arrange them, says in Chinese what is wrong and keeps what was typed; the project page offers a
button in the delegator's name where that differs from the user's own; the 工作台 lists the
delegator's waiting work at a fixed number of statements."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.web.conftest import Browser, StatementCounter, text_of
from workflow.audit.models import AuditEvent
from workflow.org import delegation
from workflow.org.models import Delegation, Role
from workflow.projects.models import Project
from workflow.uow import UnitOfWork

TODAY = dt.date(2026, 3, 2)  # tests/conftest.py START, in China


@pytest.fixture
def unit_people(make, session):
    unit = make.unit("苏州市应急管理局")
    people = {
        "head": make.user(Role.unit_head, unit=unit, name="孙处长"),
        "qian": make.user(Role.filler, unit=unit, name="钱填报"),
        "zhao": make.user(Role.filler, unit=unit, name="赵填报"),
        "other": make.user(Role.filler, unit=make.unit("苏州市公安局"), name="外单位"),
        "admin": make.user(Role.admin, name="系统管理员"),
        "security": make.user(Role.security_admin, name="安全管理员"),
    }
    session.commit()
    return people


def _count(session) -> int:
    session.rollback()
    return session.scalar(select(func.count()).select_from(Delegation))


def test_a_filler_hands_over_their_work_and_ends_it_early(app, unit_people, session):
    qian, zhao = unit_people["qian"], unit_people["zhao"]
    b = Browser(app.test_client())
    b.login(qian)
    page = text_of(b.get("/delegations"))
    assert "委托我的工作" in page and "赵填报" in page and "外单位" not in page  # colleagues only
    bad = b.post("/delegations", {"delegator": str(qian.id), "delegate": "", "ends_on": "",
                                  "starts_on": "2026-3-32", "reason": "年假"})  # fmt: skip
    assert bad.status_code == 422
    text = text_of(bad)
    assert "开始日期请按“年-月-日”填写，如 2026-12-08" in text and "年假" in text  # kept
    missing = b.post("/delegations", {"delegator": str(qian.id), "delegate": "",
                                      "starts_on": "2026-03-02", "ends_on": "2026-03-06",
                                      "reason": ""})  # fmt: skip
    assert missing.status_code == 422
    assert "请选择受托人" in text_of(missing) and "请填写委托事由" in text_of(missing)
    assert _count(session) == 0
    done = b.post("/delegations", {"delegator": str(qian.id), "delegate": str(zhao.id),
                                   "starts_on": "2026-03-02", "ends_on": "2026-03-06",
                                   "reason": "3月2日至6日公休假"},
                  follow_redirects=True)  # fmt: skip
    assert "已设置委托：赵填报在 2026-03-02 至 2026-03-06 代钱填报办理" in text_of(done)
    assert "生效中" in text_of(done) and _count(session) == 1
    item = session.scalar(select(Delegation))
    # the colleague sees it too, and may decline it; the 工作台 of the delegator says it runs
    assert "您已委托赵填报在 2026-03-02 至 2026-03-06 代为办理" in text_of(b.get("/"))
    ended = b.post(f"/delegations/{item.id}/end", {}, follow_redirects=True)
    assert "已结束委托：赵填报不再代钱填报办理" in text_of(ended)
    assert "已结束（提前结束）" in text_of(ended)
    session.rollback()
    labels = session.scalars(select(AuditEvent.label).order_by(AuditEvent.seq)).all()
    assert labels == ["设置委托", "结束委托（提前结束）"]


def test_who_may_arrange_whose(app, unit_people, session):
    head, qian, zhao, other = (unit_people[k] for k in ("head", "qian", "zhao", "other"))
    b = Browser(app.test_client())
    b.login(qian)  # a filler: only their own work
    assert b.get(f"/delegations?for={zhao.id}").status_code == 404
    sneaky = b.post("/delegations", {"delegator": str(zhao.id), "delegate": str(qian.id),
                                     "starts_on": "2026-03-02", "ends_on": "2026-03-03",
                                     "reason": "代设"})  # fmt: skip
    assert sneaky.status_code == 404 and _count(session) == 0
    h = Browser(app.test_client())
    h.login(head)  # the 单位负责人: anyone of the unit, for someone absent
    page = text_of(h.get(f"/delegations?for={qian.id}"))
    assert "为钱填报设置委托" in page and "为谁设置委托" in page
    assert h.get(f"/delegations?for={other.id}").status_code == 404
    made = h.post("/delegations", {"delegator": str(qian.id), "delegate": str(zhao.id),
                                   "starts_on": "2026-03-02", "ends_on": "2026-03-03",
                                   "reason": "病假"}, follow_redirects=True)  # fmt: skip
    assert "已设置委托" in text_of(made) and "本单位其他人员的委托" in text_of(made)
    a = Browser(app.test_client())
    a.login(unit_people["admin"])  # the 系统管理员: from 用户管理
    users = text_of(a.get("/admin/users"))
    assert f"/delegations?for={other.id}" in users
    assert "为外单位设置委托" in text_of(a.get(f"/delegations?for={other.id}"))
    s = Browser(app.test_client())
    s.login(unit_people["security"])  # hands over no work, arranges none
    assert s.get("/delegations").status_code == 403


@pytest.fixture
def cosign_app(db, clock):
    from pathlib import Path

    from tests.conftest import sharing_templates
    from web import create_app
    from web.config import Config

    variant = Path(__file__).parents[1] / "variants" / "with_cosign.yaml"
    config = Config(DATABASE_URL=db.engine.url.render_as_string(hide_password=False),
                    SECRET_KEY="test-secret", TESTING=True, STATES_FILE=str(variant))  # fmt: skip
    return sharing_templates(create_app(config, clock=clock, database=db))


def _declared(make, session, n, head, filler, unit):
    found = []
    for _ in range(n):
        p = make.project(unit, state="declared", creator=filler, submitted_by=filler,
                         last_by=head)  # fmt: skip
        p.amount = Decimal(800)
        found.append(p)
    session.commit()
    return found


def test_the_project_page_and_the_workbench_act_in_the_delegators_name(
    cosign_app, make, session, clock, db
):
    unit = make.unit()
    filler, head = make.user(Role.filler, unit=unit), make.user(Role.unit_head, unit=unit)
    zhou, wu = make.user(Role.reviewer, name="周复核"), make.user(Role.reviewer, name="吴科长")
    session.commit()
    delegation.create(UnitOfWork(session), by=wu, delegator=wu, delegate=zhou, starts_on=TODAY,
                      ends_on=TODAY + dt.timedelta(days=4), reason="出差", now=clock.now(),
                      today=TODAY)  # fmt: skip
    b = Browser(cosign_app.test_client())
    b.login(zhou)
    counts = []
    for more in (5, 45):  # 5 waiting, then 50
        _declared(make, session, more, head, filler, unit)
        with StatementCounter(db) as counter:
            board = text_of(b.get("/"))
        counts.append(counter.count)
        assert "代吴科长办理（" in board and "批复通过（代 吴科长）" in board
    assert counts[0] == counts[1], counts
    project = session.scalars(select(Project).order_by(Project.id)).first()
    page = text_of(b.get(f"/projects/{project.id}"))
    assert f"/projects/{project.id}/actions/approve?for={wu.id}" in page
    assert "批复通过（代 吴科长）" in page
    # a garbled or foreign 「for」 acts for nobody
    assert b.post(f"/projects/{project.id}/actions/approve?for=x", {"version": ""}).status_code \
        == 403  # fmt: skip
    assert b.post(f"/projects/{project.id}/actions/approve?for={filler.id}",
                  {"version": ""}).status_code == 403  # fmt: skip
    done = b.post(f"/projects/{project.id}/actions/approve?for={wu.id}",
                  {"version": "", "comment": "代为同意"}, follow_redirects=True)  # fmt: skip
    assert "已批复通过（会签同意 1/2），尚待其他人员同意" in text_of(done)
    assert "已同意：吴科长（周复核代）" in text_of(done)
    session.rollback()
    event = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert event.actor_name == "周复核（代 吴科长）"
