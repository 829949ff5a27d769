"""Units and users: create, change, authenticate (with a lock-out counted in the database)."""

from __future__ import annotations

import datetime as dt
import functools
import re
import secrets
from collections.abc import Iterable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from workflow.audit import chain
from workflow.errors import InvalidInput, NotAllowed, Problem
from workflow.org import delegation, passwords, sessions
from workflow.org.models import (
    OFFICER_ROLES,
    UNIT_ROLES,
    LoginFailure,
    PasswordHistory,
    ReviewerUnit,
    Role,
    Unit,
    User,
    UserRole,
)
from workflow.text import clean
from workflow.uow import UnitOfWork

_hasher = PasswordHasher()
LOCKOUT_FAILURES = 5
LOCKOUT_WINDOW = dt.timedelta(minutes=15)
_USERNAME = re.compile(r"[A-Za-z0-9_.@-]{2,64}")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(user: User | None, password: str) -> bool:
    """Whether the password is the user's. Without a user (an unknown or disabled name) a
    stand-in hash is checked all the same, so the answer takes as long either way and its time
    does not tell whether the name exists."""
    if user is None or not user.is_active:
        _matches_hash(_stand_in(_hasher), password)
        return False
    return _matches_hash(user.password_hash, password)


@functools.cache
def _stand_in(hasher: PasswordHasher) -> str:
    return hasher.hash(secrets.token_urlsafe(16))


class LoginResult:
    def __init__(self, user: User | None = None, locked: bool = False) -> None:
        self.user, self.locked = user, locked


def authenticate(
    uow: UnitOfWork, username: str, password: str, *, now: dt.datetime, remote_addr: str = "",
    failures: int = LOCKOUT_FAILURES, window: dt.timedelta = LOCKOUT_WINDOW,
) -> LoginResult:  # fmt: skip
    """Check a login. After `failures` failures within `window` (the security policy's) the
    name is locked
    for that address (even for the right password) until the window passes or an
    administrator unlocks it: a stranger guessing from elsewhere cannot lock its owner out.
    (Guessing across names and addresses is slowed by the web layer's rate limits.) Every
    failure is counted, and every attempt is in the login log; a success is logged when its
    session starts."""
    username = clean(username)[:64]
    remote_addr = (remote_addr or "")[:64]
    with uow:
        session = uow.session
        if _recent_failures(session, username, remote_addr, now, window) >= failures:
            _record_failure(session, username, now, remote_addr)
            sessions.record(session, username, "locked", now=now, remote_addr=remote_addr)
            uow.commit()
            return LoginResult(locked=True)
        user = session.scalar(select(User).where(User.username == username))
        if password_matches(user, password or ""):
            session.execute(
                delete(LoginFailure).where(
                    LoginFailure.username == username, LoginFailure.remote_addr == remote_addr
                )
            )
            uow.commit()
            return LoginResult(user)
        _record_failure(session, username, now, remote_addr)
        result = (
            "unknown_name" if user is None
            else "disabled" if not user.is_active
            else "wrong_password"
        )  # fmt: skip
        sessions.record(session, username, result, now=now, remote_addr=remote_addr, user=user)
        uow.commit()
        return LoginResult()


def locked_addresses(
    session: Session, username: str, *, now: dt.datetime, failures: int = LOCKOUT_FAILURES,
    window: dt.timedelta = LOCKOUT_WINDOW,
) -> list[str]:  # fmt: skip
    """The addresses from which the name is locked now."""
    return list(
        session.scalars(
            select(LoginFailure.remote_addr)
            .where(LoginFailure.username == username, LoginFailure.at > now - window)
            .group_by(LoginFailure.remote_addr)
            .having(func.count() >= failures)
        )
    )


