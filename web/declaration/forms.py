"""The first step of a new project: its name and year (the 申报表 itself is read by form_data)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField


class NewProjectForm(FlaskForm):
    name = StringField("项目名称")
    year = StringField("项目年度")
