"""The 安全审计员's pages: the audit trail and the login log, filtered by time, person, project and
action (or name, result and address), paged by a cursor, exported to XLSX exactly as filtered;
the chain's last check and checkpoint; and the daily check that feeds them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from tests.web.conftest import StatementCounter, text_of
from workflow.audit import chain, checkpoints, trail
from workflow.audit.models import AuditVerification
from workflow.lifecycle.machine import get_lifecycle
from workflow.lifecycle.operations import fire
from workflow.notify.models import OutboundEmail
from workflow.org.models import LoginRecord, Role
from workflow.scheduler import Jobs
from workflow.uow import UnitOfWork


@pytest.fixture
def history(make, session, clock):
    """Two projects moved by two people on two days, and some logins."""
    unit = make.unit("苏州市公安局")
    filler = make.user(Role.filler, unit=unit, name="李明")
    reviewer = make.user(Role.reviewer, name="沈审核")
    auditor = make.user(Role.auditor, name="审计员")
    auditor.email = "audit@czj.example"
    first = make.project(unit, creator=filler)
    second = make.project(unit, creator=filler)
    first.name, second.name = "消防监管平台", '=HYPERLINK("http://x")应急物资'
    session.commit()
    fire(UnitOfWork(session), first, "submit", actor=filler, now=clock.now())
    clock.advance(dt.timedelta(days=1))
    fire(UnitOfWork(session), second, "submit", actor=filler, now=clock.now())
    for n, result in enumerate(["ok", "wrong_password", "wrong_password", "unknown_name"]):
        session.add(LoginRecord(at=clock.now() + dt.timedelta(minutes=n), username=f"user{n % 2}",
                                remote_addr=f"10.0.0.{n % 2}", result=result))  # fmt: skip
    session.commit()
    return {"first": first, "second": second, "filler": filler, "auditor": auditor,
            "reviewer": reviewer}  # fmt: skip


def _auditor(browser, history):
    b = browser()
    b.login(history["auditor"])
    return b


def test_the_trail_filters_by_person_project_action_and_time(browser, history, clock):
    b = _auditor(browser, history)
    everything = text_of(b.get("/audit"))
    assert everything.count("<tr>") == 3  # the heading and two submissions
    by_project = text_of(b.get(f"/audit?project={history['first'].id}"))
    assert by_project.count("<tr>") == 2
    by_name = text_of(b.get("/audit?project=应急"))
    assert by_name.count("<tr>") == 2
    today = clock.now().astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    assert text_of(b.get(f"/audit?start={today}")).count("<tr>") == 2
    assert text_of(b.get(f"/audit?end={today - dt.timedelta(days=1)}")).count("<tr>") == 2
    assert text_of(b.get("/audit?person=李明&action=submit")).count("<tr>") == 3
    assert "没有符合筛选条件的审计记录" in text_of(b.get("/audit?person=李明&action=approve"))
    nobody = text_of(b.get("/audit?person=王五"))
    assert "没有用户名或姓名为「王五」的用户" in nobody
    bad = b.get("/audit?start=2026-13-01&action=drop_table&before=x")
    assert bad.status_code == 200
    assert "「起始日期」应为日期" in text_of(bad) and "所选操作不存在" in text_of(bad)


def test_the_trail_pages_by_a_cursor_in_constant_statements(browser, history, make, session,
                                                            clock, db):  # fmt: skip
    filler, unit = history["filler"], history["filler"].unit
    for _ in range(trail.PAGE + 5):
        fire(UnitOfWork(session), make.project(unit, creator=filler), "submit", actor=filler,
             now=clock.now())  # fmt: skip
    b = _auditor(browser, history)
    first = text_of(b.get("/audit"))
    assert first.count("<tr>") == trail.PAGE + 1 and "更早的记录" in first
    seqs = session.scalars(select(chain.AuditEvent.seq).order_by(chain.AuditEvent.seq)).all()
    with StatementCounter(db) as page_one:
        b.get("/audit")
    with StatementCounter(db) as older:
        rest = text_of(b.get(f"/audit?before={seqs[-trail.PAGE]}"))
    assert rest.count("<tr>") == len(seqs) - trail.PAGE + 1 and "更早的记录" not in rest
    assert older.count == page_one.count


def test_the_export_is_exactly_what_is_filtered_and_text_stays_text(browser, history):
    b = _auditor(browser, history)
    response = b.get(f"/audit/events.xlsx?project={history['second'].id}")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "项目：" in rows[0][0] and rows[1][:4] == ("序号", "时间", "操作人", "操作")
    assert len(rows) == 3 and rows[2][2] == "李明" and rows[2][3] == "提交"
    assert rows[2][4] == history["second"].id
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    logins = load_workbook(io.BytesIO(b.get("/audit/logins.xlsx?result=wrong_password").data))
    rows = list(logins.active.iter_rows(values_only=True))
    assert [r[2] for r in rows[2:]] == ["密码错误", "密码错误"]
    assert b.get("/audit/events.xlsx?start=x").status_code == 400


def test_the_login_log_filters_by_name_result_and_address(browser, history):
    b = _auditor(browser, history)
    page = text_of(b.get("/audit/logins"))
    assert "用户名不存在" in page and "密码错误" in page
    assert text_of(b.get("/audit/logins?username=user1")).count("<tr") == 3  # heading + 2
    assert text_of(b.get("/audit/logins?result=unknown_name")).count("<tr") == 2
    assert text_of(b.get("/audit/logins?address=10.0.0.0&result=ok")).count("<tr") == 2
    assert "所选结果不存在" in text_of(b.get("/audit/logins?result=hacked"))


def test_the_daily_check_shows_on_the_page_and_a_broken_chain_is_told(
    browser, history, db, session, clock, tmp_path
):
    jobs = Jobs(db=db, clock=clock, spec=get_lifecycle().spec, smtp=None, base_url="http://j",
                checkpoint_path=tmp_path / "checkpoints")  # fmt: skip
    b = _auditor(browser, history)
    board = text_of(b.get("/"))
    assert "审计记录尚未校验过" in board and "近24小时登录失败 3 次" in board
    kept = jobs.checkpoint()
    assert kept.ok and kept.head_seq == 2
    page = text_of(b.get("/audit"))
    assert "校验通过" in page and f"共校验 {kept.checked} 条记录" in page
    assert kept.head_hash in page
    assert "审计记录尚未校验过" not in text_of(b.get("/"))
    mails = session.scalars(select(OutboundEmail.to_addr)).all()
    assert mails == ["audit@czj.example"]  # the checkpoint goes to the auditor
    # The chain cut at its end: the next day's check catches it, takes no checkpoint, says so.
    _delete_newest_event(session)
    clock.advance(dt.timedelta(days=1))
    broken = jobs.checkpoint()
    assert not broken.ok and broken.head_seq is None
    assert [p.seq for p in checkpoints.read(tmp_path / "checkpoints")] == [2]
    b = _auditor(browser, history)  # a day later: a new session
    page = text_of(b.get("/audit"))
    assert "校验未通过" in page and "检查点" in page
    assert "审计记录完整性校验未通过" in text_of(b.get("/"))
    subjects = session.scalars(select(OutboundEmail.subject).order_by(OutboundEmail.id)).all()
    assert subjects[-1] == "【绩效管理】审计记录完整性校验未通过，请立即核查"
    assert session.scalar(select(AuditVerification.source).limit(1)) == "scheduler"


def _delete_newest_event(session) -> None:
    from workflow.audit import append_only

    append_only.remove(session.connection())
    newest = session.scalar(select(chain.AuditEvent).order_by(chain.AuditEvent.seq.desc()).limit(1))
    session.delete(newest)
    session.commit()
