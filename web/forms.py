"""WTForms classes. They render fields and carry the CSRF token; the rules live in `workflow`."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice

from workflow.declaration.models import TextField
from workflow.evaluation.models import EVALUATION_FIELDS
from workflow.org.models import ROLE_LABELS


def _form_class(name: str, fields: tuple[TextField, ...]) -> type[FlaskForm]:
    attrs = {"version": HiddenField()}
    for f in fields:
        attrs[f.name] = (TextAreaField if f.multiline else StringField)(f.label)
    return type(name, (FlaskForm,), attrs)


EvaluationForm = _form_class("EvaluationForm", EVALUATION_FIELDS)


class NewProjectForm(FlaskForm):
    name = StringField("项目名称")
    year = StringField("项目年度")


class ActionForm(FlaskForm):
    """One lifecycle action: the comment and the version the user saw."""

    comment = TextAreaField("意见")
    version = HiddenField()


class VersionForm(FlaskForm):
    version = HiddenField()


class UnitForm(FlaskForm):
    code = StringField("单位编码")
    name = StringField("单位名称")
    email = StringField("单位邮箱")


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class UserForm(FlaskForm):
    username = StringField("用户名")
    display_name = StringField("姓名")
    email = StringField("邮箱")
    password = PasswordField("密码")
    unit_id = SelectField("所属单位", coerce=str, validate_choice=False)
    roles = MultiCheckboxField(
        "角色", choices=[SelectChoice(r.value, label) for r, label in ROLE_LABELS.items()],
        validate_choice=False,
    )  # fmt: skip
    is_active = BooleanField("启用")


class ScoringTemplateChoiceForm(FlaskForm):
    """评分模板规则: a unit (optional), a year (optional) and a shipped template; the choices are
    filled by the route, the rules checked in workflow.evaluation.choice."""

    unit_id = SelectField("单位", coerce=str, validate_choice=False)
    year = StringField("年度")
    template = SelectField("评分模板", coerce=str, validate_choice=False)


def parse_id(raw: str | None) -> int | None:
    """A posted id or version number; None when missing or garbled."""
    # isascii: 「²」 is a digit to str.isdigit but not to int().
    return int(raw) if raw and raw.isascii() and raw.isdigit() and len(raw) < 10 else None


def parse_version(raw: str | None) -> int | None:
    """The version the form was rendered with; None when missing or garbled (-> current)."""
    return parse_id(raw)


def problems_by_field(problems) -> dict[str, list[str]]:
    """Problems grouped by field, so each message shows next to its field."""
    grouped: dict[str, list[str]] = {}
    for p in problems:
        grouped.setdefault(p.field, []).append(p.message)
    return grouped
