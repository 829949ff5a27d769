"""Forms every area uses: the version a page was rendered with, a lifecycle action, and the
reading of posted ids. They render fields and carry the CSRF token; the rules live in
`workflow`. Each area keeps its own forms beside its routes."""

from __future__ import annotations

from flask import abort
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import HiddenField, StringField, TextAreaField

from workflow.declaration.models import TextField


def text_form(name: str, fields: tuple[TextField, ...]) -> type[FlaskForm]:
    """A form class with a text field per TextField (multi-line ones as text areas)."""
    attrs = {"version": HiddenField()}
    for f in fields:
        attrs[f.name] = (TextAreaField if f.multiline else StringField)(f.label)
    return type(name, (FlaskForm,), attrs)


class ActionForm(FlaskForm):
    """One lifecycle action: the comment and the version the user saw."""

    comment = TextAreaField("意见")
    version = HiddenField()


class VersionForm(FlaskForm):
    version = HiddenField()


def parse_id(raw: str | None) -> int | None:
    """A posted id or version number; None when missing or garbled."""
    # isascii: 「²」 is a digit to str.isdigit but not to int().
    return int(raw) if raw and raw.isascii() and raw.isdigit() and len(raw) < 10 else None


def page_number(args, max_page: int) -> int:
    """?page=: 1 when missing, garbled or below 1. A number past `max_page` is no page of
    ours (nor one the database could bind): 404, as for any address that does not exist."""
    page = args.get("page", 1, type=int) or 1
    if page > max_page:
        abort(404)
    return max(page, 1)


def parse_version(raw: str | None) -> int | None:
    """The version the form was rendered with; None when missing or garbled (-> current)."""
    return parse_id(raw)


class FieldProblems(dict[str, list[str]]):
    """Each field's messages, and the markup a form puts beside the field. A long form asks
    for every field, and a Jinja macro per ask was most of the 申报表's render time."""

    INVALID = Markup(' class="invalid" aria-invalid="true"')

    def invalid(self, path: str) -> Markup:
        """The attributes that mark the field as wrong, or nothing."""
        return self.INVALID if self.get(path) else Markup()

    def messages(self, path: str) -> Markup:
        """The field's messages as paragraphs, or nothing."""
        found = self.get(path)
        if not found:
            return Markup()
        return Markup("").join(Markup('<p class="problem">%s</p>') % escape(m) for m in found)


def problems_by_field(problems) -> FieldProblems:
    """Problems grouped by field, so each message shows next to its field."""
    grouped = FieldProblems()
    for p in problems:
        grouped.setdefault(p.field, []).append(p.message)
    return grouped
