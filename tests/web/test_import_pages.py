"""导入申报表 in the browser's terms (issue 18): a 填报人 uploads a file and lands on a new draft
of their unit with the import report above the form; the same file again opens that draft;
a bad or oversized file is refused in Chinese with nothing written; the XLSX and PDF the system
itself exports import back to the same declaration, field for field."""

from __future__ import annotations

import glob
import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.importing.measure import score
from tests.web.conftest import text_of
from workflow.audit.models import AuditEvent
from workflow.declaration.form import apply_form, to_form
from workflow.declaration.models import Declaration
from workflow.demo.forms import seed_form_data
from workflow.exports.documents import render_pending
from workflow.imports import grid
from workflow.imports.models import DeclarationImport
from workflow.org.models import Role
from workflow.projects.models import Project

SEEDS = Path(__file__).parents[2].parent / "shared" / "seeds"
SEED_002 = next(iter(glob.glob(str(SEEDS / "002_*.txt"))), None)


@pytest.fixture
def unit_people(make):
    unit = make.unit("苏州市住房和城乡建设局")
    return unit, make.user(Role.filler, unit=unit), make.user(Role.unit_head, unit=unit)


def _upload(b, content: bytes, name: str):
    b.get("/projects/import")
    return b.post("/projects/import", {"file": (io.BytesIO(content), name)},
                  content_type="multipart/form-data")  # fmt: skip


def _fresh(session):
    session.rollback()
    session.expire_all()


@pytest.mark.skipif(SEED_002 is None, reason="../shared/seeds is not beside the checkout")
def test_a_filler_imports_a_form_and_checks_it_beside_its_report(browser, unit_people, session):
    unit, filler, head = unit_people
    b = browser()
    b.login(filler)
    assert 'href="/projects/import">导入申报表</a>' in text_of(b.get("/projects"))
    content = Path(SEED_002).read_bytes()
    done = _upload(b, content, "住建局申报表.txt")
    assert done.status_code == 302
    _fresh(session)
    project = session.scalars(select(Project)).one()
    assert done.headers["Location"].endswith(f"/projects/{project.id}/declaration")
    assert (project.name, project.year, project.state, project.unit_id) == (
        "苏州市住建局“互联网+监管”", 2021, "draft", unit.id)  # fmt: skip
    form = to_form(session.get(Declaration, project.id))
    assert score(seed_form_data("002"), {"name": project.name, "year": str(project.year),
                                         **form}).share == 1.0  # fmt: skip
    page = text_of(b.get(done.headers["Location"]))
    assert "已导入为草稿" in page and "导入报告" in page and "住建局申报表.txt" in page
    assert '<td>项目名称</td><td class="pre">苏州市住建局“互联网+监管”</td>' in page
    assert "第5行起的表格第3行" in page  # where each value was read
    again = _upload(b, content, "另一个名字.txt")
    assert again.headers["Location"].endswith(f"/projects/{project.id}/declaration")
    assert "未重复导入" in text_of(b.get(again.headers["Location"]))
    _fresh(session)
    assert session.scalar(select(func.count()).select_from(Project)) == 1
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "import_declaration"))
    assert event.label == "导入申报表" and event.project_id == project.id


def test_only_a_filler_imports(browser, unit_people):
    unit, filler, head = unit_people
    b = browser()
    b.login(head)
    assert b.get("/projects/import").status_code == 403


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"PK\x03\x04" + b"\x00" * 100, "坏.docx", "「坏.docx」：文件已损坏"),
        (b"", "空.txt", "请选择要导入的文件"),
        (b"x" * (grid.MAX_BYTES + 200 * 1024), "大.pdf", "文件超过 10 MB，无法导入"),
    ],
)  # fmt: skip
def test_a_bad_file_is_refused_and_nothing_is_written(browser, unit_people, session, content,
                                                      name, message):  # fmt: skip
    unit, filler, head = unit_people
    b = browser()
    b.login(filler)
    refused = _upload(b, content, name)
    assert refused.status_code == 422 and message in text_of(refused)
    _fresh(session)
    assert session.scalar(select(func.count()).select_from(Project)) == 0
    assert session.scalar(select(func.count()).select_from(DeclarationImport)) == 0


def _seeded(make, session, unit, filler, seed: str) -> Project:
    project = make.project(unit, creator=filler, complete=False)
    data = seed_form_data(seed)
    project.name, project.year = data["name"], int(data["year"])
    apply_form(session.get(Declaration, project.id), data)
    session.commit()
    return project


@pytest.mark.parametrize("seed", ["000", "001", "002", "004"])
def test_the_systems_own_exports_import_back_field_for_field(browser, unit_people, make,
                                                             session, db, clock, seed):  # fmt: skip
    unit, filler, head = unit_people
    original = _seeded(make, session, unit, filler, seed)
    expected = {"name": original.name, "year": str(original.year),
                **to_form(session.get(Declaration, original.id))}  # fmt: skip
    b = browser()
    b.login(filler)
    xlsx = b.get(f"/projects/{original.id}/declaration.xlsx").data
    b.get(f"/projects/{original.id}/declaration.pdf")  # queued for the renderer
    assert render_pending(db, clock).made == 1
    pdf = b.get(f"/projects/{original.id}/declaration.pdf")
    assert pdf.mimetype == "application/pdf"
    for content, name in ((xlsx, "导出.xlsx"), (pdf.data, "导出.pdf")):
        done = _upload(b, content, name)
        assert done.status_code == 302, text_of(done)
        _fresh(session)
        project_id = int(done.headers["Location"].split("/")[-2])
        imported = session.get(Project, project_id)
        got = {"name": imported.name, "year": str(imported.year),
               **to_form(session.get(Declaration, project_id))}  # fmt: skip
        result = score(expected, got)
        assert result.share == 1.0, (name, result.misses)
