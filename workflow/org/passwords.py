"""The password policy (等保 8.1.4.1 身份鉴别: 口令复杂度, 定期更换): what a new password must be,
when a password must be changed, and the one-time passwords an administrator hands out."""

from __future__ import annotations

import datetime as dt
import secrets
import string
from dataclasses import dataclass

from workflow.errors import Problem

MIN_LENGTH = 8
MAX_LENGTH = 128  # argon2 takes any length; a page's field does not need more
SYMBOLS = set(string.punctuation) | {" "}
_CLASSES = (
    ("大写字母", str.isupper),
    ("小写字母", str.islower),
    ("数字", lambda c: c.isascii() and c.isdigit()),
    ("符号", lambda c: c in SYMBOLS or not (c.isascii() and c.isalnum())),
)


@dataclass(frozen=True)
class PasswordPolicy:
    """How long a password lasts and how many earlier ones may not come back."""

    max_age: dt.timedelta = dt.timedelta(days=90)
    history: int = 5


def problems(password: str, username: str, field: str = "password") -> list[Problem]:
    """What is wrong with a new password, each as a Chinese sentence (none: it will do)."""
    found = []
    if len(password) < MIN_LENGTH:
        found.append(Problem(field, f"密码至少{MIN_LENGTH}位"))
    elif len(password) > MAX_LENGTH:
        found.append(Problem(field, f"密码不能超过{MAX_LENGTH}位"))
    kinds = sum(any(test(c) for c in password) for _, test in _CLASSES)
    if kinds < 3:
        found.append(Problem(field, "密码须包含大写字母、小写字母、数字、符号中的至少三类"))
    if username and username.casefold() in password.casefold():
        found.append(Problem(field, "密码不能包含用户名"))
    return found


def must_change(
    changed_at: dt.datetime | None, forced: bool, policy: PasswordPolicy, *, now: dt.datetime
) -> str | None:
    """Why the user must change their password before anything else, or None."""
    if forced:
        return "首次登录或密码已被安全管理员重置，请先设置您自己的新密码"
    if changed_at is not None and now - changed_at > policy.max_age:
        days = policy.max_age.days
        return f"您的密码已使用超过{days}天，请修改密码后继续"
    return None


def one_time() -> str:
    """A password for an administrator to hand over: 12 characters of every class, without
    look-alikes (0/O, 1/l/I), valid until the user replaces it at their first login."""
    pools = ["ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnpqrstuvwxyz", "23456789", "#%+=@"]
    chars = [secrets.choice(pool) for pool in pools]
    everything = "".join(pools)
    chars += [secrets.choice(everything) for _ in range(12 - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)
