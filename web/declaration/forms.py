"""The first step of a new project: its name, year and (optionally) 项目类型, which picks the
「投入」 rows it starts with (the 申报表 itself is read by form_data)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice

from workflow.declaration.models import PROJECT_TYPES


class NewProjectForm(FlaskForm):
    name = StringField("项目名称")
    year = StringField("项目年度")
    project_type = SelectField(
        "项目类型",
        choices=[
            SelectChoice("", "（稍后在申报表中选择）"),
            *(SelectChoice(t, t) for t in PROJECT_TYPES),
        ],
        validate_choice=False,
    )  # fmt: skip
