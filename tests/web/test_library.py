"""绩效指标库: seeded with the 投入 共性指标 and the seed forms' indicators; the 系统管理员 adds,
edits, retires, imports and exports; finance marks 核心指标 per 项目类型; units read it; the 安全
管理员 and the 安全审计员 have no business there. Every change is audited."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from tests.web.conftest import StatementCounter, text_of
from workflow.audit.models import AuditEvent
from workflow.library import operations as library
from workflow.library.models import LibraryIndicator
from workflow.org.models import Role


@pytest.fixture
def seeded(session, clock, make):
    added = library.seed_default(session, now=clock.now())
    session.commit()
    people = {
        "admin": make.user(Role.admin, name="系统管理员"),
        "reviewer": make.user(Role.reviewer, name="沈审核"),
        "filler": make.user(Role.filler, unit=make.unit()),
        "security": make.user(Role.security_admin),
        "auditor": make.user(Role.auditor),
    }
    return added, people


def _in(browser, user):
    b = browser()
    b.login(user)
    b.get("/library")
    return b


def test_the_seed_holds_the_common_inputs_and_the_seed_forms_indicators(seeded, session, clock):
    added, _ = seeded
    names = dict(session.execute(select(LibraryIndicator.name, LibraryIndicator.category)).all())
    assert added == len(names) > 40
    assert names["预算执行率"] == "投入" and names["应急管理水平"] == "影响力"
    change = session.scalar(
        select(LibraryIndicator).where(LibraryIndicator.name == "工程变更合规性")
    )
    assert change.project_types == ["基本建设及维护类"]
    assert library.seed_default(session, now=clock.now()) == 0  # once


def test_entries_come_in_the_forms_order_not_by_code_point(seeded, session):
    from workflow.declaration.operations import standard_input_indicators

    rows = library.entries(session, library.Filter(project_type="信息化工程及维护类"), limit=500)
    categories = [e.category for e in rows]
    assert categories == sorted(categories, key=["投入", "产出", "结果", "影响力"].index)
    inputs = [e.name for e in rows if e.category == "投入"]
    expected = [r["name"] for r in standard_input_indicators() if r["name"] != "工程变更合规性"]
    assert inputs == expected  # 共性指标 as DOMAIN lists them (预算执行率 …), not 财务… first


@pytest.mark.parametrize("who", ["filler", "reviewer", "admin"])
def test_units_and_finance_read_it_filtered_in_constant_statements(browser, seeded, db, who):
    _, people = seeded
    b = _in(browser, people[who])
    page = text_of(b.get("/library?type=基本建设及维护类&category=投入"))
    assert "工程变更合规性" in page and "业务运维体系健全性" not in page
    assert "预算执行率" in text_of(b.get("/library?q=执行"))
    with StatementCounter(db) as few:
        b.get("/library?category=投入")
    with StatementCounter(db) as many:
        b.get("/library")
    assert many.count == few.count  # the types come in one statement, not one per entry
    assert ("添加指标" in page) == (who == "admin")


@pytest.mark.parametrize("who", ["security", "auditor"])
def test_the_security_officers_have_no_business_there(browser, seeded, who):
    _, people = seeded
    b = browser()
    b.login(people[who])
    assert b.get("/library").status_code == 403
    assert b.get("/library/export.xlsx").status_code == 403


def test_the_admin_adds_and_edits_and_a_duplicate_is_refused(browser, seeded, session):
    _, people = seeded
    b = _in(browser, people["admin"])
    form = {"category": "产出", "name": "道路修复面积", "target": "≥5000平方米", "unit": "平方米",
            "direction": "higher", "explanation": "当年完成修复的道路面积",
            "evidence": "验收报告", "project_types": ["基本建设及维护类"]}  # fmt: skip
    assert b.post("/library/new", form).status_code == 302
    again = b.post("/library/new", form)
    assert again.status_code == 422 and "指标库中已有产出指标「道路修复面积」" in text_of(again)
    bad = b.post("/library/new", {**form, "name": "", "category": "其他", "project_types": []})
    page = text_of(bad)
    assert bad.status_code == 422 and "「指标名称」未填写" in page
    assert "「类别」应为投入、产出、结果或影响力" in page and "请至少选择一个适用的项目类型" in page
    entry = session.scalar(select(LibraryIndicator).where(LibraryIndicator.name == "道路修复面积"))
    changed = b.post(f"/library/{entry.id}", {**form, "target": "≥6000平方米"})
    assert changed.status_code == 302
    session.rollback()  # a new snapshot (SQLite WAL): what the requests wrote
    assert session.get(LibraryIndicator, entry.id).target == "≥6000平方米"
    filler = _in(browser, people["filler"])
    assert filler.post(f"/library/{entry.id}", {**form, "target": "1"}).status_code == 403


def test_finance_marks_a_core_indicator_and_a_retired_one_is_not_required(browser, seeded,
                                                                          session):  # fmt: skip
    _, people = seeded
    entry = session.scalar(select(LibraryIndicator).where(LibraryIndicator.name == "预算执行率"))
    reviewer = _in(browser, people["reviewer"])
    marked = reviewer.post(f"/library/{entry.id}/core", {"project_type": "政策类", "core": "1"})
    assert marked.status_code == 302
    session.rollback()  # a new snapshot (SQLite WAL): what the request wrote
    assert [e.name for e in library.core_indicators(session, "政策类")] == ["预算执行率"]
    assert library.core_indicators(session, "公共事业类") == []
    admin = _in(browser, people["admin"])
    assert admin.post(f"/library/{entry.id}/core", {"project_type": "政策类", "core": "0"}
                      ).status_code == 403  # fmt: skip
    assert admin.post(f"/library/{entry.id}/retire", {"retired": "1"}).status_code == 302
    session.rollback()  # a new snapshot (SQLite WAL): what the requests wrote
    assert library.core_indicators(session, "政策类") == []
    assert ">预算执行率</a>" not in text_of(admin.get("/library?category=投入"))
    assert ">预算执行率</a>" in text_of(admin.get("/library?category=投入&retired=1"))
    actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
    assert actions == ["set_core_indicator", "retire_library_indicator"]


def test_an_export_imports_again_and_a_bad_file_changes_nothing(browser, seeded, session):
    _, people = seeded
    b = _in(browser, people["admin"])
    exported = b.get("/library/export.xlsx?category=投入")
    book = load_workbook(io.BytesIO(exported.data))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:3] == ("类别", "指标名称", "默认目标值") and len(rows) == 2 + 14
    sheet.cell(3, 3).value = '=HYPERLINK("x")'  # a target that looks like a formula: text
    sheet.append(
        ["产出", "培训人次", "≥200人次", "人次", "越高越好", "", "签到表", "政策类", "", ""]
    )
    out = io.BytesIO()
    book.save(out)
    before = session.scalar(select(func.count()).select_from(LibraryIndicator))
    b.get("/library/import")
    done = b.post("/library/import", {"file": (io.BytesIO(out.getvalue()), "库.xlsx")},
                  content_type="multipart/form-data")  # fmt: skip
    assert done.status_code == 302
    session.rollback()  # a new snapshot (SQLite WAL): what the requests wrote
    assert session.scalar(select(func.count()).select_from(LibraryIndicator)) == before + 1
    sheet.append(["其他", "", "", "", "", "", "", "火星类", "", ""])
    bad = io.BytesIO()
    book.save(bad)
    refused = b.post("/library/import", {"file": (io.BytesIO(bad.getvalue()), "库.xlsx")},
                     content_type="multipart/form-data")  # fmt: skip
    page = text_of(refused)
    assert refused.status_code == 422 and "第18行：「指标名称」未填写" in page
    assert "第18行：未知的项目类型：火星类" in page
    junk = b.post("/library/import", {"file": (io.BytesIO(b"not a workbook"), "x.xlsx")},
                  content_type="multipart/form-data")  # fmt: skip
    assert junk.status_code == 422 and "无法读取该文件" in text_of(junk)
    session.rollback()  # a new snapshot (SQLite WAL): what the requests wrote
    assert session.scalar(select(func.count()).select_from(LibraryIndicator)) == before + 1


# --------------------------------------------------------------- the library in the 申报表


def _declaration(session, project_id):
    from workflow.declaration.models import Declaration

    session.rollback()  # a new snapshot (SQLite WAL): what the requests wrote
    return session.get(Declaration, project_id)


def test_a_new_declaration_starts_with_its_types_input_rows(browser, seeded, session):
    _, people = seeded
    b = _in(browser, people["filler"])
    b.get("/projects/new")
    made = b.post("/projects/new", {"name": "道路修缮工程", "year": "2027",
                                    "project_type": "基本建设及维护类"})  # fmt: skip
    assert made.status_code == 302
    project_id = int(made.headers["Location"].split("/")[2])
    declaration = _declaration(session, project_id)
    names = [i.name for i in declaration.indicators]
    assert declaration.project_type == "基本建设及维护类"
    assert {i.category for i in declaration.indicators} == {"投入"}
    assert "工程变更合规性" in names and "业务运维体系健全性" not in names
    it = b.post("/projects/new", {"name": "平台运维", "year": "2027",
                                  "project_type": "信息化工程及维护类"})  # fmt: skip
    names = [i.name for i in _declaration(session, int(it.headers["Location"].split("/")[2])
                                          ).indicators]  # fmt: skip
    assert "业务运维体系健全性" in names and "工程变更合规性" not in names
    refused = b.post("/projects/new", {"name": "x", "year": "2027", "project_type": "火星类"})
    assert refused.status_code == 422 and "「项目类型」无效" in text_of(refused)


def test_picking_a_library_indicator_fills_a_row_and_a_core_one_missing_blocks(
    browser, seeded, session, make, clock
):
    from tests.conftest import COMPLETE_DECLARATION, flat
    from workflow.lifecycle.operations import available_actions

    _, people = seeded
    filler = people["filler"]
    project = make.project(filler.unit, creator=filler)
    core = session.scalar(select(LibraryIndicator).where(LibraryIndicator.name == "应急管理水平"))
    reviewer = _in(browser, people["reviewer"])
    reviewer.post(f"/library/{core.id}/core", {"project_type": "信息化工程及维护类", "core": "1"})
    session.rollback()
    blocked = {a.trigger: a for a in available_actions(session, project, filler, now=clock.now())}
    reasons = [p.message for p in blocked["submit"].problems]
    assert not blocked["submit"].allowed
    assert (
        "缺少财政要求的信息化工程及维护类核心指标：「应急管理水平」（影响力），请从指标库添加"
        in reasons
    )
    b = _in(browser, filler)
    page = text_of(b.get(f"/projects/{project.id}/declaration"))
    assert f'<option value="{core.id}">应急管理水平' in page and "★核心" in page
    form = {**flat({**COMPLETE_DECLARATION, "name": project.name, "year": "2026"}),
            "version": str(project.version), "library_pick": str(core.id),
            "library_add": "1"}  # fmt: skip
    added = b.post(f"/projects/{project.id}/declaration", form)
    assert added.status_code == 302 and added.headers["Location"].endswith("#indicators")
    rows = _declaration(session, project.id).indicators
    row = next(i for i in rows if i.name == "应急管理水平")
    assert (row.category, row.explanation) == ("影响力", core.explanation)
    order = ["投入", "产出", "结果", "影响力"].index
    assert [i.category for i in rows] == sorted((i.category for i in rows), key=order)
    session.refresh(project)
    allowed = {a.trigger: a for a in available_actions(session, project, filler, now=clock.now())}
    assert not any("核心指标" in p.message for p in allowed["submit"].problems)


def test_the_search_answers_from_the_server(browser, seeded):
    _, people = seeded
    b = _in(browser, people["filler"])
    found = b.get("/library/search.json?type=信息化工程及维护类&q=运维").get_json()
    assert [e["label"] for e in found] == ["投入｜业务运维体系健全性（健全）"]
    assert b.get("/library/search.json?type=基本建设及维护类&q=运维").get_json() == []


def test_finance_promotes_an_approved_projects_indicator(browser, seeded, session, make):
    from workflow.declaration.models import Indicator
    from workflow.evaluation.operations import freeze_approved

    _, people = seeded
    filler = people["filler"]
    project = make.project(filler.unit, state="approved", creator=filler)
    reviewer = _in(browser, people["reviewer"])
    page = text_of(reviewer.get(f"/projects/{project.id}?tab=declaration"))
    assert "将本项目指标加入绩效指标库" not in page  # not approved yet: no yardstick frozen
    freeze_approved(session, project)
    session.commit()
    page = text_of(reviewer.get(f"/projects/{project.id}?tab=declaration"))
    assert "将本项目指标加入绩效指标库" in page and "已在指标库" in page  # 预算执行率 is
    mine = select(Indicator).where(Indicator.project_id == project.id)
    training = session.scalar(mine.where(Indicator.name == "群众满意度"))
    url = f"/library/promote/{project.id}/{training.id}"
    assert _in(browser, filler).post(url).status_code == 403
    done = reviewer.post(url)
    assert done.status_code == 302 and done.headers["Location"].endswith("#promote")
    session.rollback()  # a new snapshot (SQLite WAL): what the request wrote
    entry = session.scalar(select(LibraryIndicator).where(LibraryIndicator.name == "群众满意度"))
    assert (entry.category, entry.target, entry.source) == ("影响力", "≥90%", f"项目 #{project.id}")
    again = reviewer.post(url)
    assert "指标库中已有影响力指标「群众满意度」" in text_of(
        reviewer.get(again.headers["Location"])
    )
    assert session.scalar(select(func.count()).select_from(LibraryIndicator)
                          .where(LibraryIndicator.name == "群众满意度")) == 1  # fmt: skip
