"""The project list people search every day: a name search, filters by unit, year, state and
项目类型, sorting, pages and an XLSX of exactly what the filters show — all in the address, and
never beyond what the user may see. One page runs the same statements for 5 or 60 rows."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from decimal import Decimal

import openpyxl
import pytest

from tests.web.conftest import Browser, StatementCounter, text_of
from workflow.declaration.models import Declaration
from workflow.org.models import Role


def _names(page: str) -> list[str]:
    return [
        html.unescape(n) for n in re.findall(r'<td><a href="/projects/\d+">([^<]+)</a></td>', page)
    ]


@pytest.fixture
def city(make, session, clock):
    """Two units' projects of several years, states, types and amounts."""
    police, emergency = make.unit("苏州市公安局"), make.unit("苏州市应急管理局")
    people = {"filler": make.user(Role.filler, unit=police),
              "other": make.user(Role.filler, unit=emergency),
              "reviewer": make.user(Role.reviewer), "admin": make.user(Role.admin),
              "auditor": make.user(Role.auditor)}  # fmt: skip
    rows = [  # unit, name, year, state, amount, type
        (police, "“331+”消防安全监管平台", 2026, "declared", "350", "信息化工程及维护类"),
        (police, "消防站营房修缮", 2026, "draft", "88.5", "基本建设及维护类"),
        (police, "执法记录仪购置", 2025, "implementing", "120", "设备购置及维护类"),
        (police, "100%覆盖_测试项目", 2025, "archived", "12", "公共事业类"),
        (emergency, "应急广播系统（消防联动）", 2026, "declared", "640", "信息化工程及维护类"),
        (emergency, '=HYPERLINK("http://x")危化品监测', 2024, "archived", "75", "政策类"),
    ]
    made = {}
    for n, (unit, name, year, state, amount, kind) in enumerate(rows):
        p = make.project(unit, state=state, creator=people["filler"])
        p.name, p.year, p.amount = name, year, Decimal(amount)
        p.updated_at = clock.now() - dt.timedelta(days=n)
        session.get(Declaration, p.id).project_type = kind
        made[name] = p
    session.commit()
    return people, {"police": police, "emergency": emergency}, made


def _list(app, user, query: str = "") -> str:
    b = Browser(app.test_client())
    b.login(user)
    response = b.get(f"/projects{query}")
    assert response.status_code == 200, query
    return text_of(response)


def test_search_filters_and_sorts_live_in_the_address(app, city):
    people, units, _ = city
    reviewer = people["reviewer"]
    # 消防 in the name, finance's view (no drafts), the newest change first
    assert _names(_list(app, reviewer, "?q=消防")) == [
        "“331+”消防安全监管平台", "应急广播系统（消防联动）"]  # fmt: skip
    assert _names(_list(app, reviewer, f"?q=消防&unit={units['emergency'].id}")) == [
        "应急广播系统（消防联动）"]  # fmt: skip
    assert _names(_list(app, reviewer, "?year=2025&sort=amount")) == [
        "100%覆盖_测试项目", "执法记录仪购置"]  # fmt: skip
    assert _names(_list(app, reviewer, "?type=信息化工程及维护类&sort=-amount")) == [
        "应急广播系统（消防联动）", "“331+”消防安全监管平台"]  # fmt: skip
    assert _names(_list(app, reviewer, "?state=archived&sort=year"))[0].startswith("=HYPERLINK")
    # % and _ are letters to search for, not wildcards
    assert _names(_list(app, reviewer, "?q=100%25覆盖_")) == ["100%覆盖_测试项目"]
    assert _names(_list(app, reviewer, "?q=_")) == ["100%覆盖_测试项目"]
    page = _list(app, reviewer, "?q=消防&sort=-amount")
    assert "共 2 个项目，名称含「消防」" in page
    assert 'href="/projects?q=%E6%B6%88%E9%98%B2&amp;sort=amount"' in page  # flips, keeps q
    assert 'href="/projects.xlsx?q=%E6%B6%88%E9%98%B2&amp;sort=-amount"' in page
    assert "没有符合条件的项目" in _list(app, reviewer, "?q=不存在的名称")


@pytest.mark.parametrize(
    "query",
    ["?q=" + "长" * 5000, "?unit=abc", "?unit=99999999999999", "?year=²", "?year=-1",
     "?state=nowhere", "?type=违章建筑类", "?sort=password", "?sort=-", "?page=0",
     "?page=1000000", "?todo=1&page=-3"],
)  # fmt: skip
def test_odd_addresses_show_the_list(app, city, query):
    people, _, _ = city
    assert "项目列表" in _list(app, people["reviewer"], query) or "待我办理" in _list(
        app, people["reviewer"], query
    )


@pytest.mark.parametrize("query", ["?page=99999999999999999999", "?page=1000001",
                                   "?todo=1&page=99999999999999999999"])  # fmt: skip
def test_a_page_number_past_any_page_is_not_found(app, city, query):
    people, _, _ = city
    b = Browser(app.test_client())
    b.login(people["reviewer"])
    answer = b.get("/projects" + query)
    assert answer.status_code == 404 and "页面不存在" in text_of(answer)


