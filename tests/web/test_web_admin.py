"""The pages of the 三员 (三员分立): the 系统管理员 keeps units and accounts, the 安全管理员 roles,
passwords, lock-outs and the policy; each is refused the other's work, nobody else gets in, none
of them sees a project, and changes end old sessions."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.web.conftest import text_of
from workflow.audit.models import AuditEvent
from workflow.org.models import Role, Unit, User

SYSADMIN_PAGES = ["/admin/units", "/admin/users/new", "/admin/scoring-templates", "/admin/calendar"]
SECURITY_PAGES = ["/admin/policy"]
SHARED_PAGES = ["/admin/users"]  # the list: the 系统管理员 edits, the 安全管理员 grants


@pytest.fixture
def people(make):
    unit = make.unit("苏州市公安局")
    return {
        "unit": unit,
        "admin": make.user(Role.admin, name="系统管理员"),
        "security": make.user(Role.security_admin, name="安全管理员"),
        "auditor": make.user(Role.auditor, name="安全审计员"),
        "filler": make.user(Role.filler, unit=unit),
        "head": make.user(Role.unit_head, unit=unit),
        "reviewer": make.user(Role.reviewer),
    }


@pytest.mark.parametrize("who", ["filler", "head", "reviewer", "admin", "security", "auditor"])
def test_each_page_is_its_own_duty(browser, people, who):
    b = browser()
    b.login(people[who])
    b.get("/notifications")
    filler = people["filler"]
    allowed = {
        "admin": {*SYSADMIN_PAGES, *SHARED_PAGES, f"/admin/units/{people['unit'].id}",
                  f"/admin/users/{filler.id}"},
        "security": {*SECURITY_PAGES, *SHARED_PAGES, f"/admin/users/{filler.id}"},
    }.get(who, set())  # fmt: skip
    pages = [*SYSADMIN_PAGES, *SECURITY_PAGES, *SHARED_PAGES, f"/admin/units/{people['unit'].id}",
             f"/admin/users/{filler.id}", "/audit", "/audit/logins"]  # fmt: skip
    for url in pages:
        expected = 200 if url in allowed or (who == "auditor" and url.startswith("/audit")) else 403
        assert b.get(url).status_code == expected, (who, url)
    posts = {
        "/admin/units": ("admin", {"code": "X1", "name": "偷建单位"}),
        f"/admin/users/{filler.id}": ("admin", {"display_name": "改名", "is_active": "y"}),
        f"/admin/users/{filler.id}/roles": ("security", {"roles": ["reviewer"]}),
        f"/admin/users/{filler.id}/reset-password": ("security", {}),
        f"/admin/users/{filler.id}/unlock": ("security", {}),
        "/admin/policy": ("security", {"password_max_age_days": "30"}),
    }
    for url, (owner, data) in posts.items():
        status = b.post(url, data).status_code
        assert (status != 403) == (who == owner), (who, url, status)


@pytest.mark.parametrize("who", ["admin", "security", "auditor"])
def test_none_of_the_three_sees_a_project(browser, people, make, who):
    project = make.project(people["unit"], state="declared", creator=people["filler"])
    b = browser()
    b.login(people[who])
    assert b.get(f"/projects/{project.id}").status_code == 404
    assert project.name not in text_of(b.get("/projects"))
    board = text_of(b.get("/"))
    assert "三员分立" in board and "项目列表" not in board


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


def test_the_admin_opens_an_account_and_the_security_admin_grants_its_role(
    browser, people, session
):
    admin = browser()
    admin.login(people["admin"])
    admin.get("/admin/users/new")
    form = {"username": "new_tb", "display_name": "新填报人", "roles": ["admin", "filler"]}
    created = admin.post("/admin/users/new", form)  # roles posted here are not taken
    assert created.status_code == 200 and "用户已创建" in text_of(created)
    one_time = re.search(r"<code>([^<]+)</code>", text_of(created)).group(1)
    newcomer = session.scalar(select(User).where(User.username == "new_tb"))
    assert newcomer.roles == frozenset()
    # The account waits on the 安全管理员's 工作台 ...
    security = browser()
    security.login(people["security"])
    board = text_of(security.get("/"))
    assert "1 个账号待分配角色" in board and "新填报人（new_tb）" in board
    # ... who cannot make a 填报人 without a unit: the 系统管理员 gives it one.
    security.get(f"/admin/users/{newcomer.id}")
    refused = security.post(f"/admin/users/{newcomer.id}/roles", {"roles": ["filler"]})
    assert refused.status_code == 422 and "填报人和单位负责人必须属于一个单位" in text_of(refused)
    admin.get(f"/admin/users/{newcomer.id}")
    account = {"display_name": "新填报人", "is_active": "y", "unit_id": str(people["unit"].id)}
    moved = admin.post(f"/admin/users/{newcomer.id}", account)
    assert moved.status_code == 302
    granted = security.post(f"/admin/users/{newcomer.id}/roles", {"roles": ["filler"]})
    assert granted.status_code == 302
    assert "没有待分配角色的账号" in text_of(security.get("/"))
    user = browser()
    user.get("/login")
    assert user.post("/login", {"username": "new_tb", "password": one_time}).status_code == 302
    user.get("/password")
    user.post("/password", {"current": one_time, "new": "Newcomer-2026",
                            "confirm": "Newcomer-2026"})  # fmt: skip
    assert "新建项目" in text_of(user.get("/projects"))
    session.rollback()
    trail = session.execute(select(AuditEvent.actor_name, AuditEvent.action)
                            .order_by(AuditEvent.seq)).all()  # fmt: skip
    assert trail == [("系统管理员", "create_user"), ("系统管理员", "update_user"),
                     ("安全管理员", "set_roles"), ("新填报人", "change_password")]  # fmt: skip


@pytest.mark.parametrize(
    ("who", "url", "change"),
    [("security", "roles", {"roles": ["unit_head"]}),
     ("admin", "", {"display_name": "x", "is_active": ""})],
    ids=["role", "deactivated"],
)  # fmt: skip
def test_a_change_ends_the_users_old_sessions(browser, people, session, who, url, change):
    filler = people["filler"]
    victim = browser()
    victim.login(filler)
    assert victim.get("/projects").status_code == 200
    officer = browser()
    officer.login(people[who])
    officer.get(f"/admin/users/{filler.id}")
    address = f"/admin/users/{filler.id}" + (f"/{url}" if url else "")
    form = {"unit_id": str(people["unit"].id), **change}
    assert officer.post(address, form).status_code == 302
    response = victim.get("/projects")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    session.rollback()  # end the read snapshot (SQLite WAL) to see what the requests wrote
    session.expire_all()
    assert session.get(User, filler.id).session_version == 2


@pytest.mark.parametrize(
    ("roles", "message"),
    [(["admin", "auditor"], "须由不同的人担任"),
     (["security_admin", "reviewer"], "不能兼任其他角色"),
     (["auditor", "filler"], "不能兼任其他角色")],
)  # fmt: skip
def test_one_person_holds_one_of_the_three_and_nothing_else(browser, people, session, roles,
                                                            message):  # fmt: skip
    target = people["head"]
    security = browser()
    security.login(people["security"])
    security.get(f"/admin/users/{target.id}")
    refused = security.post(f"/admin/users/{target.id}/roles", {"roles": roles})
    assert refused.status_code == 422 and message in text_of(refused)
    session.rollback()
    session.expire_all()
    assert session.get(User, target.id).roles == {Role.unit_head}


def test_no_one_gives_themselves_a_role_or_locks_themselves_out(browser, people, session):
    security = browser()
    security.login(people["security"])
    me = people["security"]
    page = text_of(security.get(f"/admin/users/{me.id}"))
    assert "本人的角色须由另一位安全管理员调整" in page and "保存角色" not in page
    refused = security.post(f"/admin/users/{me.id}/roles", {"roles": ["auditor"]})
    assert refused.status_code == 422 and "不能修改本人的角色" in text_of(refused)
    assert security.post(f"/admin/users/{me.id}/reset-password").status_code == 403
    admin = browser()
    admin.login(people["admin"])
    mine = people["admin"]
    admin.get(f"/admin/users/{mine.id}")
    response = admin.post(f"/admin/users/{mine.id}", {"display_name": "系统管理员",
                                                      "is_active": ""})  # fmt: skip
    assert response.status_code == 422 and "不能停用本人的账号" in text_of(response)
    session.rollback()
    session.expire_all()
    assert session.get(User, me.id).roles == {Role.security_admin}
    assert session.get(User, mine.id).is_active


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
