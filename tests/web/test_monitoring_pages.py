"""绩效运行监控 through the web (issue 17): a 财政审核人 opens a round on its page, each unit finds
its 监控表 in the 工作台 and fills them (lights recomputed on save, what is missing said before
submission), signs and sends them on; finance sees the round by light and state. Bad input is
refused in Chinese with what was typed kept; nobody opens another unit's table; the lists run a
fixed number of statements."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.web.conftest import Browser, StatementCounter, text_of
from workflow.evaluation.operations import freeze_approved
from workflow.monitoring.models import MonitoringReport, MonitoringRound
from workflow.notify.models import Notification
from workflow.org.models import Role


@pytest.fixture
def people(make, session):
    police = make.unit("苏州市公安局")
    found = {
        "police": police,
        "filler": make.user(Role.filler, unit=police, name="王填报"),
        "head": make.user(Role.unit_head, unit=police, name="张局长"),
        "reviewer": make.user(Role.reviewer, name="沈审核"),
        "stranger": make.user(Role.filler, unit=make.unit("苏州市消防救援支队"), name="外单位"),
        "admin": make.user(Role.admin, name="系统管理员"),
    }
    session.commit()
    return found


def _implementing(make, session, unit, filler, n=1):
    made = []
    for _ in range(n):
        project = make.project(unit, state="implementing", creator=filler, submitted_by=filler)
        project.amount = Decimal(120)
        session.flush()
        freeze_approved(session, project)
        made.append(project)
    session.commit()
    return made


def _as(app, user) -> Browser:
    b = Browser(app.test_client())
    b.login(user)
    return b


def _open(b: Browser, **changes):
    b.get("/monitoring/new")
    data = {"name": "2026年1—7月绩效运行监控", "year": "2026", "cutoff": "2026-07-31",
            "due": "2026-08-20", "rules": "national"}  # fmt: skip
    data.update(changes)
    return b.post("/monitoring/new", data)


def test_finance_opens_a_round_and_the_unit_finds_its_tables(app, people, make, session):
    (project,) = _implementing(make, session, people["police"], people["filler"])
    reviewer = _as(app, people["reviewer"])
    page = text_of(reviewer.get("/monitoring"))
    assert "开展监控" in page and "还没有开展过绩效运行监控" in page
    bad = _open(reviewer, name="", cutoff="2026-13-01")
    assert bad.status_code == 422
    text = text_of(bad)
    assert "数据截止日期请按“年-月-日”填写，如 2027-07-31" in text and "2026-08-20" in text
    assert session.scalar(select(func.count()).select_from(MonitoringRound)) == 0
    done = _open(reviewer)
    assert done.status_code == 302
    round_page = text_of(reviewer.get(done.headers["Location"]))
    assert "1 个项目的监控表已生成" in round_page and project.name in round_page
    assert "未报送" in round_page  # finance sees where the table stands, not its figures
    session.rollback()
    report = session.scalar(select(MonitoringReport))
    assert reviewer.get(f"/monitoring/reports/{report.id}").status_code == 404  # the unit's own
    # the unit's 填报人: a 待办 on the 工作台 and in the messages
    filler = _as(app, people["filler"])
    board = text_of(filler.get("/"))
    assert "待我办理的监控表（1）" in board and f"/monitoring/reports/{report.id}" in board
    note = session.scalar(select(Notification).where(Notification.user_id == people["filler"].id))
    shown = text_of(filler.get(f"/notifications/{note.id}"))
    assert "打开本单位的监控表" in shown
    listing = text_of(filler.get(f"/monitoring?round={report.round_id}"))
    assert project.name in listing and "填报中" in listing
    # another unit's 填报人 neither lists nor opens it
    stranger = _as(app, people["stranger"])
    assert project.name not in text_of(stranger.get("/monitoring"))
    assert stranger.get(f"/monitoring/reports/{report.id}").status_code == 404


def _form(report, **changes) -> dict:
    data = {"version": str(report.version), "executed": "70", "forecast": "118"}
    for n, _ in enumerate(report.rows, start=1):
        data |= {f"row-{n}-actual": "完成进度过半", f"row-{n}-forecast": "全部完成",
                 f"row-{n}-likelihood": "确定能"}  # fmt: skip
    data |= {"row-1-actual": "10%", "row-1-forecast": "20%", "row-1-likelihood": "完全不可能"}
    data.update(changes)
    return data


def test_the_unit_fills_signs_and_sends_a_table(app, people, make, session):
    _implementing(make, session, people["police"], people["filler"])
    _open(_as(app, people["reviewer"]))
    session.rollback()
    report = session.scalar(select(MonitoringReport))
    filler = _as(app, people["filler"])
    url = f"/monitoring/reports/{report.id}"
    page = text_of(filler.get(url))
    assert "「提交」暂不能办理" in page and "请填写全年预计执行数" in page
    assert "保存并重新计算预警" in page
    bad = filler.post(url, _form(report, executed="七十", **{"row-1-cause": "天气"}))
    assert bad.status_code == 422
    text = text_of(bad)
    assert "「截至监控时点执行数」应为数字" in text and "七十" in text and "10%" in text  # kept
    saved = filler.post(url, _form(report))
    assert saved.status_code == 302
    page = text_of(filler.get(url))
    assert "红灯" in page and "监控表已保存" in page
    assert f"第1项指标「{report.rows[0].name}」为红灯，请填写偏差原因、具体说明和纠偏措施" in page
    session.rollback()
    report = session.get(MonitoringReport, report.id)
    refused = filler.post(f"{url}/actions/submit", {"version": str(report.version)})
    assert refused.status_code == 409 and "为红灯" in text_of(refused)
    explained = {"row-1-cause": "人员保障", "row-1-explanation": "培训师资未到位",
                 "row-1-measures": "9月前补充师资"}  # fmt: skip
    assert (
        filler.post(url, _form(report, **explained, version=str(report.version))).status_code == 302
    )
    session.rollback()
    report = session.get(MonitoringReport, report.id)
    sent = filler.post(f"{url}/actions/submit", {"version": str(report.version)})
    assert sent.status_code == 302
    page = text_of(filler.get(url))
    assert "监控表已提交：现为「待单位审核」" in page
    assert 'name="executed"' not in page  # no longer the filler's to edit
    head = _as(app, people["head"])
    assert "待我办理的监控表（1）" in text_of(head.get("/"))
    session.rollback()
    report = session.get(MonitoringReport, report.id)
    head.get(url)
    assert head.post(f"{url}/actions/sign", {"version": str(report.version)}).status_code == 302
    reviewer = _as(app, people["reviewer"])
    board = text_of(reviewer.get("/"))
    assert "待我办理的监控表（1）" in board
    page = text_of(reviewer.get(url))
    assert "培训师资未到位" in page and "审核通过" in page and "退回修改" in page
    round_page = text_of(reviewer.get(f"/monitoring/rounds/{report.round_id}?light=red"))
    assert report.project.name in round_page


def test_the_lists_run_as_many_statements_for_thirty_tables_as_for_three(
    app, people, make, session, db
):
    counts = []
    for n, name in ((3, "第一轮"), (27, "第二轮")):
        _implementing(make, session, people["police"], people["filler"], n=n)
        _open(_as(app, people["reviewer"]), name=name)
        session.rollback()
        for user, url in ((people["filler"], "/monitoring"), (people["filler"], "/"),
                          (people["reviewer"], "/monitoring")):  # fmt: skip
            b = _as(app, user)
            with StatementCounter(db) as counter:
                assert b.get(url).status_code == 200
            counts.append((url, user.username, counter.count))
    first, second = counts[:3], counts[3:]
    assert first == second, counts


def test_only_reviewers_open_rounds_and_the_officers_see_no_monitoring(app, people):
    assert _as(app, people["filler"]).get("/monitoring/new").status_code == 403
    admin = _as(app, people["admin"])
    assert admin.get("/monitoring").status_code == 403
    assert "绩效运行监控" not in text_of(admin.get("/"))
    assert "绩效运行监控" in text_of(_as(app, people["filler"]).get("/"))


def test_a_garbled_address_or_trigger_is_no_page(app, people, make, session):
    _implementing(make, session, people["police"], people["filler"])
    _open(_as(app, people["reviewer"]))
    session.rollback()
    report = session.scalar(select(MonitoringReport))
    filler = _as(app, people["filler"])
    filler.get(f"/monitoring/reports/{report.id}")
    assert filler.get("/monitoring/reports/99999").status_code == 404
    assert filler.get("/monitoring/rounds/1").status_code == 403  # finance's page
    wrong = filler.post(f"/monitoring/reports/{report.id}/actions/archive",
                        {"version": str(report.version)})  # fmt: skip
    assert wrong.status_code in (400, 409) and "监控表当前状态不允许此操作" in text_of(wrong)
    assert filler.get("/monitoring?round=abc").status_code == 200
    assert dt.date(2026, 8, 20).isoformat() in text_of(filler.get("/monitoring"))
