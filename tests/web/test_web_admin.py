"""管理员 pages: units and users; nobody else gets in; changes end old sessions."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.web.conftest import text_of
from workflow.org.models import Role, Unit, User

ADMIN_PAGES = ["/admin/units", "/admin/users", "/admin/users/new"]


@pytest.fixture
def people(make):
    unit = make.unit("苏州市公安局")
    return {
        "unit": unit,
        "admin": make.user(Role.admin, name="管理员"),
        "filler": make.user(Role.filler, unit=unit),
        "head": make.user(Role.unit_head, unit=unit),
        "reviewer": make.user(Role.reviewer),
    }


@pytest.mark.parametrize("who", ["filler", "head", "reviewer"])
def test_admin_pages_refuse_everyone_else(browser, people, who):
    b = browser()
    b.login(people[who])
    b.get("/projects")
    unit_page = f"/admin/units/{people['unit'].id}"
    for url in [*ADMIN_PAGES, f"/admin/users/{people['admin'].id}", unit_page]:
        assert b.get(url).status_code == 403, url
    for url in ["/admin/units", "/admin/users/new", f"/admin/users/{people['admin'].id}",
                unit_page]:  # fmt: skip
        assert b.post(url, {"code": "X1", "name": "偷建单位"}).status_code == 403, url


def test_admin_adds_a_unit_and_duplicates_are_refused_in_chinese(browser, people, session):
    b = browser()
    b.login(people["admin"])
    b.get("/admin/units")
    added = b.post("/admin/units", {"code": "000501", "name": "苏州市应急管理局"})
    assert added.status_code == 302
    duplicate = b.post("/admin/units", {"code": "000501", "name": "苏州市应急管理局"})
    assert duplicate.status_code == 422
    assert "该单位编码已存在" in text_of(duplicate) and "该单位名称已存在" in text_of(duplicate)
    assert session.scalars(select(Unit.name).where(Unit.code == "000501")).all() == [
        "苏州市应急管理局"
    ]


def test_admin_creates_a_user_who_can_log_in(browser, people):
    b = browser()
    b.login(people["admin"])
    b.get("/admin/users/new")
    form = {"username": "new_tb", "display_name": "新填报人", "roles": ["filler"]}
    missing_unit = b.post("/admin/users/new", form)
    assert missing_unit.status_code == 422
    assert "填报人和单位负责人必须属于一个单位" in text_of(missing_unit)
    created = b.post("/admin/users/new", {**form, "unit_id": str(people["unit"].id)})
    assert created.status_code == 200 and "用户已创建" in text_of(created)
    one_time = re.search(r"<code>([^<]+)</code>", text_of(created)).group(1)
    newcomer = browser()
    newcomer.get("/login")
    assert newcomer.post("/login", {"username": "new_tb", "password": one_time}).status_code == 302
    newcomer.get("/password")
    newcomer.post("/password", {"current": one_time, "new": "Newcomer-2026",
                                "confirm": "Newcomer-2026"})  # fmt: skip
    assert "新建项目" in text_of(newcomer.get("/projects"))


@pytest.mark.parametrize(
    "change",
    [{"roles": ["unit_head"]}, {"is_active": ""}],
    ids=["role", "deactivated"],
)
def test_a_change_ends_the_users_old_sessions(browser, people, session, change):
    filler = people["filler"]
    victim = browser()
    victim.login(filler)
    assert victim.get("/projects").status_code == 200
    admin = browser()
    admin.login(people["admin"])
    admin.get(f"/admin/users/{filler.id}")
    form = {"display_name": filler.display_name, "roles": ["filler"],
            "unit_id": str(people["unit"].id), "is_active": "y", **change}  # fmt: skip
    assert admin.post(f"/admin/users/{filler.id}", form).status_code == 302
    response = victim.get("/projects")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    session.rollback()  # end the read snapshot (SQLite WAL) to see what the requests wrote
    session.expire_all()
    assert session.get(User, filler.id).session_version == 2


def test_an_admin_cannot_lock_themselves_out(browser, people):
    b = browser()
    b.login(people["admin"])
    admin = people["admin"]
    b.get(f"/admin/users/{admin.id}")
    response = b.post(f"/admin/users/{admin.id}", {"display_name": "管理员", "roles": ["reviewer"],
                                                   "is_active": "y"})  # fmt: skip
    assert response.status_code == 422 and "不能取消本人的管理员角色" in text_of(response)


def test_admin_renames_a_unit_and_a_clash_is_refused(browser, people, make, session):
    other = make.unit("苏州市应急管理局")
    b = browser()
    b.login(people["admin"])
    unit = people["unit"]
    b.get(f"/admin/units/{unit.id}")
    renamed = b.post(f"/admin/units/{unit.id}", {"code": unit.code, "name": "苏州市公安局（新）",
                                                 "email": "gaj@example.cn"})  # fmt: skip
    assert renamed.status_code == 302
    clash = b.post(f"/admin/units/{unit.id}", {"code": other.code, "name": "苏州市公安局（新）"})
    assert clash.status_code == 422 and "该单位编码已存在" in text_of(clash)
    session.rollback()  # end the read snapshot (SQLite WAL) to see what the requests wrote
    session.expire_all()
    assert (session.get(Unit, unit.id).name, session.get(Unit, unit.id).code) == (
        "苏州市公安局（新）",
        unit.code,
    )
