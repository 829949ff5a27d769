"""The security policy the 安全管理员 sets in the application (等保 8.1.4.1 身份鉴别 and
登录失败处理): how long a password lasts and how many earlier ones may not come back, how long a
session may stay idle and last in all, and how many failed logins lock a name from an address
for how long. The server's settings (web/config.py) hold until the policy is first saved."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from workflow.audit import chain
from workflow.errors import InvalidInput, NotAllowed, Problem
from workflow.org.models import Role, SecurityPolicySetting, User
from workflow.org.passwords import PasswordPolicy
from workflow.org.sessions import SessionPolicy
from workflow.uow import UnitOfWork

ROW_ID = 1


@dataclass(frozen=True)
class Field:
    label: str
    unit: str
    low: int
    high: int
    hint: str = ""


#: What may be set, and within what bounds: the lower and upper ends keep the policy within
#: what a level-3 assessment accepts (a password changed at least twice a year, sessions that
#: do end, a lock-out that does lock).
FIELDS = {
    "password_max_age_days": Field("密码有效期", "天", 30, 180, "到期后须修改密码方可继续使用"),
    "password_history": Field("不得重复使用的近期密码", "个", 1, 24, "修改密码时不能与之相同"),
    "session_idle_minutes": Field("无操作自动退出", "分钟", 5, 120),
    "session_max_hours": Field("单次登录最长时间", "小时", 1, 24, "到时须重新登录"),
    "lockout_failures": Field(
        "登录失败锁定次数", "次", 3, 10, "同一来源地址连续失败达到此数即锁定"
    ),
    "lockout_minutes": Field("锁定时长", "分钟", 5, 1440, "安全管理员也可随时解除锁定"),
}


@dataclass(frozen=True)
class SecurityPolicy:
    password_max_age_days: int = 90
    password_history: int = 5
    session_idle_minutes: int = 30
    session_max_hours: int = 12
    lockout_failures: int = 5
    lockout_minutes: int = 15
    updated_at: dt.datetime | None = None  # None: the server's settings, never saved here
    updated_by: str = ""

    @property
    def password(self) -> PasswordPolicy:
        return PasswordPolicy(
            max_age=dt.timedelta(days=self.password_max_age_days), history=self.password_history
        )

    @property
    def session(self) -> SessionPolicy:
        return SessionPolicy(
            idle=dt.timedelta(minutes=self.session_idle_minutes),
            absolute=dt.timedelta(hours=self.session_max_hours),
        )

    @property
    def lockout_window(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.lockout_minutes)

    def values(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in FIELDS}


def current(session: Session, defaults: SecurityPolicy) -> SecurityPolicy:
    """The policy in force: as saved by the 安全管理员, else `defaults` (the server's settings)."""
    row = session.get(SecurityPolicySetting, ROW_ID)
    if row is None:
        return defaults
    by = session.get(User, row.updated_by_id) if row.updated_by_id else None
    return SecurityPolicy(
        **{name: getattr(row, name) for name in FIELDS},
        updated_at=row.updated_at,
        updated_by=by.display_name if by else "",
    )


def problems(values: dict[str, object]) -> list[Problem]:
    """What is out of bounds in a policy being set, each as a Chinese sentence."""
    found = []
    for name, field in FIELDS.items():
        value = values.get(name)
        if not isinstance(value, int) or isinstance(value, bool):
            found.append(Problem(name, f"请填写「{field.label}」（整数）"))
        elif not field.low <= value <= field.high:
            found.append(
                Problem(name, f"「{field.label}」应为{field.low}–{field.high}{field.unit}")
            )
    return found


def save(
    uow: UnitOfWork,
    values: dict[str, object],
    *,
    actor: User,
    now: dt.datetime,
    before: SecurityPolicy,
) -> SecurityPolicy:
    """The 安全管理员 sets the policy; the audit trail keeps what it was and what it became. A
    shorter session time applies to sessions already open at their next request; a shorter
    password life, at each user's next request."""
    if not (actor.is_active and actor.has_role(Role.security_admin)):
        raise NotAllowed()
    found = problems(values)
    if found:
        raise InvalidInput(found)
    with uow:
        session = uow.session
        row = session.get(SecurityPolicySetting, ROW_ID)
        if row is None:
            row = SecurityPolicySetting(id=ROW_ID)
            session.add(row)
        for name in FIELDS:
            setattr(row, name, values[name])
        row.updated_at, row.updated_by_id = now, actor.id
        after = {n: values[n] for n in FIELDS}
        chain.append(
            session,
            now=now,
            actor=actor,
            action="set_security_policy",
            label="修改安全策略",
            details={"before": before.values(), "after": after},
        )
        uow.commit()
    return dataclasses.replace(
        before, **{n: values[n] for n in FIELDS}, updated_at=now, updated_by=actor.display_name
    )
