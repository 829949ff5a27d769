"""我的消息 with its unread count and email switch; the admin's outbox with the retry button."""

from __future__ import annotations

from sqlalchemy import select

from tests.web.conftest import text_of
from workflow.notify.mailer import queue_email
from workflow.notify.models import Notification, OutboundEmail
from workflow.org.models import Role, User


def test_unread_count_then_read_and_the_email_mode(browser, make, session, clock):
    unit = make.unit()
    filler = make.user(Role.filler, unit=unit)
    for title in ("以下事项今日到期：付款", "以下事项已逾期：验收"):
        session.add(
            Notification(user_id=filler.id, title=title, body="请办理<b>", created_at=clock.now())
        )
    session.commit()
    b = browser()
    b.login(filler)
    page = text_of(b.get("/notifications"))
    assert '<span class="count" title="未读消息">2</span>' in page
    assert "以下事项今日到期：付款" in page and "请办理" not in page  # one line; text on click
    b.post("/notifications/read")
    assert 'title="未读消息"' not in text_of(b.get("/notifications"))
    assert 'value="digest" checked' in text_of(b.get("/notifications"))  # the default
    b.post("/notifications/email", {"email_mode": "off"})
    session.rollback()  # end the read snapshot (SQLite WAL) to see what the requests wrote
    session.expire_all()
    assert session.get(User, filler.id).email_mode == "off"
    assert 'value="off" checked' in text_of(b.get("/notifications"))
    refused = b.post("/notifications/email", {"email_mode": "sometimes"})
    assert refused.status_code == 422 and "请选择邮件接收方式" in text_of(refused)


def test_another_users_messages_stay_theirs(browser, make, session, clock):
    unit = make.unit()
    mine, theirs = make.user(Role.filler, unit=unit), make.user(Role.filler, unit=unit)
    session.add(
        Notification(user_id=theirs.id, title="别人的提醒", body="", created_at=clock.now())
    )
    session.commit()
    b = browser()
    b.login(mine)
    assert "别人的提醒" not in text_of(b.get("/notifications"))


def test_admin_sees_dead_mail_and_retries_it(browser, make, session, clock):
    admin, filler = make.user(Role.admin), make.user(Role.filler, unit=make.unit())
    queue_email(
        session,
        dedupe_key="k1",
        to_addr="li@example.cn",
        subject="提醒",
        body="正文",
        now=clock.now(),
    )
    session.commit()
    email = session.scalar(select(OutboundEmail))
    email.status, email.attempts, email.last_error = "dead", 1, "550 5.1.1 no such user"
    session.commit()
    outsider = browser()
    outsider.login(filler)
    assert outsider.get("/admin/outbox").status_code == 403
    assert outsider.post(f"/admin/outbox/{email.id}/retry").status_code == 403
    b = browser()
    b.login(admin)
    page = text_of(b.get("/admin/outbox"))
    assert "发送失败" in page and "550 5.1.1 no such user" in page and "重新发送" in page
    assert b.post(f"/admin/outbox/{email.id}/retry").status_code == 302
    session.rollback()  # end the read snapshot (SQLite WAL) to see what the requests wrote
    session.expire_all()
    retried = session.get(OutboundEmail, email.id)
    assert (retried.status, retried.attempts) == ("pending", 0)
    assert retried.next_attempt_at == clock.now()


def test_admin_sends_every_failed_mail_again_at_once(browser, make, session, clock):
    admin, filler = make.user(Role.admin), make.user(Role.filler, unit=make.unit())
    for n in range(3):
        queue_email(session, dedupe_key=f"k{n}", to_addr=f"u{n}@example.cn", subject="提醒",
                    body="正文", now=clock.now())  # fmt: skip
    session.commit()
    for email in session.scalars(select(OutboundEmail).where(OutboundEmail.id < 3)):
        email.status, email.last_error = "dead", "72小时内未能发送：connect: refused"
    session.commit()
    outsider = browser()
    outsider.login(filler)
    outsider.get("/notifications")
    assert outsider.post("/admin/outbox/retry-all").status_code == 403
    b = browser()
    b.login(admin)
    page = text_of(b.get("/admin/outbox"))
    assert "有 2 封邮件发送失败" in page and "全部重新发送" in page
    answer = b.post("/admin/outbox/retry-all")
    assert answer.status_code == 302
    page = text_of(b.get(answer.headers["Location"]))
    assert "已将 2 封发送失败的邮件重新加入发送队列" in page and "全部重新发送" not in page
    session.rollback()
    session.expire_all()
    assert {e.status for e in session.scalars(select(OutboundEmail))} == {"pending"}


def test_a_message_about_a_project_out_of_sight_no_longer_shows_it(browser, make, session, clock):
    """Both reviewers were asked to review; one returned it to the unit. The other's message
    stays in their list, but neither the list nor the message names the project any more."""
    from workflow.lifecycle.operations import fire
    from workflow.uow import UnitOfWork

    unit = make.unit()
    filler, head = make.user(Role.filler, unit=unit), make.user(Role.unit_head, unit=unit)
    first, second = make.user(Role.reviewer), make.user(Role.reviewer)
    project = make.project(unit, state="unit_review", creator=filler, submitted_by=filler)
    project.name = "尚在单位修改的项目"
    session.commit()
    fire(UnitOfWork(session), project, "declare", actor=head, now=clock.now())
    fire(UnitOfWork(session), project, "return_for_revision", actor=first, now=clock.now(),
         comment="请补充")  # fmt: skip
    note = session.scalar(select(Notification).where(Notification.user_id == second.id))
    b = browser()
    b.login(second)
    listed, opened = text_of(b.get("/notifications")), b.get(f"/notifications/{note.id}")
    assert "该项目目前不在您的查看范围内" in listed and project.name not in listed
    assert opened.status_code == 200 and project.name not in text_of(opened)
    assert "消息内容不再显示" in text_of(opened) and "去办理" not in text_of(opened)


def test_my_messages_page_back_in_hundreds(browser, make, session, clock):
    import datetime as dt

    filler = make.user(Role.filler, unit=make.unit())
    session.add_all([Notification(user_id=filler.id, title=f"第{n:03d}条消息", body="",
                                  created_at=clock.now() + dt.timedelta(minutes=n))
                     for n in range(130)])  # fmt: skip
    session.commit()
    b = browser()
    b.login(filler)
    first = text_of(b.get("/notifications"))
    assert first.count('class="title"') == 100 and "第129条消息" in first
    assert "更早的消息" in first and "第029条消息" not in first
    second = text_of(b.get("/notifications?page=2"))
    assert second.count('class="title"') == 30 and "第000条消息" in second
    assert "较新的消息" in second and "更早的消息" not in second
    assert b.get("/notifications?page=1000").status_code == 200  # the last page browsed to
    assert b.get("/notifications?page=99999999999999999999").status_code == 404
