"""The admin's 邮件发件箱 after a mail server fault: it says how many mails failed and why, and
sends them all again with one click."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.e2e.pages import expect
from workflow.notify.mailer import queue_email
from workflow.notify.models import OutboundEmail
from workflow.org.models import Role

pytestmark = pytest.mark.timeout(300)


def test_the_outbox_says_what_failed_and_sends_it_all_again(people, make, session, clock):
    admin = make.user(Role.admin, name="系统管理员")
    for n, (to, subject) in enumerate(
        [("liming@gaj.example", "【绩效管理】待您办理：“331+”基层消防安全监管平台"),
         ("yu@gaj.example", "【绩效管理】里程碑今日到期：支付首付款"),
         ("shen@czj.example", "【绩效管理】每日汇总：3 项待办")]
    ):  # fmt: skip
        queue_email(session, dedupe_key=f"m{n}", to_addr=to, subject=subject, body="正文",
                    now=clock.now())  # fmt: skip
    session.commit()
    failed = session.scalars(select(OutboundEmail).where(OutboundEmail.id <= 2))
    for email in failed:
        email.status, email.attempts = "dead", 151
        email.last_error = "72小时内未能发送：connect smtp.czj.example: Connection refused"
    session.commit()

    boss = people("admin")
    boss.login(admin.username)
    page = boss.open("/admin/outbox")
    expect(page.get_by_text("有 2 封邮件发送失败")).to_be_visible()
    boss.shot("outbox-failed")
    page.get_by_role("button", name="全部重新发送").click()
    expect(page.get_by_text("已将 2 封发送失败的邮件重新加入发送队列")).to_be_visible()
    expect(page.get_by_role("button", name="全部重新发送")).to_have_count(0)
    boss.shot("outbox-requeued")
