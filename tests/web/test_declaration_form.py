"""The 申报表 form never loses what was typed and never blames the user: a save repeated (a
double click) is no conflict; a real conflict shows what differs and keeps what was typed; a
refused save says plainly that nothing was saved; the signature block comes from the history;
the people come from the unit's previous project; one cause is one message."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.conftest import COMPLETE_DECLARATION, flat
from tests.web.conftest import Browser, text_of
from workflow.declaration.models import Declaration
from workflow.lifecycle.operations import fire
from workflow.org.models import Role
from workflow.projects.models import Project
from workflow.uow import UnitOfWork


def _login(app, user) -> Browser:
    b = Browser(app.test_client())
    b.login(user)
    return b


def _form(project, version, **changes) -> dict:
    data = {**COMPLETE_DECLARATION, "name": project.name, "year": "2026", **changes}
    return {**flat(data), "version": str(version)}


def _fresh(session, project) -> Project:
    session.rollback()  # a new snapshot: see what the requests committed
    session.expire_all()
    return session.get(Project, project.id)


def test_a_double_click_on_save_is_no_conflict(app, make, session):
    unit = make.unit()
    filler = make.user(Role.filler, unit=unit)
    project = make.project(unit, creator=filler)
    b = _login(app, filler)
    b.get(f"/projects/{project.id}/declaration")
    form = _form(project, 1, summary="双击保存的概况")
    first = b.post(f"/projects/{project.id}/declaration", form)
    second = b.post(f"/projects/{project.id}/declaration", form)  # the same page, again
    assert first.status_code == second.status_code == 302
    assert "申报表已保存" in text_of(b.get(second.headers["Location"]))
    assert _fresh(session, project).version == 2  # saved once
    assert session.get(Declaration, project.id).summary == "双击保存的概况"


def test_a_real_conflict_shows_the_differences_and_keeps_what_was_typed(app, make, session):
    unit = make.unit()
    filler = make.user(Role.filler, unit=unit, name="李明")
    colleague = make.user(Role.filler, unit=unit, name="陈彤")
    project = make.project(unit, creator=filler)
    mine, theirs = _login(app, filler), _login(app, colleague)
    for b in (mine, theirs):
        b.get(f"/projects/{project.id}/declaration")
    theirs.post(f"/projects/{project.id}/declaration", _form(project, 1, summary="同事写的概况"))
    typed = {"summary": "我写的概况", "necessity": "我补充的必要性"}
    response = mine.post(f"/projects/{project.id}/declaration", _form(project, 1, **typed))
    page = text_of(response)
    assert response.status_code == 409 and "尚未保存" in page
    diff = re.search(r'<table class="diff">(.*?)</table>', page, re.S).group(1)
    assert "项目概况" in diff and "同事写的概况" in diff and "我写的概况" in diff
    assert "项目设立的必要性" in diff and "我补充的必要性" in diff
    assert ">我写的概况</textarea>" in page  # what this user typed is still in the form
    assert 'name="version" value="2"' in page  # the version now saved: saving again is meant
    assert session.get(Declaration, project.id).summary != "我写的概况"
    again = mine.post(f"/projects/{project.id}/declaration", _form(project, 2, **typed))
    assert again.status_code == 302
    _fresh(session, project)
    assert session.get(Declaration, project.id).summary == "我写的概况"


def test_a_refused_save_says_nothing_was_saved(app, make, session):
    unit = make.unit()
    filler = make.user(Role.filler, unit=unit)
    project = make.project(unit, creator=filler)
    b = _login(app, filler)
    b.get(f"/projects/{project.id}/declaration")
    response = b.post(f"/projects/{project.id}/declaration",
                      _form(project, 1, name="项" * 201, summary="新写的概况"))  # fmt: skip
    page = text_of(response)
    assert response.status_code == 422
    assert "未保存" in page and "已保存" not in page
    assert "「项目名称」内容过长（不能超过 200 字）" in page and "新写的概况" in page
    # the field itself is marked, for the eye and for a screen reader, with its message beside it
    html = response.get_data(as_text=True)
    marked = (r'<input type="text" id="name" name="name" value="项+" maxlength="200"'
              r' class="invalid" aria-invalid="true"><p class="problem">[^<]*过长')  # fmt: skip
    assert re.search(marked, html)
    assert html.count('aria-invalid="true"') == 1
    assert _fresh(session, project).version == 1


def test_the_signature_block_comes_from_the_history(app, make, session, clock):
    unit = make.unit()
    filler = make.user(Role.filler, unit=unit, name="李明")
    head = make.user(Role.unit_head, unit=unit, name="郁海成")
    project = make.project(unit, creator=filler)
    b = _login(app, filler)
    form = text_of(b.get(f"/projects/{project.id}/declaration"))
    assert 'name="filled_by"' not in form and "提交时由系统填写" in form
    fire(UnitOfWork(session), project, "submit", actor=filler, now=clock.now())
    fire(UnitOfWork(session), project, "declare", actor=head, now=clock.now())
    for path in ("?tab=declaration", "/declaration/print"):
        page = text_of(b.get(f"/projects/{project.id}{path}"))
        block = re.search(r'<tr class="signatures">(.*?)</tr>', page, re.S).group(1)
        assert "郁海成" in block and "（2026-03-02 审核通过）" in block, path
        assert "李明 / 2026-03-02" in block, path


def test_a_new_project_starts_with_the_units_people(app, make, session):
    unit = make.unit()
    filler = make.user(Role.filler, unit=unit)
    make.project(unit, creator=filler)  # 郁海成 and 毛华; 李明 and 陈彤 with their phones
    b = _login(app, filler)
    b.get("/projects/new")
    created = b.post("/projects/new", {"name": "新的项目", "year": "2027"})
    assert created.status_code == 302
    new = session.scalar(select(Project).where(Project.name == "新的项目"))
    declaration = session.get(Declaration, new.id)
    assert [p.name for p in declaration.leaders] == ["郁海成", "毛华"]
    assert [(p.name, p.phone) for p in declaration.contacts] == [
        ("李明", "13404236559"), ("陈彤", "15168809631")]  # fmt: skip


def test_one_cause_is_one_message_naming_every_row_it_touches(app, make, session):
    unit = make.unit()
    filler = make.user(Role.filler, unit=unit)
    project = make.project(unit, creator=filler)
    rows = [{**row, "sub_projects": "不存在的子项目"} if row["category"] != "投入" else row
            for row in COMPLETE_DECLARATION["indicators"]]  # fmt: skip
    b = _login(app, filler)
    b.get(f"/projects/{project.id}/declaration")
    b.post(f"/projects/{project.id}/declaration", _form(project, 1, indicators=rows))
    page = text_of(b.get(f"/projects/{project.id}"))
    message = "分解目标第2–4行的对应子项目「不存在的子项目」不在资金构成中"
    assert page.count(message) == 1  # once among the reasons 提交 is blocked
    form = text_of(b.get(f"/projects/{project.id}/declaration?checked=1"))
    assert form.count(f'<p class="problem">{message}</p>') == 3  # beside each row's field


def test_every_text_field_has_its_limit_in_the_check_and_on_the_page(app, make, session):
    """The longest text a field takes is stated once (workflow/text.py): the save refuses more,
    naming the field, and the page's fields carry the same maxlength. A 50,000-character
    项目概况 (which made the PDF run for ten minutes) is refused at once; 5,000 is kept."""
    from workflow.text import CELL_MAX, NARRATIVE_MAX

    unit = make.unit()
    filler = make.user(Role.filler, unit=unit)
    project = make.project(unit, creator=filler)
    b = _login(app, filler)
    page = text_of(b.get(f"/projects/{project.id}/declaration"))
    assert f'<textarea id="summary" name="summary" rows="6" maxlength="{NARRATIVE_MAX}"' in page
    assert page.count(f'maxlength="{CELL_MAX}"') >= 4  # the indicator cells, and the spare row
    rows = [{**COMPLETE_DECLARATION["indicators"][0], "explanation": "解" * (CELL_MAX + 1)}]
    refused = b.post(f"/projects/{project.id}/declaration",
                     _form(project, 1, summary="概" * 50_000, indicators=rows))  # fmt: skip
    text = text_of(refused)
    assert refused.status_code == 422
    assert f"「项目概况」内容过长（不能超过 {NARRATIVE_MAX} 字）" in text
    assert f"内容过长（不能超过 {CELL_MAX} 字）" in text
    assert _fresh(session, project).version == 1
    b.get(f"/projects/{project.id}/declaration")
    kept = b.post(f"/projects/{project.id}/declaration",
                  _form(project, 1, summary="概" * NARRATIVE_MAX))  # fmt: skip
    assert kept.status_code == 302
    _fresh(session, project)
    assert session.get(Declaration, project.id).summary == "概" * NARRATIVE_MAX


def test_an_unreadable_target_is_for_the_reviewer_and_the_direction_is_kept(app, make, session):
    """Issue 15: a 目标值 the reader cannot place is listed as 待核实事项 and does not block; the
    row's 越低越好 is saved and shown selected again."""
    unit = make.unit()
    filler = make.user(Role.filler, unit=unit)
    project = make.project(unit, creator=filler)
    b = _login(app, filler)
    b.get(f"/projects/{project.id}/declaration")
    indicators = [dict(row) for row in COMPLETE_DECLARATION["indicators"]]
    indicators[1] |= {"target": "100，200人", "direction": "lower"}
    saved = b.post(f"/projects/{project.id}/declaration",
                   _form(project, 1, indicators=indicators))  # fmt: skip
    assert saved.status_code == 302
    page = b.get(saved.headers["Location"]).get_data(as_text=True)
    assert "待核实事项（1）" in page and "由审核人判定" in page
    assert "尚需补充或更正" not in page  # nothing blocks
    assert 'name="indicators-1-direction"' in page
    selected = re.search(r'name="indicators-1-direction".*?</select>', page, re.S).group(0)
    assert '<option value="lower" selected>越低越好</option>' in selected
    rows = session.get(Declaration, project.id).indicators
    assert rows[1].direction == "lower" and rows[1].target == "100，200人"
