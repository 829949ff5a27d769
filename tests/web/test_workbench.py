"""工作台: each person lands on what waits for them (待我办理, oldest first, with the reasons a step
is blocked and a return's comment in full), what falls due (已逾期 / 即将到期, with links to where
it is recorded), and what they handled (我经办的, with who holds it now); the 待我办理 count is on
every page. Nobody sees another unit's work; the page's SQL does not grow with what it lists."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.web.conftest import Browser, StatementCounter, text_of
from workflow.clock import CHINA
from workflow.lifecycle.operations import fire
from workflow.milestones.models import Milestone
from workflow.notify.models import Notification
from workflow.org.models import Role
from workflow.uow import UnitOfWork

RETURN_COMMENT = "第3行「隐患推送率」目标值请按95%填写；\n项目实施计划缺少验收时间。"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def _section(page: str, name: str) -> str:
    match = re.search(rf'<section id="{name}">(.*?)</section>', page, re.S)
    assert match, f"no section {name}"
    return _text(match.group(1))


def _day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(CHINA).date()


@pytest.fixture
def office(make, session, clock):
    """Two units' work at 2026-03-02 (a Monday), moved through the real lifecycle."""
    unit, other = make.unit("苏州市公安局"), make.unit("苏州市应急管理局")
    p = {"filler": make.user(Role.filler, unit=unit, name="李明"),
         "head": make.user(Role.unit_head, unit=unit, name="郁海成"),
         "reviewer": make.user(Role.reviewer, name="沈审核"),
         "other_filler": make.user(Role.filler, unit=other, name="王芳"),
         "other_head": make.user(Role.unit_head, unit=other, name="陈刚")}  # fmt: skip
    filler, head, reviewer = p["filler"], p["head"], p["reviewer"]

    def project(name, state, *, unit=unit, year=2026, complete=True, by=filler, last=head):
        made = make.project(unit, state=state, creator=by, submitted_by=by, last_by=last,
                            complete=complete)  # fmt: skip
        made.name, made.year = name, year
        session.commit()
        return made

    def step(project, trigger, actor, comment=""):
        fire(UnitOfWork(session), project, trigger, actor=actor, now=clock.now(), comment=comment)

    returned = project("智慧消防二期", "declared")
    step(returned, "return_for_revision", reviewer, RETURN_COMMENT)
    project("消防站营房修缮", "draft", complete=False)
    signing = project("“331+”基层消防安全监管平台", "draft")
    step(signing, "submit", filler)
    old = project("应急广播系统", "declared", unit=other, by=p["other_filler"],
                  last=p["other_head"])  # fmt: skip
    old.state_entered_at -= dt.timedelta(days=10)
    project("公安网格联动系统", "declared")
    this_year = project("视频会商系统运维", "implementing")
    last_year = project("执法记录仪购置", "implementing", year=2025)
    last_year.state_entered_at = dt.datetime(2025, 5, 6, 2, 0, tzinfo=dt.UTC)
    archived = project("指挥中心改造", "archived", year=2022)
    session.add_all([
        Milestone(project_id=this_year.id, position=0, kind="payment", title="支付项目启动款",
                  due=dt.date(2026, 2, 20)),
        Milestone(project_id=this_year.id, position=1, kind="acceptance", title="初步验收",
                  due=dt.date(2026, 3, 20)),
        Milestone(project_id=this_year.id, position=2, kind="acceptance", title="终验",
                  due=dt.date(2026, 6, 30)),
        Milestone(project_id=archived.id, position=0, kind="payment", title="支付尾款",
                  due=dt.date(2025, 12, 31)),
    ])  # fmt: skip
    final = Milestone(
        project_id=archived.id,
        position=1,
        kind="acceptance",
        title="终验",
        due=dt.date(2023, 3, 10),
        actual_date=dt.date(2023, 3, 10),
    )
    session.add_all(
        [
            final,
            Milestone(
                project_id=archived.id,
                position=2,
                anchor=final,
                kind="warranty_release",
                title="质保金",
                offset_years=3,
            ),
        ]
    )
    session.commit()
    clock.advance(dt.timedelta(days=3))  # Thursday 2026-03-05
    return p