def unlock(uow: UnitOfWork, actor: User, user: User, *, now: dt.datetime) -> None:
    """An administrator lifts every lock on the user's name (the failures are forgotten); the
    audit trail says who did. The 安全管理员's duty."""
    _require(actor, Role.security_admin)
    with uow:
        uow.session.execute(delete(LoginFailure).where(LoginFailure.username == user.username))
        details = {"user_id": user.id, "username": user.username}
        chain.append(uow.session, now=now, actor=actor, action="unlock_user",
                     label="解除登录锁定", details=details)  # fmt: skip
        uow.commit()


def _recent_failures(
    session: Session, username: str, remote_addr: str, now: dt.datetime, window: dt.timedelta
) -> int:
    return session.scalar(
        select(func.count())
        .select_from(LoginFailure)
        .where(
            LoginFailure.username == username,
            LoginFailure.remote_addr == remote_addr,
            LoginFailure.at > now - window,
        )
    )


def _record_failure(session: Session, username: str, now: dt.datetime, addr: str) -> None:
    session.add(LoginFailure(username=username, at=now, remote_addr=(addr or "")[:64]))


def create_unit(
    uow: UnitOfWork, *, code: str, name: str, email: str = "", actor: User | None, now: dt.datetime
) -> Unit:
    """Add a 预算单位; code and name must be unique."""
    with uow:
        _require(actor, Role.admin)
        unit = Unit()
        _apply_unit(uow.session, unit, code, name, email)
        uow.session.add(unit)
        uow.session.flush()
        _audit_unit(uow.session, actor, now, "create_unit", "新建单位", unit)
        uow.commit()
        return unit


def update_unit(
    uow: UnitOfWork, unit: Unit, *, code: str, name: str, email: str = "", actor: User,
    now: dt.datetime,
) -> Unit:  # fmt: skip
    """Rename a unit or change its code or email; its projects and users stay with it."""
    with uow:
        _require(actor, Role.admin)
        _apply_unit(uow.session, unit, code, name, email)
        _audit_unit(uow.session, actor, now, "update_unit", "修改单位", unit)
        uow.commit()
        return unit


def assign_reviewers(
    uow: UnitOfWork, unit: Unit, reviewer_ids: Iterable[int], *, actor: User, now: dt.datetime
) -> list[User]:
    """The 系统管理员 names the 财政审核人 who review a unit's projects (none: every reviewer
    does). Each must be an active reviewer; the change is audited with the names before and
    after, and moves the unit's waiting work into the new reviewers' 工作台 at once (the
    工作台 and the lists ask `access.visible_projects`, which reads these rows)."""
    with uow:
        _require(actor, Role.admin)
        session = uow.session
        wanted = sorted(set(reviewer_ids))
        people = session.scalars(select(User).where(User.id.in_(wanted))).all() if wanted else []
        found = {u.id: u for u in people if u.is_active and u.has_role(Role.reviewer)}
        if len(found) != len(wanted):
            raise InvalidInput([Problem("reviewers", "只能选择在用的财政审核人")])
        before = sorted(unit.reviewer_ids)
        if before != wanted:
            unit.reviewer_rows = [ReviewerUnit(user_id=i) for i in wanted]
            session.info.pop("review_assignments", None)  # read again by the access rules
            _retire_todos(session, unit, before, wanted, now)
            names = (
                dict(
                    session.execute(
                        select(User.id, User.display_name).where(User.id.in_(before + wanted))
                    )
                    .tuples()
                    .all()
                )
                if before + wanted
                else {}
            )
            chain.append(
                session, now=now, actor=actor, action="assign_reviewers", label="分配财政审核人",
                details={"unit_id": unit.id, "name": unit.name,
                         "before": [names.get(i, str(i)) for i in before],
                         "after": [names[i] for i in wanted]},
            )  # fmt: skip
        uow.commit()
        return sorted(found.values(), key=lambda u: (u.display_name, u.id))  # as listed


