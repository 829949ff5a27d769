"""What waits for each of the 三员 (the work finds its people, for those who keep the system):
the 系统管理员's undeliverable mail, the 安全管理员's accounts without roles and locked names,
the 安全审计员's chain check and failed logins. A few indexed counts; the 工作台 shows them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflow.audit.models import AuditVerification
from workflow.notify.models import OutboundEmail
from workflow.org.models import LoginFailure, LoginRecord, Role, User, UserRole

SHOWN = 10  # names listed under a count
CHECK_EVERY = dt.timedelta(hours=26)  # the daily check, and a little slack
FAILED = ("wrong_password", "unknown_name", "disabled", "locked", "throttled")


@dataclass
class Duty:
    key: str  # what it is (the page words it and links it)
    count: int
    urgent: bool = False
    names: list[tuple[int | str, str]] = field(default_factory=list)  # (id or key, shown)
    detail: str = ""


def officer_duties(
    session: Session, user: User, *, now: dt.datetime, lockout_failures: int,
    lockout_window: dt.timedelta,
) -> list[Duty]:  # fmt: skip
    duties: list[Duty] = []
    if user.has_role(Role.admin):
        dead = session.scalar(
            select(func.count()).select_from(OutboundEmail).where(OutboundEmail.status == "dead")
        )
        duties.append(Duty("dead_mail", dead, urgent=dead > 0))
    if user.has_role(Role.security_admin):
        waiting = session.execute(
            select(User.id, User.display_name, User.username)
            .where(User.is_active, ~select(UserRole.user_id)
                   .where(UserRole.user_id == User.id).exists())
            .order_by(User.created_at, User.id)
        ).all()  # fmt: skip
        duties.append(Duty("no_roles", len(waiting), urgent=bool(waiting),
                           names=[(r.id, f"{r.display_name}（{r.username}）")
                                  for r in waiting[:SHOWN]]))  # fmt: skip
        locked = session.execute(
            select(LoginFailure.username, LoginFailure.remote_addr)
            .where(LoginFailure.at > now - lockout_window)
            .group_by(LoginFailure.username, LoginFailure.remote_addr)
            .having(func.count() >= lockout_failures)
            .order_by(LoginFailure.username)
        ).all()
        ids = dict(session.execute(select(User.username, User.id).where(
            User.username.in_({r.username for r in locked}))).tuples().all())  # fmt: skip
        duties.append(Duty("locked", len(locked), names=[
            (ids.get(r.username, ""), f"{r.username}（{r.remote_addr or '未知地址'}）")
            for r in locked[:SHOWN]
        ]))  # fmt: skip
    if user.has_role(Role.auditor):
        check = session.scalar(
            select(AuditVerification).order_by(AuditVerification.at.desc()).limit(1)
        )
        if check is None or not check.ok or now - check.at > CHECK_EVERY:
            state = "never" if check is None else "late" if check.ok else "broken"
            duties.append(Duty("chain_check", 1, urgent=True, detail=state))
        failed = session.scalar(
            select(func.count()).select_from(LoginRecord)
            .where(LoginRecord.at > now - dt.timedelta(days=1), LoginRecord.result.in_(FAILED))
        )  # fmt: skip
        duties.append(Duty("failed_logins", failed))
    return duties
