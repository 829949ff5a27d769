"""导入申报表 in a real browser (issue 18): a 填报人 uploads a Word form of their unit from the
project list and lands on the new draft, the import report above the form (what was read from
where, what found no place), the form filled; a scanned PDF is refused in Chinese; screenshots."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.pages import expect
from workflow.org.models import Role

pytestmark = pytest.mark.timeout(300)
VIEW = {"viewport": {"width": 1280, "height": 900}}
CORPUS = Path(__file__).parents[1] / "importing" / "corpus"


def test_a_filler_imports_a_word_form_and_checks_the_draft(people, make, tmp_path):
    unit = make.unit("苏州市城市管理局")
    filler = make.user(Role.filler, unit=unit, name="赵敏")
    person = people("赵敏", **VIEW)
    person.login(filler.username)
    page = person.open("/projects")
    page.get_by_role("link", name="导入申报表").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("导入申报表")
    person.shot("导入申报表")

    page.set_input_files("#file", str(CORPUS / "01_suzhou_classic.docx"))
    page.get_by_role("button", name="导入为草稿").click()
    expect(page.locator(".flash.success")).to_contain_text("已导入为草稿")
    report = page.locator("#import-report")
    expect(report).to_contain_text("本草稿由「01_suzhou_classic.docx」")
    expect(report.locator("table.import-found")).to_contain_text("苏州市数字城管平台升级改造")
    expect(page.locator("input[name=name]")).to_have_value("苏州市数字城管平台升级改造项目")
    person.shot("导入报告与草稿")

    # a scan has no text to read: refused, said why, nothing made
    scan = tmp_path / "扫描件.pdf"
    scan.write_bytes(_scanned_pdf())
    page = person.open("/projects/import")
    page.set_input_files("#file", str(scan))
    page.get_by_role("button", name="导入为草稿").click()
    expect(page.locator(".flash.error")).to_contain_text("没有文字层（可能是扫描件）")
    person.shot("扫描件不能导入")


def _scanned_pdf() -> bytes:
    from tests.importing.test_bad_files import _scanned_pdf

    return _scanned_pdf()
