"""`jixiao import FOLDER --unit CODE` (issue 18): a folder of forms becomes drafts of the unit,
with a progress bar and a summary of files read, fields recovered and files refused and why;
run again it imports nothing twice (a file is known by its content)."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import func, select

from web.cli import main
from workflow.imports.models import DeclarationImport
from workflow.org.models import Role
from workflow.projects.models import Project

CORPUS = Path(__file__).parents[1] / "importing" / "corpus"


def test_a_folder_is_imported_once(database_url, monkeypatch, tmp_path, make, session):
    monkeypatch.setenv("DATABASE_URL", database_url)
    unit = make.unit("苏州市城市管理局")
    filler = make.user(Role.filler, unit=unit)
    folder = tmp_path / "申报表"
    (folder / "2024").mkdir(parents=True)
    for name in ("01_suzhou_classic.docx", "12_suzhou_tabs.tsv", "06_wuxi_multisheet.xlsx"):
        shutil.copy(CORPUS / name, folder / "2024" / name)
    shutil.copy(CORPUS / "12_suzhou_tabs.tsv", folder / "副本.tsv")  # the same file again
    (folder / "坏.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    (folder / "说明.jpg").write_bytes(b"\xff\xd8")

    def run():
        return CliRunner().invoke(main, ["import", str(folder), "--unit", unit.code],
                                  catch_exceptions=False)  # fmt: skip

    first = run()
    assert first.exit_code == 0, first.output
    summary = "共读取 5 个文件：新导入 3 份草稿，1 个已导入过（未重复导入），1 个未导入"
    assert summary in first.output
    assert "另有 1 个文件不是可导入的格式" in first.output
    assert "未导入：坏.docx：「坏.docx」：文件已损坏" in first.output
    assert "苏州市数字城管平台升级改造项目" in first.output
    session.rollback()
    projects = session.scalars(select(Project)).all()
    assert len(projects) == 3 and {p.created_by_id for p in projects} == {filler.id}
    assert {p.state for p in projects} == {"draft"}
    again = run()
    assert "新导入 0 份草稿，4 个已导入过" in again.output
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Project)) == 3
    assert session.scalar(select(func.count()).select_from(DeclarationImport)) == 3


def test_an_unknown_unit_or_one_without_a_filler_is_refused(database_url, monkeypatch, tmp_path,
                                                            make):  # fmt: skip
    monkeypatch.setenv("DATABASE_URL", database_url)
    lonely = make.unit("苏州市档案馆")
    for code, message in (("NOPE", "单位编码 NOPE 不存在"), (lonely.code, "没有可用的填报人账号")):
        result = CliRunner().invoke(main, ["import", str(tmp_path), "--unit", code])
        assert result.exit_code != 0 and message in result.output