def _retire_todos(session: Session, unit: Unit, before: list[int], after: list[int], now) -> None:
    """Reviewers who no longer review the unit: their 待办 messages on its projects are done
    (they could not open them any more); the new reviewers find the work in their 工作台."""
    from workflow.notify.models import Notification  # notify builds on org, not the reverse
    from workflow.projects.models import Project

    if not after:
        return  # assigned to nobody: every reviewer handles it, nobody lost it
    reviewers = select(UserRole.user_id).where(UserRole.role == Role.reviewer.value)
    lost = Notification.user_id.in_(before) if before else Notification.user_id.in_(reviewers)
    session.execute(
        update(Notification)
        .where(lost, Notification.user_id.not_in(after), Notification.kind == "todo",
               Notification.read_at.is_(None),
               Notification.project_id.in_(select(Project.id).where(Project.unit_id == unit.id)))
        .values(read_at=now)
        .execution_options(synchronize_session=False)
    )  # fmt: skip


def _drop_assignments(session: Session, user: User) -> None:
    """An account no longer an active reviewer reviews no unit: its units fall back to their
    other reviewers, or to every reviewer when it was the only one."""
    if user.is_active and user.has_role(Role.reviewer):
        return
    session.execute(delete(ReviewerUnit).where(ReviewerUnit.user_id == user.id))
    session.info.pop("review_assignments", None)
    for unit in [o for o in session.identity_map.values() if isinstance(o, Unit)]:
        session.expire(unit, ["reviewer_rows"])  # units loaded here drop the rows too


def _apply_unit(session: Session, unit: Unit, code: str, name: str, email: str) -> None:
    code, name, email = clean(code), clean(name), clean(email)
    problems = []
    if not code or len(code) > 32:
        problems.append(Problem("code", "「单位编码」应为1–32个字符"))
    if not name or len(name) > 200:
        problems.append(Problem("name", "「单位名称」应为1–200个字符"))
    if len(email) > 254 or (email and "@" not in email):
        problems.append(Problem("email", "「单位邮箱」格式不正确"))
    others = select(Unit.id).where(Unit.id != unit.id) if unit.id else select(Unit.id)
    if code and session.scalar(others.where(Unit.code == code)):
        problems.append(Problem("code", "该单位编码已存在"))
    if name and session.scalar(others.where(Unit.name == name)):
        problems.append(Problem("name", "该单位名称已存在"))
    if problems:
        raise InvalidInput(problems)
    unit.code, unit.name, unit.email = code, name, email or None


def _audit_unit(session, actor, now, action, label, unit) -> None:
    chain.append(
        session, now=now, actor=actor, action=action, label=label,
        details={"unit_id": unit.id, "code": unit.code, "name": unit.name},
    )  # fmt: skip


def create_user(
    uow: UnitOfWork,
    *,
    username: str,
    display_name: str,
    password: str | None,
    roles: Iterable[str] = (),
    unit_id: int | None,
    email: str = "",
    actor: User | None,
    now: dt.datetime,
) -> User:
    """Open an account. On the admin pages the 系统管理员 opens it without roles and the
    安全管理员 grants them (`set_roles`: 三员分立, the one who makes accounts does not decide
    what they may do); the command line (actor None, the operator's first accounts) gives roles
    at once. Without a password the user gets a one-time password, in `user.one_time_password`
    for this once, to be replaced at their first login; a password given (on the command line)
    must meet the policy."""
    with uow:
        _require(actor, Role.admin)
        if actor is not None and roles:
            raise NotAllowed()
        session = uow.session
        username = clean(username)
        one_time = passwords.one_time() if password is None else None
        roles = _check_user(session, username, display_name, roles, unit_id, email, new=True,
                            password=password)  # fmt: skip
        user = User(
            username=username,
            display_name=clean(display_name),
            email=clean(email) or None,
            password_hash=hash_password(one_time or password),
            password_changed_at=now,
            must_change_password=one_time is not None,
            unit_id=unit_id,
            is_active=True,
            session_version=1,
            created_at=now,
            role_rows=[UserRole(role=r.value) for r in sorted(roles)],
        )
        user.one_time_password = one_time
        session.add(user)
        session.flush()
        _audit_user(session, actor, now, "create_user", "新建用户", user)
        uow.commit()
        return user


