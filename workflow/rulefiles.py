"""Reading rule files (scoring templates, warning-light rules): YAML whose numbers are `Decimal`
straight from their text, and checks that name the faulty key in Chinese."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TypeVar

import yaml

T = TypeVar("T")


class DecimalLoader(yaml.SafeLoader):
    """SafeLoader that reads YAML floats as Decimal from their source text."""


def _decimal_scalar(loader: yaml.SafeLoader, node: yaml.Node) -> Decimal:
    text = loader.construct_scalar(node).replace("_", "")
    try:
        return Decimal(text)
    except InvalidOperation as error:
        mark = node.start_mark
        raise yaml.constructor.ConstructorError(None, None, f"不是数值：{text}", mark) from error


DecimalLoader.add_constructor("tag:yaml.org,2002:float", _decimal_scalar)


class Fault(Exception):
    """A fault in a rule file's content; the loader adds the file name."""


def read_file(path: Path, kind: str, parse: Callable[[str, object], T]) -> T:
    """Read a rule file and `parse(stem, data)` it; ValueError naming the `kind` (评分模板,
    预警规则) and the file for malformed YAML or any Fault of its content."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=DecimalLoader)
    except yaml.YAMLError as error:
        raise ValueError(f"{kind} {path.name}：YAML 格式错误：{error}") from error
    try:
        return parse(path.stem, data)
    except Fault as fault:
        raise ValueError(f"{kind} {path.name}：{fault}") from None


def shipped_path(directory: Path, name: str, kind: str) -> Path:
    """The file of a shipped rule set by its stem; ValueError for a name that is not a plain
    stem (nothing outside `directory` is read) or a file that does not exist."""
    if not re.fullmatch(r"[a-z0-9_]+", name or ""):
        raise ValueError(f"{kind}名称“{name}”无效：只能包含小写字母、数字和下划线")
    path = directory / f"{name}.yaml"
    if not path.is_file():
        raise ValueError(f"{kind}“{name}”不存在（{path}）")
    return path


def shipped_names(directory: Path, default: str) -> list[str]:
    """The stems of the rule files shipped in `directory`, the default first."""
    names = sorted(p.stem for p in directory.glob("*.yaml"))
    names.sort(key=lambda n: n != default)
    return names


def mapping(data: object, where: str, keys=None, required=frozenset()) -> dict:
    if not isinstance(data, dict):
        raise Fault(f"{where} 应为键值表")
    if keys is not None and (unknown := sorted(set(map(str, data)) - set(keys))):
        raise Fault(f"{where} 含有未知的键：{'、'.join(unknown)}")
    if missing := sorted(set(required) - set(data)):
        raise Fault(f"{where} 缺少必需的键：{'、'.join(missing)}")
    return data


def listing(data: object, where: str) -> list:
    if not isinstance(data, list):
        raise Fault(f"{where} 应为列表")
    return data


def text(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise Fault(f"{where} 应为非空文字")
    return value.strip()


def number(value: object, where: str) -> Decimal:
    # bool is an int in Python, and YAML reads "yes" as True: neither is a number here.
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise Fault(f"{where} 应为数值，而不是“{value}”")
    found = Decimal(value)
    if not found.is_finite() or found < 0:
        raise Fault(f"{where} 不能为负数或非有限值（{value}）")
    return found
