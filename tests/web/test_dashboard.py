"""The finance dashboard (issue 17): its figures equal the sums of the 监控表 behind them (the test
adds them up itself), each figure links to the projects it counts, its statements do not grow with
the projects, its charts are SVG with Chinese labels, its tables export as XLSX; the units still
to send theirs and the 质保金 releases of the next 90 days are listed; only finance (and the
admin, without project links) may look."""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
from decimal import Decimal
from urllib.parse import quote

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from tests.web.conftest import Browser, StatementCounter, text_of
from workflow.evaluation.operations import freeze_approved
from workflow.lifecycle import items
from workflow.lifecycle.machine import get_lifecycle
from workflow.milestones.models import Milestone
from workflow.monitoring.hooks import KIND
from workflow.monitoring.models import MonitoringReport
from workflow.monitoring.operations import ReportInput, RowInput, open_round, save_report
from workflow.org.models import Role
from workflow.projects.models import Project
from workflow.uow import UnitOfWork

SPEC = get_lifecycle().spec
TODAY = dt.date(2026, 3, 2)


@pytest.fixture
def bureau(make, session):
    units = [make.unit("苏州市公安局"), make.unit("苏州市消防救援支队")]
    people = {
        "reviewer": make.user(Role.reviewer, name="沈审核"),
        "admin": make.user(Role.admin, name="系统管理员"),
        "fillers": [make.user(Role.filler, unit=u) for u in units],
        "heads": [make.user(Role.unit_head, unit=u) for u in units],
    }
    session.commit()
    return units, people


def _projects(make, session, unit, filler, amounts):
    for amount in amounts:
        project = make.project(unit, state="implementing", creator=filler, submitted_by=filler)
        project.amount = Decimal(amount)
        session.flush()
        freeze_approved(session, project)
    session.commit()


def _open(session, clock, reviewer, name="2026年1—2月绩效运行监控"):
    return open_round(UnitOfWork(session), actor=reviewer, name=name, year=2026,
                      cutoff=dt.date(2026, 2, 28), due=dt.date(2026, 3, 20), spec=SPEC,
                      now=clock.now(), today=TODAY)  # fmt: skip


def _send(session, clock, report, filler, head, *, executed: str, forecast_first: str):
    """Fill (the first indicator forecast as typed, the others met), submit and sign."""
    rows = [RowInput(actual="x", forecast=r.target.lstrip("=≥"), likelihood="确定能")
            for r in report.rows]  # fmt: skip
    rows[0] = RowInput(actual="x", forecast=forecast_first, likelihood="有可能", cause="其他",
                       explanation="进度滞后", measures="加快实施")  # fmt: skip
    data = ReportInput(executed=executed, forecast=executed, cause="经费保障", rows=tuple(rows),
                       explanation="资金拨付滞后", measures="加快支付")  # fmt: skip
    save_report(UnitOfWork(session), report, data, actor=filler, spec=SPEC, now=clock.now())
    for trigger, who in (("submit", filler), ("sign", head)):
        session.expire_all()
        items.fire_item(UnitOfWork(session), session.get(MonitoringReport, report.id), trigger,
                        kind=KIND, actor=who, now=clock.now())  # fmt: skip


def _as(app, user) -> Browser:
    b = Browser(app.test_client())
    b.login(user)
    return b