def _board(app, user) -> str:
    b = Browser(app.test_client())
    b.login(user)
    response = b.get("/")
    assert response.status_code == 200
    return text_of(response)


def test_the_filler_sees_a_return_with_its_comment_and_what_blocks_a_draft(app, office):
    page = _board(app, office["filler"])
    todo = _section(page, "todo")
    assert "待我办理（3）" in todo
    names = re.findall(r'class="todo-name"[^>]*>([^<]+)<', page)
    # Not the “331+” platform waiting for the head (撤回 is an option, not work), nor this
    # year's 开始自评 (the year is not over); the oldest first.
    assert names == ["执法记录仪购置", "智慧消防二期", "消防站营房修缮"]
    assert "沈审核「退回修改」于 2026-03-02 09:30，意见：" in todo
    assert RETURN_COMMENT in page  # in full, line break and all
    assert "已等待 3 个工作日" in todo
    blocked = re.search(r"消防站营房修缮.*?</article>", page, re.S).group(0)
    assert 'class="button blocked"' in blocked and "暂不能办理" in blocked
    assert "「项目类型」未选择" in blocked
    started = re.search(r"执法记录仪购置.*?</article>", page, re.S).group(0)
    assert "开始自评" in started and "2026-01-01 起" in started  # work once 2025 was over
    assert '<span class="count" title="待我办理">3</span>' in page


def test_the_head_sees_what_waits_for_signature_and_the_reviewer_what_waits_for_review(app, office):
    head = _board(app, office["head"])
    assert re.findall(r'class="todo-name"[^>]*>([^<]+)<', head) == ["“331+”基层消防安全监管平台"]
    assert "提交人 李明" in _section(head, "todo")
    reviewer = _board(app, office["reviewer"])
    names = re.findall(r'class="todo-name"[^>]*>([^<]+)<', reviewer)
    assert names == ["应急广播系统", "公安网格联动系统"]  # the older one first, any unit
    assert "批复通过" in reviewer and "不予支持" in reviewer
    # From Friday 02-20: 02-23 is the last day of the 春节 holiday, Saturday 02-28 is worked.
    assert "已等待 9 个工作日" in reviewer


def test_deadlines_of_the_users_scope_with_links_to_where_they_are_recorded(app, office):
    page = _board(app, office["filler"])
    overdue, upcoming = _section(page, "overdue"), _section(page, "upcoming")
    assert "已逾期（1）" in overdue and "付款：支付项目启动款" in overdue
    assert "逾期 13 天" in overdue
    assert "支付尾款" not in page  # archived: an unpaid payment is no one's work any more
    assert "即将到期（30 天内，3）" in upcoming
    assert "验收：初步验收" in upcoming and "还有 15 天" in upcoming
    assert "质保金支付：质保金" in upcoming and "还有 5 天" in upcoming  # 终验 + 3 年
    assert "提交绩效自评" in upcoming and "还有 26 天" in upcoming  # 2025's, due 03-31
    assert "终验" not in upcoming.replace("质保金", "")  # 06-30 is beyond 30 days
    milestone = re.search(r'href="(/projects/\d+/milestones#milestone-\d+)">登记完成情况', page)
    assert milestone and "支付项目启动款" in page
    other = _board(app, office["other_filler"])
    assert "支付项目启动款" not in other and "智慧消防二期" not in other
    assert "已逾期（0）" in _section(other, "overdue")


def test_what_i_handled_says_who_holds_it_now_and_for_how_long(app, office):
    page = _section(_board(app, office["filler"]), "handled")
    assert "“331+”基层消防安全监管平台" in page
    assert "提交 2026-03-02 09:30 待单位审核 在 单位负责人 处，已 3 个工作日" in page
    # The reviewer returned 智慧消防二期: a draft again, the unit's own business, out of sight.
    assert "智慧消防二期" not in _section(_board(app, office["reviewer"]), "handled")


