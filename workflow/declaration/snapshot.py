"""A declaration as labelled values ({"资金构成第1行·子项目名称": "…"}), to show what changed
between two saves or two submissions, field by field, as old and new."""

from __future__ import annotations

from typing import Any

from workflow.declaration.form import ROW_FIELDS, SOURCE_KEYS, to_form
from workflow.declaration.models import (
    DECLARATION_TEXTS,
    FUND_COLUMNS,
    FUND_SOURCES,
    INDICATOR_DIRECTIONS,
    LAST_YEAR_AMOUNTS,
    LAST_YEAR_RATES,
    Declaration,
)
from workflow.projects.models import Project

_SCALAR_LABELS = {
    "project_type": "项目类型",
    "project_attribute": "项目属性",
    "government_procurement": "是否政府采购",
    "government_service_purchase": "是否政府购买服务",
    **{f.name: f.label for f in DECLARATION_TEXTS},
    **{f"{k}": f"上年度{label}" for k, label in (*LAST_YEAR_AMOUNTS, *LAST_YEAR_RATES)},
    "fund_items_total": "资金构成合计",
    "unit_head_name": "填报单位负责人",
    "filled_by": "填报人",
    "filled_on": "填报日期",
}
_TABLES = {"leaders": "项目负责人", "contacts": "联系人", "fund_items": "资金构成",
           "indicators": "分解目标"}  # fmt: skip
_COLUMNS = {"name": "名称", "phone": "联系电话", "amount": "预算金额（万元）", "category": "类别",
            "sub_projects": "对应子项目", "target": "目标值", "direction": "指标方向",
            "explanation": "指标解释",
            "evidence": "目标值来源"}  # fmt: skip
_SOURCE_LABELS = {**dict(FUND_SOURCES), "total": "合计"}


def flatten(project: Project, declaration: Declaration) -> dict[str, str]:
    """Every value of the form under a Chinese label, blanks left out."""
    data = to_form(declaration)
    values = {"项目名称": project.name, "项目年度": str(project.year)}
    values |= {label: data[key] for key, label in _SCALAR_LABELS.items()}
    for table, label in _TABLES.items():
        for i, row in enumerate(data[table]):
            for column in ROW_FIELDS[table]:
                name = "姓名" if table in ("leaders", "contacts") and column == "name" else None
                value = row.get(column, "")
                if column == "direction" and value:  # 自动 (blank) is left out like any blank
                    value = dict(INDICATOR_DIRECTIONS).get(value, value)
                values[f"{label}第{i + 1}行·{name or _COLUMNS[column]}"] = value
    for key in SOURCE_KEYS:
        for column, column_label in FUND_COLUMNS:
            cell = data["fund_sources"].get(key, {}).get(column, "")
            values[f"资金来源·{_SOURCE_LABELS[key]}·{column_label}"] = cell
    return {k: v for k, v in values.items() if v not in ("", None)}


def path_label(path: str) -> str:
    """A form field's path (`indicators-1-target`) as the page names it (分解目标第2行·目标值)."""
    parts = path.split("-")
    if parts[0] in _TABLES and len(parts) == 3 and parts[1].isdigit():
        person = parts[0] in ("leaders", "contacts") and parts[2] == "name"
        column = "姓名" if person else _COLUMNS.get(parts[2], parts[2])
        return f"{_TABLES[parts[0]]}第{int(parts[1]) + 1}行·{column}"
    if parts[0] == "fund_sources" and len(parts) == 3:
        source = _SOURCE_LABELS.get(parts[1], parts[1])
        return f"资金来源·{source}·{dict(FUND_COLUMNS).get(parts[2], parts[2])}"
    return {"name": "项目名称", "year": "项目年度", **_SCALAR_LABELS}.get(path, path)


def diff(old: dict[str, Any], new: dict[str, Any]) -> list[list[str]]:
    """[label, old, new] for each value that differs, in the order of the newer form."""
    labels = list(new) + [k for k in old if k not in new]
    return [[k, old.get(k, ""), new.get(k, "")] for k in labels if old.get(k, "") != new.get(k, "")]
