"""Reading rule files (scoring templates, warning-light rules): YAML whose numbers are `Decimal`
straight from their text, and checks that name the faulty key in Chinese."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import yaml


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
