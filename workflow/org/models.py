"""Units (预算单位), users and their roles, their sessions, and the record of logins."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.db import Base, UTCDateTime


class Role(enum.StrEnum):
    # Member names equal their values (transitions looks states up by name; we keep one habit).
    filler = "filler"
    unit_head = "unit_head"
    reviewer = "reviewer"
    # 三员分立: the administrator of accounts, units and settings ("admin", kept from when it was
    # the only one), the security administrator and the security auditor.
    admin = "admin"
    security_admin = "security_admin"
    auditor = "auditor"


ROLE_LABELS = {
    Role.filler: "填报人",
    Role.unit_head: "单位负责人",
    Role.reviewer: "财政审核人",
    Role.admin: "系统管理员",
    Role.security_admin: "安全管理员",
    Role.auditor: "安全审计员",
}

#: Roles that act for one unit and so need the user to belong to one.
UNIT_ROLES = frozenset({Role.filler, Role.unit_head})
#: 三员: each is held alone (not with another of the three, nor with a business role), and
#: none acts on, or sees, a project.
OFFICER_ROLES = frozenset({Role.admin, Role.security_admin, Role.auditor})

EMAIL_MODES = {
    "digest": "每日汇总一封（默认）",
    "each": "每条消息一封",
    "off": "不接收邮件",
}


class Unit(Base):
    """预算单位: a budget unit that declares projects, e.g. 苏州市公安局 (code 000379)."""

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    email: Mapped[str | None] = mapped_column(String(254))

    # Who reviews its projects (none: every 财政审核人). The access rules read every unit's at
    # once (workflow/org/access.py `assignments`); this is for changing one unit's.
    reviewer_rows: Mapped[list[ReviewerUnit]] = relationship(
        lazy="select", cascade="all, delete-orphan"
    )

    @property
    def reviewer_ids(self) -> frozenset[int]:
        return frozenset(r.user_id for r in self.reviewer_rows)


class User(Base):
    """A person who logs in; one or more roles; a unit for the unit roles."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(255))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # 邮件提醒: "digest" (one email a day, the default), "each" (one per message) or "off".
    # Messages that ask the user to act (待办) are mailed at once unless it is "off".
    email_mode: Mapped[str] = mapped_column(String(16), default="digest")
    # Bumped on a password, role, unit or activation change: older sessions stop working.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    # The password policy: when the password was last set (None: before this was recorded, no
    # expiry counted), and whether it is a one-time password the user must replace first.
    password_changed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)

    unit: Mapped[Unit | None] = relationship(lazy="joined")
    role_rows: Mapped[list[UserRole]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", back_populates="user"
    )

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(Role(r.role) for r in self.role_rows)

    def has_role(self, role: Role | str) -> bool:
        return Role(role) in self.roles


class ReviewerUnit(Base):
    """财政审核人 assigned to a 预算单位 (业务处室 to the units they look after), many to many. A
    reviewer handles the projects of the units assigned to them, and those of every unit assigned
    to nobody, so a new unit is never orphaned. Rows exist only for active reviewers: taking the
    role away or deactivating the account drops them (workflow/org/operations.py)."""

    __tablename__ = "reviewer_units"
    __table_args__ = (Index("ix_reviewer_units_unit_id", "unit_id"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)


class Delegation(Base):
    """委托: while `delegator` is away (from `starts_on` to `ends_on`, both included), `delegate`
    sees their 待我办理 and acts in their name, recorded as 「张三（代 李四）」. Set by the
    delegator, their 单位负责人 or the 系统管理员; it ends on its date, when ended early
    (`ended_at`), or when either person is deactivated. See workflow/org/delegation.py."""

    __tablename__ = "delegations"
    __table_args__ = (
        Index("ix_delegations_delegate_id_ends_on", "delegate_id", "ends_on"),
        Index("ix_delegations_delegator_id_ends_on", "delegator_id", "ends_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    delegator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    delegate_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    end_note: Mapped[str | None] = mapped_column(String(100))

    delegator: Mapped[User] = relationship(foreign_keys=[delegator_id], lazy="joined")
    delegate: Mapped[User] = relationship(foreign_keys=[delegate_id], lazy="joined")
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id], lazy="select")

    def runs_on(self, day: dt.date) -> bool:
        """In force that day: within its dates, not ended, both people active."""
        return (self.ended_at is None and self.starts_on <= day <= self.ends_on
                and self.delegator.is_active and self.delegate.is_active)  # fmt: skip


class UserRole(Base):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(32), primary_key=True)

    user: Mapped[User] = relationship(back_populates="role_rows")


class LoginFailure(Base):
    """One failed login: kept to slow down guessing across every web worker."""

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_username_at", "username", "at"),
        Index("ix_login_failures_username_remote_addr_at", "username", "remote_addr", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    remote_addr: Mapped[str | None] = mapped_column(String(64))


class PasswordHistory(Base):
    """The hashes of a user's earlier passwords, so that the last few are not used again."""

    __tablename__ = "password_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class LoginSession(Base):
    """A signed-in browser. Its cookie carries a random token of which only the SHA-256 is
    kept here, so logging out, an idle or absolute timeout, or a change to the account ends
    the session on the server, for every web node, and a copied cookie is refused after it."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    user_version: Mapped[int] = mapped_column(Integer)  # the user's session_version at login
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    remote_addr: Mapped[str] = mapped_column(String(64))

    user: Mapped[User] = relationship()


class LoginRecord(Base):
    """登录日志: each login attempt with its result, each logout and each session that timed
    out; kept at least 180 days for the 安全审计员 (GB/T 22239 安全审计)."""

    __tablename__ = "login_records"
    __table_args__ = (
        Index("ix_login_records_username_at", "username", "at"),
        # The 安全审计员's filters: by result (失败的登录) and by source address.
        Index("ix_login_records_result_at", "result", "at"),
        Index("ix_login_records_remote_addr_at", "remote_addr", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    username: Mapped[str] = mapped_column(String(64))  # as typed (cut at 64 characters)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    remote_addr: Mapped[str] = mapped_column(String(64))
    result: Mapped[str] = mapped_column(String(16))  # a key of LOGIN_RESULTS


LOGIN_RESULTS = {
    "ok": "登录成功",
    "wrong_password": "密码错误",
    "unknown_name": "用户名不存在",
    "disabled": "账号已停用",
    "locked": "账号已锁定",
    "throttled": "尝试过于频繁",
    "logout": "退出登录",
    "expired": "会话超时",
}


class SecurityPolicySetting(Base):
    """The password, session and lock-out policy as the 安全管理员 set it (one row; none: the
    settings the server was started with). See workflow/org/policy.py."""

    __tablename__ = "security_policy"

    id: Mapped[int] = mapped_column(primary_key=True)
    password_max_age_days: Mapped[int] = mapped_column(Integer)
    password_history: Mapped[int] = mapped_column(Integer)
    session_idle_minutes: Mapped[int] = mapped_column(Integer)
    session_max_hours: Mapped[int] = mapped_column(Integer)
    lockout_failures: Mapped[int] = mapped_column(Integer)
    lockout_minutes: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
