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
    """Press a lifecycle button on the project page, with a comment when one is given; a step
    that sends the project back asks for confirmation, which the person gives."""
    form = page.locator("form.action-form")
    if comment:
        form.get_by_label(re.compile("^办理意见")).fill(comment)
    page.once("dialog", lambda dialog: dialog.accept())
    form.get_by_role("button", name=label, exact=True).click()
    expect(page.locator(".flash.success")).to_contain_text(f"已{label}")


def tab(page: Page, label: str) -> Page:
    """Switch to a section of the project page (概览, 申报表, 里程碑, 自评表, 办理记录)."""
    page.locator("nav.tabs").get_by_role("link", name=label, exact=True).click()
    expect(page.locator("nav.tabs a.current")).to_have_text(label)
    return page


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


def to_workbench(person, shot: str | None = None) -> Page:
    """Go home by the navigation: the person's 工作台."""
    page = person.page
    page.locator("header.top nav").get_by_role("link", name=re.compile("^工作台")).click()
    expect(page.get_by_role("heading", name="工作台", exact=True)).to_be_visible()
    if shot:
        person.shot(shot)
    return page


def from_workbench(person, name: str, shot: str | None = None) -> Page:
    """Open, from the 工作台's 待我办理, the project waiting for this person."""
    page = to_workbench(person)
    item = page.locator("article.todo").filter(has=page.get_by_role("link", name=name, exact=True))
    expect(item).to_have_count(1)
    if shot:
        person.shot(shot)
    item.get_by_role("link", name=name, exact=True).click()
    return page


def follow_mail(person, mailbox, address: str, subject: str, *, username: str = "") -> Page:
    """Open the link of the newest email to `address` whose subject has `subject`; log in on
    the way when the person is not logged in yet (then the link's page opens)."""
    mails = [m for m in mailbox.messages() if m["To"] == address and subject in m["Subject"]]
    assert mails, f"no email to {address} about {subject}"
    link = re.search(r"http://127\.0\.0\.1:\d+/projects/\d+", mails[-1].get_content())
    assert link, mails[-1].get_content()
    page = person.page
    page.goto(link.group(0))
    if username:
        person.login(username, here=True)
    page.wait_for_url(link.group(0))
    return page


def download_pdf(page: Page, link, render) -> bytes:
    """Follow a PDF link as a person does: the page says 「正在生成 PDF…」 and asks again by
    itself; `render` (the scheduler's renderer) makes the PDF; the page then downloads it and
    says so. The PDF's bytes."""
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("正在生成 PDF…")
    with page.expect_download() as download:
        render()
    expect(page.get_by_role("heading", level=1)).to_have_text("PDF 已生成")
    assert download.value.suggested_filename.endswith(".pdf")
    with open(download.value.path(), "rb") as f:
        return f.read()
