"""The 申报表 in a browser: a double click on 保存 saves once and blames nobody, a refused save
says that nothing was saved and keeps every value typed, two people saving the same form see
what differs, and the signature block is the history's. Screenshots at 1440 and 1024 px."""

from __future__ import annotations

import re

import pytest

from tests.e2e.pages import act, expect, tab
from workflow.declaration.models import Declaration
from workflow.org.models import Role
from workflow.projects.models import Project

pytestmark = pytest.mark.timeout(300)


@pytest.fixture
def unit_people(make):
    unit = make.unit("苏州市公安局")
    filler = make.user(Role.filler, unit=unit, name="李明")
    colleague = make.user(Role.filler, unit=unit, name="陈彤")
    head = make.user(Role.unit_head, unit=unit, name="郁海成")
    project = make.project(unit, creator=filler)
    return project, filler, colleague, head


@pytest.mark.parametrize("width", [1440, 1024])
def test_double_click_and_refused_save(people, unit_people, session, width):
    project, filler, _, _ = unit_people
    person = people(f"填报人-{width}", viewport={"width": width, "height": 900})
    person.login(filler.username)
    page = person.open(f"/projects/{project.id}/declaration")
    page.get_by_label("项目概况").fill("双击保存也只保存一次。")
    answers = []
    page.on("response", lambda r: answers.append(r.status) if r.request.method == "POST" else None)
    page.get_by_role("button", name="保存").dblclick()
    expect(page.locator(".flash.success")).to_contain_text("申报表已保存")
    assert 409 not in answers and answers.count(302) >= 1
    person.shot(f"{width}-双击保存")
    session.expire_all()
    assert session.get(Project, project.id).version == 2

    # A 目标值 of 201 characters cannot be kept: nothing is saved, everything typed stays.
    page.get_by_label("项目设立的必要性").fill("这段新写的必要性必须保留。")
    page.locator('[name="indicators-1-target"]').fill("≥" + "9" * 200)
    page.get_by_role("button", name="保存").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("未保存")
    expect(alert).to_contain_text("「分解目标第2行·目标值」内容过长（不能超过 200 字）")
    expect(alert).not_to_contain_text("已保存")
    expect(page.get_by_label("项目设立的必要性")).to_have_value("这段新写的必要性必须保留。")
    person.shot(f"{width}-保存被拒绝")
    session.expire_all()
    assert session.get(Project, project.id).version == 2


def test_two_people_saving_one_form_see_what_differs(people, unit_people, session):
    project, filler, colleague, _ = unit_people
    me, them = people("填报人"), people("同事")
    me.login(filler.username)
    them.login(colleague.username)
    mine = me.open(f"/projects/{project.id}/declaration")
    theirs = them.open(f"/projects/{project.id}/declaration")
    theirs.get_by_label("项目概况").fill("同事先保存的概况。")
    theirs.get_by_role("button", name="保存").click()
    expect(theirs.locator(".flash.success")).to_contain_text("申报表已保存")
    mine.get_by_label("项目概况").fill("我写的概况。")
    mine.get_by_role("button", name="保存").click()
    alert = mine.get_by_role("alert")
    expect(alert).to_contain_text("尚未保存")
    expect(alert.locator("table.diff")).to_contain_text("同事先保存的概况。")
    expect(mine.get_by_label("项目概况")).to_have_value("我写的概况。")
    me.shot("他人已修改")
    mine.get_by_role("button", name="保存").click()  # having read it, mine is meant
    expect(mine.locator(".flash.success")).to_contain_text("申报表已保存")
    session.expire_all()
    assert session.get(Declaration, project.id).summary == "我写的概况。"


def test_the_signature_block_is_written_by_the_history(people, unit_people):
    project, filler, _, head = unit_people
    writer, signer = people("填报人"), people("单位负责人")
    writer.login(filler.username)
    page = writer.open(f"/projects/{project.id}/declaration")
    expect(page.locator("tr.signatures")).to_contain_text("提交时由系统填写")
    act(writer.open(f"/projects/{project.id}"), "提交")
    signer.login(head.username)
    act(signer.open(f"/projects/{project.id}"), "审核通过并申报")
    page = tab(writer.open(f"/projects/{project.id}"), "申报表")
    block = page.locator("tr.signatures")
    expect(block).to_contain_text(re.compile(r"郁海成（\d{4}-\d{2}-\d{2} 审核通过）"))
    expect(block).to_contain_text(re.compile(r"李明 / \d{4}-\d{2}-\d{2}"))
    for width in (1440, 1024):
        page.set_viewport_size({"width": width, "height": 900})
        writer.shot(f"{width}-签名栏")
    page.get_by_role("link", name="打印视图").click()
    expect(page.locator("tr.signatures")).to_contain_text("郁海成")
    writer.shot("打印视图签名栏")