def test_the_badge_is_on_every_page_and_the_list_shows_all_my_work(app, office):
    b = Browser(app.test_client())
    b.login(office["reviewer"])
    for path in ("/projects", "/notifications"):
        assert '<span class="count" title="待我办理">2</span>' in text_of(b.get(path))
    mine = text_of(b.get("/projects?todo=1"))
    assert "应急广播系统" in mine and "公安网格联动系统" in mine and "视频会商系统运维" not in mine
    assert mine.index("应急广播系统") < mine.index("公安网格联动系统")  # oldest first, as at home
    assert b.get("/projects?todo=1&page=99999999999999999999").status_code == 404


def _workload(make, session, clock, n: int):
    """n items in every block, for a 填报人, a 单位负责人 and a 财政审核人 of one unit."""
    unit = make.unit()
    filler, head = make.user(Role.filler, unit=unit), make.user(Role.unit_head, unit=unit)
    reviewer, someone = make.user(Role.reviewer), make.user(Role.admin)
    for i in range(n):
        draft = make.project(unit, state="draft", creator=filler, complete=i % 2 == 0)
        evaluating = make.project(unit, state="evaluating", creator=filler, submitted_by=filler,
                                  last_by=someone)  # fmt: skip
        fire(UnitOfWork(session), draft, "submit", actor=filler, now=clock.now()) if i % 2 == 0 \
            else None  # fmt: skip
        make.project(unit, state="declared", creator=filler, submitted_by=filler, last_by=head)
        make.project(unit, state="self_evaluated", creator=filler, submitted_by=filler,
                     last_by=head)  # fmt: skip
        session.add(
            Milestone(
                project_id=evaluating.id,
                position=0,
                kind="payment",
                title=f"付款{i}",
                due=dt.date(2026, 2, 27) - dt.timedelta(days=i),
            )
        )
        soon = dt.date(2026, 3, 2) + dt.timedelta(days=i % 25)
        session.add(
            Milestone(
                project_id=evaluating.id, position=1, kind="acceptance", title=f"验收{i}", due=soon
            )
        )
        final = Milestone(
            project_id=evaluating.id,
            position=2,
            kind="acceptance",
            title="终验",
            due=dt.date(2024, 3, 10),
            actual_date=dt.date(2024, 3, 10),
        )
        session.add_all(
            [
                final,
                Milestone(
                    project_id=evaluating.id,
                    position=3,
                    anchor=final,
                    kind="warranty_release",
                    title=f"质保金{i}",
                    offset_years=2,
                ),
            ]
        )  # due 2026-03-10: soon
        for user in (filler, head, reviewer):
            session.add(
                Notification(
                    user_id=user.id,
                    project_id=draft.id,
                    kind="info",
                    title=f"消息{i}",
                    body="",
                    created_at=clock.now(),
                )
            )
    session.commit()
    return filler, head, reviewer


@pytest.mark.parametrize("role", ["filler", "head", "reviewer"])
def test_the_workbench_runs_as_many_statements_for_fifty_items_as_for_five(
    app, db, make, session, clock, role
):
    counts, seen_by_reviewer = [], 0
    for n in (5, 50):
        people = dict(zip(("filler", "head", "reviewer"), _workload(make, session, clock, n),
                          strict=True))  # fmt: skip
        b = Browser(app.test_client())
        b.login(people[role])
        with StatementCounter(db) as counter:
            page = text_of(b.get("/"))
        seen_by_reviewer += n  # a reviewer sees every unit's, the earlier rounds' too
        waiting = {"filler": n // 2 + n, "head": (n + 1) // 2,
                   "reviewer": 2 * seen_by_reviewer}[role]  # fmt: skip
        assert f"待我办理（{waiting}）" in page
        assert page.count('class="todo-name"') == min(waiting, 50)
        due = seen_by_reviewer if role == "reviewer" else n
        # each item has a payment overdue, an acceptance and a 质保金 release (终验 + 2 年) due
        assert f"已逾期（{due}）" in page and f"即将到期（30 天内，{2 * due}）" in page
        soon = _section(page, "upcoming")  # capped on its own, not crowded out by the overdue
        assert soon.count("还有 ") + soon.count("今天到期") == min(2 * due, 50)
        assert "质保金支付：质保金" in soon
        counts.append(counter.count)
    assert counts[0] == counts[1], counts