@pytest.mark.parametrize("role", ["filler", "other", "reviewer", "admin", "auditor"])
def test_a_filter_never_widens_what_a_user_sees(app, city, role):
    people, units, made = city
    user = people[role]
    seen = set(_names(_list(app, user, "")))
    for query in ("", f"?unit={units['police'].id}", f"?unit={units['emergency'].id}",
                  "?state=draft", "?state=declared", "?year=2026", "?q=消防",
                  "?type=基本建设及维护类", "?todo=1", "?sort=amount"):  # fmt: skip
        shown = set(_names(_list(app, user, query)))
        assert shown <= seen, (role, query, shown - seen)
        xlsx = Browser(app.test_client())
        xlsx.login(user)
        cells = _cells(xlsx.get(f"/projects.xlsx{query}").data)
        assert {c for c in cells if c in made} <= seen, (role, query)
    expected = {
        "filler": {n for n, p in made.items() if p.unit_id == units["police"].id},
        "other": {n for n, p in made.items() if p.unit_id == units["emergency"].id},
        "reviewer": {n for n, p in made.items() if p.state != "draft"},
        "admin": set(),  # the 三员 see no project
        "auditor": set(),
    }[role]
    assert seen == expected


def _cells(data: bytes) -> list:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [c.value for row in sheet.iter_rows() for c in row if c.value is not None]


def test_the_export_is_exactly_what_the_filters_show_on_every_page(app, city, make, session):
    people, units, _ = city
    for n in range(55):  # more than a page
        p = make.project(units["police"], state="archived", creator=people["filler"])
        p.name, p.year = f"归档项目{n:02d}", 2024
    session.commit()
    b = Browser(app.test_client())
    b.login(people["reviewer"])
    page = text_of(b.get("/projects?year=2024&state=archived"))
    assert "共 56 个项目" in page and "第 1 / 2 页" in page  # 55 and the city's one of 2024
    response = b.get("/projects.xlsx?year=2024&state=archived&sort=amount")
    assert response.status_code == 200 and "spreadsheetml" in response.mimetype
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert len(rows) == 56 and rows[0][0] == '=HYPERLINK("http://x")危化品监测'
    assert sheet.cell(3, 1).data_type == "s"  # a name that looks like a formula stays text
    assert [r[3] for r in rows] == sorted(r[3] for r in rows)  # the list's own order


def test_a_list_page_runs_the_same_statements_for_five_and_sixty_rows(app, db, make, session):
    counts = []
    reviewer = make.user(Role.reviewer)
    for n in (5, 55):
        unit = make.unit()
        filler = make.user(Role.filler, unit=unit)
        for _ in range(n):
            make.project(unit, state="declared", creator=filler)
        b = Browser(app.test_client())
        b.login(reviewer)
        with StatementCounter(db) as counter:
            page = text_of(b.get(f"/projects?unit={unit.id}"))
        assert len(_names(page)) == min(n, 50)
        counts.append(counter.count)
    assert counts[0] == counts[1], counts


def _pager_link(page: str, label: str) -> str | None:
    found = re.search(rf'<a href="([^"]+)">{label}</a>', page)
    return html.unescape(found.group(1)) if found else None


@pytest.mark.parametrize("sort", ["-updated", "amount", "-year", "waiting"])
def test_next_and_previous_walk_every_project_once_in_order(app, make, session, clock, sort,
                                                             monkeypatch):  # fmt: skip
    """Pages past the first are found by their keyset cursor (a deep page costs what page 1
    costs): following 下一页 to the end shows every project once, in the list's order, however
    many share a sort value; 上一页 walks back the same pages. The count stops at COUNT_CAP."""
    from workflow.projects import listing

    monkeypatch.setattr(listing, "COUNT_CAP", 60)
    unit = make.unit()
    filler, reviewer = make.user(Role.filler, unit=unit), make.user(Role.reviewer)
    for n in range(130):
        p = make.project(unit, state="declared", creator=filler)
        p.name, p.year, p.amount = f"项目{n:03d}", 2024 + n % 3, Decimal(n % 7)
        p.updated_at = clock.now() - dt.timedelta(hours=n % 5)  # many ties
        p.state_entered_at = clock.now() - dt.timedelta(days=n % 4)
    session.commit()
    b = Browser(app.test_client())
    b.login(reviewer)
    pages, url = [], f"/projects?sort={sort}"
    while url:
        page = text_of(b.get(url))
        assert "共 60 个以上项目" in page and " / " not in re.sub(r"<[^>]+>", "", page).split(
            "共 60", 1)[1].split("第", 1)[1][:12]  # fmt: skip
        pages.append((url, _names(page)))
        url = _pager_link(page, "下一页")
    names = [n for _, shown in pages for n in shown]
    assert len(pages) == 3 and sorted(names) == sorted(f"项目{n:03d}" for n in range(130))
    assert len(set(names)) == 130  # nobody twice, nobody left out
    assert "after=" in pages[2][0] and "page=3" in pages[2][0]
    # and back: 上一页 from the last page gives the pages seen on the way there
    url = pages[-1][0]
    for expected_url, expected in reversed(pages[:-1]):
        url = _pager_link(text_of(b.get(url)), "上一页")
        assert _names(text_of(b.get(url))) == expected, (url, expected_url)


def test_a_cursor_that_cannot_be_read_is_the_page_by_number(app, city):
    people, _, _ = city
    for odd in (
        "?after=garbage",
        "?after=2026-13-01T00:00:00_5",
        "?before=_",
        "?after=x_1",
        "?sort=amount&after=NaN_3",
        "?sort=amount&after=1E+999_3",
        "?sort=year&after=99999999_1",
        "?sort=-updated&after=2026-03-01T00:00:00_99999999999999",
    ):
        plain = re.sub(r"[?&](after|before)=[^&]*", "", odd).lstrip("&")
        expected = _names(_list(app, people["reviewer"], "?" + plain.lstrip("?")))
        assert _names(_list(app, people["reviewer"], odd)) == expected, odd
