"""The 申报表 page's inputs (flat names such as `fund_items-2-amount`) as the nested form data
that `workflow.declaration.form` reads, and the choices the page offers."""

from __future__ import annotations

import re
from typing import Any

from werkzeug.datastructures import MultiDict

from workflow.declaration.form import MAX_ROWS, ROW_FIELDS, SOURCE_KEYS
from workflow.declaration.models import FUND_COLUMNS

SCALAR_FIELDS = (
    "name", "year", "project_type", "project_attribute", "government_procurement",
    "government_service_purchase", "summary", "basis", "necessity", "safeguards",
    "implementation_plan", "overall_goal", "annual_goal", "other_notes", "ly_budget",
    "ly_appropriated", "ly_spent", "ly_arrival_rate", "ly_execution_rate", "fund_items_total",
)  # fmt: skip
# 填报单位负责人, 填报人 and 填报日期 are not typed on the page: the history fills them.
SPARE_ROWS = {"leaders": 1, "contacts": 1, "fund_items": 2, "indicators": 3}


def form_data(form: MultiDict) -> dict[str, Any]:
    """Nested form data from the posted inputs; rows keep the order of their indexes."""
    data: dict[str, Any] = {key: form.get(key, "") for key in SCALAR_FIELDS}
    for table, columns in ROW_FIELDS.items():
        pattern = re.compile(rf"{table}-(\d{{1,6}})-\w+")
        indexes = sorted({int(m.group(1)) for key in form if (m := pattern.fullmatch(key))})
        data[table] = [
            {c: form.get(f"{table}-{i}-{c}", "") for c in columns} for i in indexes[:MAX_ROWS]
        ]
    data["fund_sources"] = {
        key: {col: form.get(f"fund_sources-{key}-{col}", "") for col, _ in FUND_COLUMNS}
        for key in SOURCE_KEYS
    }
    return data


def with_spare_rows(data: dict[str, Any]) -> dict[str, Any]:
    """The data plus blank rows to type into (more can be added on the page)."""
    data = dict(data)
    for table, spare in SPARE_ROWS.items():
        blank = {c: "" for c in ROW_FIELDS[table]}
        data[table] = list(data.get(table) or []) + [dict(blank) for _ in range(spare)]
    return data
