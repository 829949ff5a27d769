"""The errors domain operations raise; the web layer maps each to an HTTP status."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One reason an action is blocked or a form is incomplete: the field and a Chinese message."""

    field: str
    message: str


class DomainError(Exception):
    message = "操作失败"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.message)
        if message:
            self.message = message


class NotAllowed(DomainError):
    message = "您没有权限执行此操作"


class NotFound(DomainError):
    message = "未找到该记录，或您无权查看"


class InvalidTransition(DomainError):
    message = "项目当前状态不允许此操作"


class GuardFailed(DomainError):
    message = "条件不满足，暂不能执行此操作"

    def __init__(self, problems: list[Problem], message: str | None = None) -> None:
        super().__init__(message)
        self.problems = list(problems)


class Conflict(DomainError):
    message = "该项目已被他人修改，请刷新页面后重试"


class EditConflict(Conflict):
    """Someone saved the form since this page was opened, with other content: `differences`
    are [field label, what is saved now, what this user typed]; `version` is the version now
    saved, so that a save made after reading them is taken as meant."""

    message = "申报表已被修改，您填写的内容尚未保存"

    def __init__(self, differences: list[list[str]], version: int) -> None:
        super().__init__()
        self.differences, self.version = differences, version


class InvalidInput(DomainError):
    """Input that cannot be saved as given; problems name each field."""

    message = "填写的内容有误，请按提示修改"

    def __init__(self, problems: list[Problem], message: str | None = None) -> None:
        super().__init__(message)
        self.problems = list(problems)