def update_user(
    uow: UnitOfWork,
    user: User,
    *,
    display_name: str,
    unit_id: int | None,
    is_active: bool,
    email: str = "",
    actor: User,
    now: dt.datetime,
) -> User:
    """The 系统管理员 changes an account: name, unit, email, whether it may log in. A change of
    unit or activation ends the user's sessions. Roles are the 安全管理员's (`set_roles`);
    passwords are the user's own (an administrator can only have one reset)."""
    with uow:
        _require(actor, Role.admin)
        session = uow.session
        roles = _check_user(session, user.username, display_name, user.roles, unit_id, email)
        if user.id == actor.id and not is_active:
            raise InvalidInput([Problem("is_active", "不能停用本人的账号")])
        revoke = unit_id != user.unit_id or is_active != user.is_active
        leaving = user.is_active and (not is_active or unit_id != user.unit_id)
        user.display_name = clean(display_name)
        user.email = clean(email) or None
        user.unit_id, user.is_active = unit_id, is_active
        if revoke:
            user.session_version += 1
        if leaving:  # deactivated or moved: their delegations, either way, end (委托)
            note = "账号停用" if not is_active else "调离单位"
            delegation.end_for_deactivated(session, user, by=actor, now=now, note=note)
        _audit_user(session, actor, now, "update_user", "修改用户", user, roles)
        _drop_assignments(session, user)
        uow.commit()
        return user


def set_roles(
    uow: UnitOfWork, user: User, roles: Iterable[str], *, actor: User, now: dt.datetime
) -> User:
    """The 安全管理员 decides what an account may do. Nobody changes their own roles (so none
    of the 三员 can give itself another), and each of the three is held alone. The user's
    sessions end, so the new roles apply from their next login."""
    with uow:
        _require(actor, Role.security_admin)
        if user.id == actor.id:
            raise InvalidInput([Problem("roles", "不能修改本人的角色，请由另一位安全管理员办理")])
        session = uow.session
        roles = _check_user(session, user.username, user.display_name, roles, user.unit_id,
                            user.email or "")  # fmt: skip
        if roles != user.roles:
            user.role_rows = [UserRole(role=r.value) for r in sorted(roles)]
            user.session_version += 1
            _audit_user(session, actor, now, "set_roles", "分配角色", user, roles)
            session.flush()
            _drop_assignments(session, user)
        uow.commit()
        return user


def reset_password(uow: UnitOfWork, actor: User, user: User, *, now: dt.datetime) -> str:
    """重置密码: a one-time password, returned for the administrator to hand over (it is not
    kept anywhere else). The user's sessions end, and at their next login they must set a
    password of their own, which the administrator never learns. The 安全管理员's duty, and
    never for their own account (they change their own password like everyone)."""
    _require(actor, Role.security_admin)
    if user.id == actor.id:
        raise NotAllowed()
    one_time = passwords.one_time()
    with uow:
        _remember(uow.session, user, now)
        user.password_hash = hash_password(one_time)
        user.must_change_password = True
        user.password_changed_at = now
        user.session_version += 1
        uow.session.execute(delete(LoginFailure).where(LoginFailure.username == user.username))
        details = {"user_id": user.id, "username": user.username}
        chain.append(uow.session, now=now, actor=actor, action="reset_password",
                     label="重置密码", details=details)  # fmt: skip
        uow.commit()
    return one_time


