"""The 自评表's narrative fields as a WTForms class (the rules live in workflow.evaluation)."""

from __future__ import annotations

from web.forms import text_form
from workflow.evaluation.models import EVALUATION_FIELDS

EvaluationForm = text_form("EvaluationForm", EVALUATION_FIELDS)