def test_the_figures_are_the_sums_of_the_tables_behind_them(app, bureau, make, session, clock):
    units, people = bureau
    _projects(make, session, units[0], people["fillers"][0], ["120", "80", "60"])
    _projects(make, session, units[1], people["fillers"][1], ["200", "40"])
    item = _open(session, clock, people["reviewer"])
    reports = session.scalars(select(MonitoringReport).order_by(MonitoringReport.id)).all()
    # four of five sent: lights from the first indicator's forecast; one left with its unit
    plan = [("20", "100%"), ("10", "50%"), ("30", "70%"), ("35", "100%")]
    for report, (executed, first) in zip(reports[:4], plan, strict=True):
        n = units.index(next(u for u in units if u.id == report.project.unit_id))
        _send(session, clock, report, people["fillers"][n], people["heads"][n],
              executed=executed, forecast_first=first)  # fmt: skip
    session.expire_all()
    sent = [r for r in session.scalars(select(MonitoringReport)) if r.state == "finance_review"]
    assert len(sent) == 4
    expected: dict[str, tuple[int, Decimal]] = {}
    for r in sent:
        count, budget = expected.get(r.light, (0, Decimal(0)))
        expected[r.light] = (count + 1, budget + r.budget)
    assert len(expected) > 1  # more than one light, or the test proves little
    reviewer = _as(app, people["reviewer"])
    page = text_of(reviewer.get(f"/dashboard?year=2026&round={item.id}"))
    assert "监控表 5 份，已报送财政 4 份" in page
    charts = [base64.b64decode(src).decode() for src in
              re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', page)]  # fmt: skip
    assert len(charts) == 2 and all(c.startswith("<svg") for c in charts)
    assert "监控表（份）" in charts[0] and "红灯" in charts[0] and "预算执行率（%）" in charts[1]
    for light, (count, _) in expected.items():
        assert f'href="/monitoring/rounds/{item.id}?light={light}">{count}</a>' in page
    book = load_workbook(io.BytesIO(reviewer.get("/dashboard.xlsx?year=2026").data))
    by_light = {row[0]: row[1:] for row in book["按预警灯"].iter_rows(min_row=3, values_only=True)}
    labels = {"red": "红灯", "yellow": "黄灯", "green": "绿灯", "blue": "蓝灯"}
    for light, (count, budget) in expected.items():
        assert by_light[labels[light]] == (count, float(budget))
    by_unit = {row[0]: row[1:] for row in book["按单位"].iter_rows(min_row=3, values_only=True)}
    for unit in units:
        mine = [r for r in sent if r.project.unit_id == unit.id]
        executed = sum((r.executed for r in mine), Decimal(0))
        budget = sum((r.budget for r in mine), Decimal(0))
        total = sum(1 for r in reports if r.project.unit_id == unit.id)
        rate = round(float(executed / budget * 100), 2)
        assert by_unit[unit.name][:6] == (
            total, len(mine), total - len(mine), float(budget), float(executed), rate)  # fmt: skip
    assert "苏州市消防救援支队：1 份未报送（共 2 份）" in page
    # a unit's count links to its 监控表, and only its
    fire = units[1]
    assert f'href="/monitoring/rounds/{item.id}?unit={fire.id}">2</a>' in page
    listed = text_of(reviewer.get(f"/monitoring/rounds/{item.id}?unit={fire.id}"))
    assert "仅显示「苏州市消防救援支队」的监控表" in listed
    names = {r.project.name for r in reports}
    shown = {n for n in names if n in listed}
    assert shown == {r.project.name for r in reports if r.project.unit_id == fire.id}


def test_releases_due_within_ninety_days(app, bureau, make, session, clock):
    units, people = bureau
    _projects(make, session, units[0], people["fillers"][0], ["120"])
    project = session.scalars(select(Project)).first()
    for n, (days, amount) in enumerate(((10, "6"), (89, "3.6"), (91, "9"))):
        day = TODAY + dt.timedelta(days=days)
        session.add(Milestone(project_id=project.id, position=n, kind="warranty_release",
                              title=f"质保金第{n + 1}笔", due=day, deadline=day,
                              amount=Decimal(amount)))  # fmt: skip
    session.commit()
    page = text_of(_as(app, people["reviewer"]).get("/dashboard?year=2026"))
    assert "未来 90 天到期的质保金支付（2 笔，9.60 万元）" in page
    assert "质保金第1笔" in page and "质保金第2笔" in page and "质保金第3笔" not in page
    assert "2026 年度尚未开展绩效运行监控" in page


def test_the_statements_do_not_grow_with_the_projects(app, bureau, make, session, clock, db):
    units, people = bureau
    counts = []
    for n, name in ((2, "第一轮"), (20, "第二轮")):
        _projects(make, session, units[n // 20], people["fillers"][n // 20], ["50"] * n)
        item = _open(session, clock, people["reviewer"], name=name)
        b = _as(app, people["reviewer"])
        with StatementCounter(db) as counter:
            assert b.get(f"/dashboard?year=2026&round={item.id}").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts


def test_only_finance_and_the_admin_look(app, bureau, make, session, clock):
    units, people = bureau
    _projects(make, session, units[0], people["fillers"][0], ["120"])
    item = _open(session, clock, people["reviewer"])
    assert _as(app, people["fillers"][0]).get("/dashboard").status_code == 403
    assert _as(app, people["fillers"][0]).get("/dashboard.xlsx").status_code == 403
    admin = text_of(_as(app, people["admin"]).get("/dashboard?year=2026"))
    assert "系统管理员只读查看汇总数字" in admin
    assert re.findall(r'href="(/monitoring/rounds/[^"]*)"', admin) == [
        f"/monitoring/rounds/{item.id}/report.pdf"
    ]
    assert _as(app, people["reviewer"]).get("/dashboard?year=99999").status_code == 404


def _signed(make, session, clock, actuals: dict[str, str]) -> Project:
    """A project taken through 提交自评 and 审核通过 with these indicator actuals."""
    from tests.web.test_archived_read_only import EVALUATION
    from workflow.evaluation import operations as evaluation_ops
    from workflow.lifecycle.operations import fire

    project, filler = make.evaluating()
    head = make.user(Role.unit_head, unit=project.unit)
    form = {**EVALUATION, **actuals}
    evaluation_ops.save_evaluation(UnitOfWork(session), project, form, actor=filler,
                                   now=clock.now(), expected_version=None)  # fmt: skip
    fire(UnitOfWork(session), project, "submit_evaluation", actor=filler, now=clock.now())
    fire(UnitOfWork(session), project, "sign_evaluation", actor=head, now=clock.now())
    return project


POOR = {"indicators-0-actual": "=40%", "indicators-1-actual": "=60人",
        "indicators-2-actual": "50%", "indicators-3-actual": "60%"}  # fmt: skip
FAIR = {"indicators-2-actual": "70%", "indicators-3-actual": "75%"}


def test_the_grades_are_those_the_units_signed(app, bureau, make, session, clock, db):
    from workflow.evaluation.choice import set_template_choice
    from workflow.evaluation.models import SelfEvaluation
    from workflow.evaluation.operations import score_sheet
    from workflow.evaluation.scoring import display
    from workflow.lifecycle.operations import fire

    units, people = bureau
    b = _as(app, people["reviewer"])
    counts = []
    projects = [_signed(make, session, clock, {})]
    with StatementCounter(db) as counter:
        assert b.get("/dashboard?year=2026").status_code == 200
    counts.append(counter.count)
    projects += [_signed(make, session, clock, a) for a in (POOR, FAIR, {})]
    returned = _signed(make, session, clock, POOR)
    fire(UnitOfWork(session), returned, "return_evaluation", actor=people["reviewer"],
         now=clock.now(), comment="请补充佐证材料")  # fmt: skip
    session.expire_all()
    assert session.get(SelfEvaluation, returned.id).grade is None  # reopened: no grade stands
    expected: dict[str, list[Decimal]] = {}
    for project in projects:
        sheet = score_sheet(session, project)
        stored = session.get(SelfEvaluation, project.id)
        assert (stored.grade, stored.score) == (sheet.grade, Decimal(display(sheet.total)))
        expected.setdefault(sheet.grade, []).append((stored.score, stored.score_points))
    assert len(expected) > 1, expected  # more than one grade, or the test proves little
    with StatementCounter(db) as counter:
        page = text_of(b.get("/dashboard?year=2026"))
    counts.append(counter.count)
    assert counts[0] == counts[1], counts
    assert "2026 年度自评结果（单位已审核的自评表 4 份）" in page
    for grade, scores in expected.items():
        assert f'href="/projects?year=2026&amp;grade={quote(grade)}">{len(scores)}</a>' in page
    charts = [base64.b64decode(src).decode() for src in
              re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', page)]  # fmt: skip
    assert any("自评表（份）" in c for c in charts)
    book = load_workbook(io.BytesIO(b.get("/dashboard.xlsx?year=2026").data))
    sheet = {row[0]: row[1:] for row in book["自评等级"].iter_rows(min_row=3, values_only=True)}
    for grade, scores in expected.items():
        rate = sum(s for s, _ in scores) / sum(p for _, p in scores) * 100
        assert sheet[grade] == (len(scores), round(float(rate), 2))
    assert sheet["差"][0] == len(expected.get("差", []))  # a grade nobody has is listed with 0
    # the link lists exactly the projects of that grade
    grade, scores = next(iter(expected.items()))
    listed = text_of(b.get(f"/projects?year=2026&grade={grade}"))
    assert f"共 {len(scores)} 个项目" in listed and f"自评等级为「{grade}」" in listed
    assert returned.name not in listed
    # another template for one unit: its signed 自评表 are scored again by it
    unit_id = projects[1].unit_id
    set_template_choice(UnitOfWork(session), unit_id=unit_id, year=None, template="national",
                        actor=people["admin"], now=clock.now())  # fmt: skip
    session.expire_all()
    sheet_now = score_sheet(session, projects[1])
    assert sheet_now.template_key == "national"
    stored = session.get(SelfEvaluation, projects[1].id)
    assert (stored.grade, stored.score) == (sheet_now.grade, Decimal(display(sheet_now.total)))


def test_the_round_report_pdf_carries_the_charts_and_the_flagged_tables(
    app, bureau, make, session, clock, db
):
    from pypdf import PdfReader

    from workflow.exports.documents import render_pending
    from workflow.exports.models import RenderedDocument

    units, people = bureau
    _projects(make, session, units[0], people["fillers"][0], ["120", "80"])
    item = _open(session, clock, people["reviewer"])
    reports = session.scalars(select(MonitoringReport).order_by(MonitoringReport.id)).all()
    _send(session, clock, reports[0], people["fillers"][0], people["heads"][0],
          executed="5", forecast_first="40%")  # fmt: skip
    session.expire_all()
    red = session.get(MonitoringReport, reports[0].id)
    assert red.light == "red"
    reviewer = _as(app, people["reviewer"])
    assert "监控报告 PDF" in text_of(reviewer.get(f"/monitoring/rounds/{item.id}"))
    waiting = reviewer.get(f"/monitoring/rounds/{item.id}/report.pdf")
    assert waiting.status_code == 200 and "正在生成 PDF" in text_of(waiting)
    assert f"「{item.name}」的绩效运行监控报告 PDF 正在生成" in text_of(waiting)
    session.rollback()
    session.expire_all()
    queued = session.scalars(select(RenderedDocument)).one()
    assert (queued.project_id, queued.round_id, queued.kind) == (None, item.id, "monitoring_round")
    assert render_pending(db, clock).made == 1
    made = reviewer.get(f"/monitoring/rounds/{item.id}/report.pdf")
    assert made.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(made.data)).pages)
    for words in (
        item.name,
        "绩效运行监控报告",
        "二、按预警灯统计",
        "监控表（份）",
        "预算执行率（%）",
        "五、红灯、黄灯项目",
        red.project.name,
        "资金拨付滞后",
        "加快支付",
    ):
        assert words in text.replace("\n", ""), words
    # the admin's report: the figures, no project
    admin = _as(app, people["admin"])
    admin.get(f"/monitoring/rounds/{item.id}/report.pdf")
    assert render_pending(db, clock).made == 1
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(
        admin.get(f"/monitoring/rounds/{item.id}/report.pdf").data)).pages)  # fmt: skip
    assert "全部单位（汇总数字）" in text and red.project.name not in text and "五、" not in text
    assert _as(app, people["fillers"][0]).get(
        f"/monitoring/rounds/{item.id}/report.pdf").status_code == 403  # fmt: skip
    assert reviewer.get("/monitoring/rounds/99999/report.pdf").status_code == 404