def change_password(
    uow: UnitOfWork, user: User, current: str, new: str, confirm: str,
    policy: passwords.PasswordPolicy, *, now: dt.datetime,
) -> None:  # fmt: skip
    """The user sets their own password: the current one is asked for, the new one must meet
    the policy and not be one of the last `policy.history`. Other sessions of the user end
    (the caller starts a new one for the browser that made the change)."""
    with uow:
        session = uow.session
        if not password_matches(user, current or ""):
            raise InvalidInput([Problem("current", "当前密码不正确")])
        problems = passwords.problems(new or "", user.username, field="new")
        if new != confirm:
            problems.append(Problem("confirm", "两次输入的新密码不一致"))
        if not problems and _used_before(session, user, new, policy.history):
            problems.append(Problem("new", f"新密码不能与最近{policy.history}次使用过的密码相同"))
        if problems:
            raise InvalidInput(problems)
        _remember(session, user, now, keep=policy.history)
        user.password_hash = hash_password(new)
        user.password_changed_at = now
        user.must_change_password = False
        user.session_version += 1
        chain.append(session, now=now, actor=user, action="change_password",
                     label="修改密码", details={"user_id": user.id})  # fmt: skip
        uow.commit()


def _used_before(session: Session, user: User, password: str, history: int) -> bool:
    """Whether the password is the current one or one of the `history` - 1 before it."""
    if history <= 0:
        return False
    earlier = session.scalars(
        select(PasswordHistory.password_hash)
        .where(PasswordHistory.user_id == user.id)
        .order_by(PasswordHistory.id.desc())
        .limit(history - 1)
    ).all()
    return any(_matches_hash(h, password) for h in [user.password_hash, *earlier])


def _matches_hash(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _remember(session: Session, user: User, now: dt.datetime, keep: int = 10) -> None:
    """Keep the password being replaced among the user's earlier ones (the newest `keep`)."""
    session.add(PasswordHistory(user_id=user.id, password_hash=user.password_hash,
                                created_at=now))  # fmt: skip
    session.flush()
    stale = (
        select(PasswordHistory.id)
        .where(PasswordHistory.user_id == user.id)
        .order_by(PasswordHistory.id.desc())
        .offset(max(keep, 10))
    )
    session.execute(delete(PasswordHistory).where(PasswordHistory.id.in_(stale.scalar_subquery())))


def _check_user(session, username, display_name, roles, unit_id, email, new=False, password=None):
    problems = []
    email = clean(email)
    if len(email) > 254 or (email and "@" not in email):
        problems.append(Problem("email", "「邮箱」格式不正确"))
    if new and not _USERNAME.fullmatch(username or ""):
        problems.append(Problem("username", "「用户名」应为2–64位字母、数字或 _.@-"))
    elif new and session.scalar(select(User.id).where(User.username == username)):
        problems.append(Problem("username", "该用户名已存在"))
    if not clean(display_name) or len(clean(display_name)) > 100:
        problems.append(Problem("display_name", "「姓名」应为1–100个字符"))
    try:
        roles = frozenset(Role(r) for r in roles)
    except ValueError:
        roles = frozenset()
        problems.append(Problem("roles", "角色无效"))
    if roles & OFFICER_ROLES and len(roles) > 1:
        problems.append(Problem("roles", "系统管理员、安全管理员、安全审计员须由不同的人担任，"
                                         "且不能兼任其他角色"))  # fmt: skip
    if roles & UNIT_ROLES and unit_id is None:
        problems.append(Problem("unit_id", "填报人和单位负责人必须属于一个单位"))
    if unit_id is not None and session.get(Unit, unit_id) is None:
        problems.append(Problem("unit_id", "所选单位不存在"))
    if password is not None:
        problems += passwords.problems(password, username)
    if problems:
        raise InvalidInput(problems)
    return roles


def _require(actor: User | None, role: Role) -> None:
    # actor None: the command line, run by whoever operates the server.
    if actor is not None and not (actor.is_active and actor.has_role(role)):
        raise NotAllowed()


def _audit_user(session, actor, now, action, label, user, roles=None) -> None:
    roles = user.roles if roles is None else roles
    chain.append(
        session, now=now, actor=actor, action=action, label=label,
        details={
            "user_id": user.id, "username": user.username, "unit_id": user.unit_id,
            "roles": sorted(r.value for r in roles), "active": user.is_active,
        },
    )  # fmt: skip
