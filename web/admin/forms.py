"""The administrator's forms: units, users and the scoring-template rules."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    widgets,
)
from wtforms.fields.choices import SelectChoice

from workflow.org.models import ROLE_LABELS
from workflow.org.policy import FIELDS


class UnitForm(FlaskForm):
    code = StringField("单位编码")
    name = StringField("单位名称")
    email = StringField("单位邮箱")


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class ReviewersForm(FlaskForm):
    reviewers = MultiCheckboxField("负责审核的财政审核人", coerce=int, validate_choice=False)


class UserForm(FlaskForm):
    username = StringField("用户名")
    display_name = StringField("姓名")
    email = StringField("邮箱")
    unit_id = SelectField("所属单位", coerce=str, validate_choice=False)
    is_active = BooleanField("启用")


class RolesForm(FlaskForm):
    """分配角色: checked in workflow.org.operations.set_roles."""

    roles = MultiCheckboxField(
        "角色", choices=[SelectChoice(r.value, label) for r, label in ROLE_LABELS.items()],
        validate_choice=False,
    )  # fmt: skip


class PolicyForm(FlaskForm):
    """安全策略: one whole number per setting; the bounds are checked in workflow.org.policy."""

    def values(self) -> dict[str, int | None]:
        return {name: self[name].data for name in FIELDS}


for _name, _field in FIELDS.items():
    # No min/max on the page: the bounds are said beside each field, and a number out of them
    # gets our sentence under the field rather than the browser's passing bubble.
    setattr(PolicyForm, _name, IntegerField(_field.label))


class ScoringTemplateChoiceForm(FlaskForm):
    """评分模板规则: a unit (optional), a year (optional) and a shipped template; the choices are
    filled by the route, the rules checked in workflow.evaluation.choice."""

    unit_id = SelectField("单位", coerce=str, validate_choice=False)
    year = StringField("年度")
    template = SelectField("评分模板", coerce=str, validate_choice=False)


class LightsRuleChoiceForm(FlaskForm):
    """预警规则: a unit (optional), a year (optional) and a shipped lights file; checked in
    workflow.monitoring.choice as the scoring templates' rules are."""

    unit_id = SelectField("单位", coerce=str, validate_choice=False)
    year = StringField("年度")
    rules = SelectField("预警规则", coerce=str, validate_choice=False)
