"""What a person does on Jixiao's pages, in the words of the page: shared by the browser tests."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

_api = pytest.importorskip(
    "playwright.sync_api", reason="Browser tests: the playwright package is not installed"
)
expect = _api.expect

if TYPE_CHECKING:
    from playwright.sync_api import Page


def act(page: Page, label: str, comment: str = "") -> None:
    """Press a lifecycle button on the project page, with a comment when one is given."""
    form = page.locator("form.action").filter(
        has=page.get_by_role("button", name=label, exact=True)
    )
    if comment:
        form.get_by_label(re.compile("^意见")).fill(comment)
    form.get_by_role("button", name=label, exact=True).click()
    expect(page.locator(".flash.success")).to_contain_text(f"已{label}")


def state_is(page: Page, label: str) -> None:
    expect(page.locator(".heading .badge")).to_have_text(label)


def open_project(person, name: str) -> Page:
    page = person.open("/projects")
    page.get_by_role("link", name=name).click()
    return page


def fill_rows(page: Page, table: str, rows: list[dict[str, str]]) -> None:
    """Type rows into a table of the 申报表, adding lines with its 添加 button as needed."""
    container = page.locator(f'[data-rows="{table}"]')
    add = page.locator(f'[data-add-row="{table}"]')
    for values in rows:
        blank = None
        for row in container.locator("[data-row]").all():
            first = next(iter(values))
            if not row.locator(f'[name$="-{first}"]').input_value():
                blank = row
                break
        if blank is None:
            add.click()
            blank = container.locator("[data-row]").last
        for column, value in values.items():
            field = blank.locator(f'[name$="-{column}"]')
            if field.evaluate("e => e.tagName") == "SELECT":
                field.select_option(value)
            else:
                field.fill(value)
