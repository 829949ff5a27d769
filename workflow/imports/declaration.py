"""A 绩效目标申报表 read from its grid (grid.py) into the form data a draft declaration is made of
(the dict the declaration form posts, workflow/declaration/form.py), placing every field by its
label, never by where it sits: a label's value is the rest of its own cell (「项目名称：…」), the
cells to its right, or, when a whole row is labels, the cell below; the 资金构成, 资金来源 and
绩效指标 tables are found by their header rows, whatever their position, their columns by their
headings. Text extracts without tables are read line by line, labels broken over lines joined.

Every value keeps where it was read (`Found`), and every text that found no place is kept
(`Reading.unplaced`): the import report shows both, and the draft keeps what was not placed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from workflow.declaration.models import FUND_SOURCES, PROJECT_ATTRIBUTES, PROJECT_TYPES
from workflow.imports.grid import CHECKED, UNCHECKED, Cell, Document

# ------------------------------------------------------------------ labels

#: field -> the labels units write for it (compared without spaces, punctuation and what is in
#: brackets); the first is the one the report names.
SCALARS: dict[str, tuple[str, ...]] = {
    "unit_name": ("申报单位名称", "申报单位", "预算单位名称", "预算单位", "项目单位", "单位名称",
                  "填报单位", "项目实施单位", "实施单位"),
    "name": ("项目名称",),
    "project_type": ("项目类型", "项目类别"),
    "project_attribute": ("项目属性",),
    "government_procurement": ("是否政府采购", "是否涉及政府采购"),
    "government_service_purchase": ("是否政府购买服务", "是否涉及政府购买服务"),
    "leaders": ("项目负责人",),
    "leader_phone": ("项目负责人及电话", "项目负责人及联系电话", "项目负责人及联系方式",
                     "负责人及电话"),
    "contacts": ("联系人", "项目联系人"),
    "contact_phones": ("联系人及联系电话", "联系人及电话", "联系人电话", "联系人及联系方式"),
    "phones": ("联系电话", "电话"),
    "year": ("项目年度", "预算年度", "申报年度"),
    "summary": ("项目概况", "项目简介", "项目基本情况", "项目主要内容", "项目内容", "项目概述",
                "项目总体概况"),
    "basis": ("项目设立依据", "立项依据", "项目立项依据", "设立依据", "政策依据", "项目立项的依据",
              "项目审批"),
    "necessity": ("项目设立的必要性", "项目必要性", "立项必要性", "必要性", "项目申报的必要性",
                  "项目申请原因"),
    "safeguards": ("保证项目实施的制度措施", "项目实施保障措施", "保障措施", "实施保障条件",
                   "保障条件", "保障绩效目标实现的措施"),
    "implementation_plan": ("项目实施计划", "实施计划", "项目实施进度计划", "实施进度计划",
                            "项目进度安排"),
    "overall_goal": ("项目总目标", "总体目标", "中长期目标", "长期目标", "项目总体目标",
                     "实施期目标", "中期滚动目标"),
    "annual_goal": ("年度绩效目标", "年度目标", "年度总体目标", "本年度目标", "当年目标",
                    "年度主要目标和成果"),
    "other_notes": ("需要说明的其它问题", "需要说明的其他问题", "其他需要说明的问题", "其他说明",
                    "其他说明的问题", "备注"),
    "filled_by": ("填报人", "填表人", "经办人"),
    "filled_on": ("填报日期", "填表日期", "日期"),
    "unit_head_name": ("单位负责人", "单位负责人签字", "单位负责人签名", "单位领导",
                       "填报单位负责人", "申报单位负责人"),
    "ly_budget": ("预算安排资金", "上年预算安排资金"),
    "ly_appropriated": ("财政拨付资金", "财政拨款资金"),
    "ly_spent": ("实际支出资金",),
    "ly_arrival_rate": ("资金到位率",),
    "ly_execution_rate": ("预算执行率",),
}  # fmt: skip
LABELS = {
    "unit_name": "申报单位", "name": "项目名称", "project_type": "项目类型",
    "project_attribute": "项目属性", "government_procurement": "是否政府采购",
    "government_service_purchase": "是否政府购买服务", "leaders": "项目负责人",
    "leader_phone": "项目负责人及电话",
    "contacts": "联系人", "phones": "联系电话", "contact_phones": "联系人及联系电话",
    "year": "项目年度", "summary": "项目概况",
    "basis": "项目设立依据", "necessity": "项目设立的必要性",
    "safeguards": "保证项目实施的制度、措施",
    "implementation_plan": "项目实施计划", "overall_goal": "项目总目标",
    "annual_goal": "年度绩效目标", "other_notes": "需要说明的其它问题", "filled_by": "填报人",
    "filled_on": "填报日期", "unit_head_name": "单位负责人", "ly_budget": "上年度预算安排资金",
    "ly_appropriated": "上年度财政拨付资金", "ly_spent": "上年度实际支出资金",
    "ly_arrival_rate": "上年度资金到位率", "ly_execution_rate": "上年度预算执行率",
}  # fmt: skip
#: Labels that open a section whose values the tables below read; they are no field's value.
SECTIONS = ("项目资金构成", "项目资金来源", "资金来源", "本项目上年度市级财政资金使用情况",
            "项目绩效目标", "项目资金申请", "项目基本情况", "项目资金情况", "绩效目标情况",
            "上年度资金使用情况", "分解目标", "绩效指标", "年度绩效指标", "绩效目标",
            "项目支出绩效目标申报表", "绩效目标申报表")  # fmt: skip
#: filled in by hand under the form: a blank one takes nothing from the line below
SIGNATURES = ("filled_by", "filled_on", "unit_head_name")
NARRATIVES = ("summary", "basis", "necessity", "safeguards", "implementation_plan",
              "overall_goal", "annual_goal", "other_notes")  # fmt: skip

# table headings -> column roles
INDICATOR_HEADINGS = {
    "category": ("一级指标", "类别", "指标类别", "指标类型"),
    "subcategory": ("二级指标",),
    "name": ("三级指标", "指标名称", "绩效指标", "指标内容", "具体指标"),
    "target": ("指标目标值", "指标值", "目标值", "年度指标值", "绩效目标值", "年度目标值",
               "本年度计划水平", "年度计划水平", "本年度指标值", "当年指标值"),
    "explanation": ("目标解释", "指标解释", "指标说明", "指标内容/计算公式", "计算公式",
                    "指标内容及计算公式"),
    "evidence": ("指标目标值来源", "目标值来源", "指标值来源", "数据来源", "评价依据"),
    "sub_projects": ("对应子项目名称", "对应子项目"),
    "symbol": ("符号", "运算符"),
    "number": ("数值", "指标值数值"),
    "unit": ("计量单位", "单位", "度量单位"),
}  # fmt: skip
ITEM_HEADINGS = {
    "name": (
        "子项目名称",
        "子项目",
        "明细项目",
        "支出内容",
        "资金用途",
        "项目内容",
        "明细",
        "项目",
    ),
    "amount": (
        "预算金额",
        "金额",
        "预算数",
        "资金额度",
        "申请金额",
        "本年度申请金额",
        "本年度预算",
        "本年度金额",
    ),
}
SOURCE_HEADINGS = {
    "total": ("项目投资总额", "投资总额", "总额", "实施期资金总额", "项目总预算"),
    "last_year": ("上年度资金", "上年度", "以前年度", "上年度预算安排"),
    "this_year": (
        "本年度计划数",
        "本年度",
        "本年度资金",
        "年度计划数",
        "本年度申请金额",
        "年度资金总额",
        "当年年度预算",
    ),
    "spent_last_year": ("上年度实际执行", "上年度执行数"),
}
SOURCE_ROWS = {key: (label,) for key, label in FUND_SOURCES} | {
    "superior": (
        "上级财政资金",
        "上级补助",
        "中央补助",
        "省级补助",
        "上级资金",
        "上级补助资金",
        "上级财政拨款",
    ),
    "municipal": (
        "市级财政资金",
        "本级财政资金",
        "市级财政",
        "财政拨款",
        "财政资金",
        "本级财政拨款",
        "其中财政拨款",
        "区级财政资金",
        "其中财政资金",
        "一般公共预算拨款",
        "县级财政资金",
    ),
    "subordinate": ("下级财政资金", "区县配套", "下级资金"),
    "bank_loan": ("银行贷款",),
    "self_raised": ("单位自筹", "自筹资金", "自筹", "自有资金"),
    "other": ("其他", "其他资金", "其它资金", "其它"),
    "total": ("合计", "总计"),
}
TOTALS = ("合计", "总计", "小计")
CATEGORY_WORDS = ("投入", "产出", "结果", "影响力", "效益", "满意度", "成本", "效果", "过程")
YES_NO = ("是", "否")
_BRACKETS = re.compile(r"[（(【\[][^）)】\]]{0,40}[）)】\]]")
_NOISE = re.compile(r"[\s:：*＊、，,。.（）()\[\]【】\"“”'‘’]")


_OPEN_BRACKET = re.compile(r"[（(【\[][^）)】\]]*$")


def key(text: str) -> str:
    """A text as labels are compared: no spaces, punctuation or what is in brackets (a bracket
    left open at the end too: a label cut inside its note)."""
    return _NOISE.sub("", _OPEN_BRACKET.sub("", _BRACKETS.sub("", text)))


_LABEL_INDEX: dict[str, str] = {}
for _field, _labels in SCALARS.items():
    for _label in _labels:
        _LABEL_INDEX.setdefault(key(_label), _field)
_SECTION_KEYS = {key(s) for s in SECTIONS}


def label_of(text: str, *, cut: bool = True) -> tuple[str | None, str]:
    """(the field a cell's text labels, the value written after the label in the same cell):
    (None, "") for a text that is no label. A label is the cell's start; what follows a colon
    (or, for short values, a space) is the value."""
    lines = text.split("\n")
    # a label wrapped in a narrow cell (「是否政府采」「购」): its lines joined, the most that
    # still make a label; what follows is the value (its bracketed note lines are the label's)
    for n in range(min(len(lines), 4), 0, -1):
        head, _, rest = _split_label("".join(lines[:n]) if n > 1 else lines[0])
        if n > 1 and _split_label(lines[0])[1]:
            continue  # 「项目名称：…」 on the first line: the label ends there
        field = _LABEL_INDEX.get(key(head))
        if field is not None:
            break
    else:
        head, _, rest = _split_label(lines[0])
        field, n = (_cut_label(key(head)) if cut else None), 1
    if field is None:
        return None, ""
    tail = lines[n:]
    while tail and _only_brackets(tail[0]):
        tail = tail[1:]
    value = "\n".join(p for p in (rest.strip(), "\n".join(tail).strip()) if p)
    return field, _BRACKETS.sub("", value).strip() if _only_brackets(value) else value


def _only_brackets(value: str) -> bool:
    """「(相关批文名称)」 under a label is the label's note, not its value."""
    return bool(value) and not _BRACKETS.sub("", value).strip()


def _cut_label(k: str) -> str | None:
    """A label the form cut short (「年度绩效目」): the one field whose label it begins."""
    if len(k) < 4:
        return None
    fields = {f for label, f in _LABEL_INDEX.items() if label.startswith(k)}
    return fields.pop() if len(fields) == 1 else None


def _split_label(line: str) -> tuple[str, str, str]:
    for sep in ("：", ":"):
        if sep in line:
            head, rest = line.split(sep, 1)
            return head, sep, rest
    return line, "", ""


def is_section(text: str) -> bool:
    """A section's name, or the form's title (「苏州市财政支出项目绩效目标申报表」): no value."""
    k = key(text.split("\n", 1)[0])
    if len(k) <= 40 and k.endswith(("申报表", "目标表", "申报书")):
        return True
    return k in _SECTION_KEYS or any(k.startswith(s) for s in _SECTION_KEYS if len(s) >= 4)


# ------------------------------------------------------------------ the reading


@dataclass(frozen=True)
class Found:
    """One field placed: its form path, the value, the text it was read from and where."""

    path: str
    label: str
    value: str
    source: str
    where: str


@dataclass
class Reading:
    data: dict = field(default_factory=dict)
    found: list[Found] = field(default_factory=list)
    unplaced: list[tuple[str, str]] = field(default_factory=list)  # (where, text)
    unit_name: str = ""
    in_yuan: bool = False  # the form gives its amounts in 元 (「金额单位：元」)


@dataclass
class _Row:
    where: str
    cells: list[Cell]
    table: int  # the table's number in the document; -1 for a line of text
    originals: dict = field(default_factory=dict)  # a moved cell's id -> the cell as read
    width: int = 0  # a tab-separated line's cells, empty ones included (0: not known)


def read_declaration(document: Document) -> Reading:
    rows = _rows(document)
    reading = Reading(data=_empty())
    reading.in_yuan = any(_YUAN_NOTE.search(re.sub(r"\s", "", c.text)) for row in rows
                          for c in row.cells)  # fmt: skip
    used: set[int] = set()  # ids of the cells placed (or read as headings)
    _read_indicators(rows, reading, used)
    if not reading.data["indicators"]:
        _read_text_indicators(rows, reading, used)
    _read_fund_items(rows, reading, used)
    _read_fund_sources(rows, reading, used)
    _read_scalars(rows, reading, used)
    _read_year_line(rows, reading, used)
    reading.found = sorted((f for f in reading.found if f.value.strip()), key=_form_order)
    for row in rows:
        for cell in row.cells:
            if id(cell) not in used and cell.text and not is_section(cell.text):
                reading.unplaced.append((row.where, cell.text))
    return reading


_ORDER = [*SCALARS, "fund_items", "fund_sources", "indicators"]


def _form_order(found: Found) -> tuple[int, int]:
    """The report in the form's order: the header fields, then the tables row by row."""
    head = found.path.split("-", 1)[0]
    at = _ORDER.index(head) if head in _ORDER else len(_ORDER)
    row = found.path.split("-")[1] if head in ("fund_items", "indicators") else "0"
    return at, int(row) if row.isdigit() else 0


def _empty() -> dict:
    data: dict = {f: "" for f in SCALARS
                  if f not in ("leaders", "contacts", "phones", "contact_phones",
                               "leader_phone")}  # fmt: skip
    data.pop("unit_name")
    data |= {"leaders": [], "contacts": [], "fund_items": [], "fund_items_total": "",
             "indicators": []}  # fmt: skip
    data["fund_sources"] = {k: {"total": "", "last_year": "", "this_year": ""}
                            for k in [*(k for k, _ in FUND_SOURCES), "total"]}  # fmt: skip
    return data


def _rows(document: Document) -> list[_Row]:
    rows: list[_Row] = []
    tables = 0
    lines: list[tuple[str, str]] = []

    def flush() -> None:
        for where, text in _joined_labels(lines):
            rows.append(_Row(where, _split_line(text), -1))
        lines.clear()

    for block in document.blocks:
        if block.table is None:
            lines.append((block.where, block.text))
            continue
        flush()
        tables += 1
        for cells in block.table.rows:
            rows.append(_Row(f"{block.where}第{cells[0].row + 1}行", cells, tables,
                             width=block.table.widths.get(cells[0].row, 0)))  # fmt: skip
    flush()
    return rows


def _joined_labels(lines: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A label a PDF extract broke over lines (「项目设立依」「据（相关批」「文名称）」) put back
    on one line: short lines are joined while together they begin a label."""
    out: list[tuple[str, str]] = []
    n = 0
    while n < len(lines):
        where, text = lines[n]
        joined, end = text, n
        while (end + 1 < len(lines) and len(joined) <= 24
               and label_of(joined, cut=False)[0] is None
               and not is_section(joined) and _prefix_of_label(joined)):  # fmt: skip
            joined += lines[end + 1][1]
            end += 1
        while end + 1 < len(lines) and _open_bracket(joined) and len(lines[end + 1][1]) <= 12:
            joined += lines[end + 1][1]  # 「项目设立依据（相关批」「文名称）」: the note closes
            end += 1
        if end > n and (label_of(_first_words(joined))[0] is not None or is_section(joined)):
            out.append((where, joined))
            n = end + 1
        else:
            out.append((where, text))
            n += 1
    return out


def _open_bracket(text: str) -> bool:
    return bool(_OPEN_BRACKET.search(_BRACKETS.sub("", text)))


def _first_words(text: str) -> str:
    return text.split(" ", 1)[0]


_ALL_LABEL_KEYS = sorted({*_LABEL_INDEX, *_SECTION_KEYS}, key=len, reverse=True)


def _prefix_of_label(text: str) -> bool:
    k = key(text)
    return bool(k) and any(label.startswith(k) and label != k for label in _ALL_LABEL_KEYS)


def _split_line(text: str) -> list[Cell]:
    """A line of a text extract as cells, split at spaces: a PDF's text puts a space between
    cells (「项目类型 信息化工程及维护类 项目属性 部门预算」 is four), Chinese prose none."""
    return [Cell(0, c, t) for c, t in enumerate(re.split(r"[ \t]+", text.strip()))]


# ------------------------------------------------------------------ scalars


def _read_scalars(rows: list[_Row], reading: Reading, used: set[int]) -> None:
    for r, row in enumerate(rows):
        for c, cell in enumerate(row.cells):
            if id(cell) in used:
                continue
            field, inline = label_of(cell.text)
            if field is None or _taken(reading, field):
                continue
            used.add(id(cell))
            pairs = _pairs(field, inline)
            for other, value in pairs[1:]:  # 「资金到位率：0」「预算执行率：0」 in one cell
                if not _taken(reading, other):
                    _put(reading, other, value, cell.text, row.where)
            value, source, where = pairs[0][1], cell, row.where
            on_top = row.table != -1 and (_all_labels(row) or len(_filled(row)) == 1)
            if not value and on_top:  # labels on top, or a label alone across the table
                value, source, where = _value_under(rows, r, cell, used)
            if not value:
                value, source, where = _value_beside(rows, r, c, used)
            if not value and row.table == -1 and field not in SIGNATURES:
                value, source, where = _value_below(rows, r, used, field)
            if not value and row.table != -1 and _all_labels(row):
                value, source, where = _value_under(rows, r, cell, used)
            _put(reading, field, value, source.text if source else "", where)


def _pairs(field: str, value: str) -> list[tuple[str, str]]:
    """A cell's value, and the further 「label：value」 lines it holds, each as its field's."""
    pairs = [(field, [])]
    for line in value.split("\n"):
        other, rest = label_of(line, cut=False) if _split_label(line)[1] else (None, "")
        if other is not None:
            pairs.append((other, [rest]))
        else:
            pairs[-1][1].append(line)
    return [(f, "\n".join(lines).strip()) for f, lines in pairs]


def _taken(reading: Reading, field: str) -> bool:
    if field == "unit_name":
        return bool(reading.unit_name)
    if field in ("leaders", "contacts"):
        return bool(reading.data[field])
    if field == "leader_phone":
        return bool(reading.data["leaders"])
    if field in ("phones", "contact_phones"):
        return any(c.get("phone") for c in reading.data["contacts"])
    return bool(reading.data.get(field))


def _value_beside(rows, r: int, c: int, used: set[int]):
    """The cells right of a label, up to the next label: their texts, one per line."""
    texts, first = [], None
    for cell in rows[r].cells[c + 1 :]:
        if label_of(cell.text)[0] is not None or is_section(cell.text):
            break
        if id(cell) in used or not cell.text:
            continue
        used.add(id(cell))
        texts.append(cell.text)
        first = first or cell
    joint = " " if rows[r].table == -1 else "\n"  # a line's words, or a row's cells
    value = joint.join(texts)
    return value, (Cell(first.row, first.col, value) if first else None), rows[r].where


def _value_below(rows, r: int, used: set[int], field: str):
    """In a text extract, the lines after a label's line, up to the next label or table."""
    if field not in NARRATIVES and rows[r].cells[-1].text and label_of(rows[r].cells[-1].text)[0]:
        pass
    texts, first = [], None
    for row in rows[r + 1 :]:
        if row.table != -1:
            break
        head = row.cells[0].text
        if label_of(head)[0] is not None or is_section(head) or _is_heading_line(row):
            break
        if _only_brackets(" ".join(c.text for c in row.cells)):  # the label's note (（万元）)
            for cell in row.cells:
                used.add(id(cell))
            continue
        for cell in row.cells:
            used.add(id(cell))
        texts.append(" ".join(cell.text for cell in row.cells))
        first = first or row.cells[0]
        if field not in NARRATIVES:
            break
    value = "\n".join(texts)
    return value, (Cell(first.row, first.col, value) if first else None), rows[r].where


def _is_heading_line(row: _Row) -> bool:
    """A line of a text extract that starts one of the tables (its headings)."""
    words = {key(c.text) for c in row.cells}
    text = key(" ".join(c.text for c in row.cells))
    return (any(h in text for h in ("子项目名称", "项目投资总额", "指标名称", "三级指标"))
            or bool(words & {"类别", "资金来源"}))  # fmt: skip


def _all_labels(row: _Row) -> bool:
    """A row of labels (a section's name before them aside; a label we do not know, 主管部门,
    among them): their values are below."""
    cells = [c for c in _filled(row) if not is_section(c.text)]
    labels = [c for c in cells if label_of(c.text)[0] is not None and not label_of(c.text)[1]]
    return len(labels) >= 2 and len(labels) * 3 >= len(cells) * 2


def _filled(row: _Row) -> list[Cell]:
    return [c for c in row.cells if c.text.strip()]


def _value_under(rows, r: int, label: Cell, used: set[int]):
    """Labels on top: the value is the cell of the next row in the label's column."""
    if r + 1 >= len(rows) or rows[r + 1].table != rows[r].table:
        return "", None, rows[r].where
    for cell in rows[r + 1].cells:
        if cell.col <= label.col < cell.col + cell.colspan and id(cell) not in used:
            if label_of(cell.text)[0] is not None or is_section(cell.text):
                break  # the next label: this one was left blank
            used.add(id(cell))
            return cell.text, cell, rows[r + 1].where
    return "", None, rows[r].where


BLANKS = {"—", "——", "-", "－", "/", "／", "无", "\\"}


def _put(reading: Reading, field: str, value: str, source: str, where: str) -> None:
    value = value.strip()
    if not value or value in BLANKS or "由系统填写" in value:
        return
    other, inline = label_of(value, cut=False)
    if other is not None and not inline:
        return  # the next label, not a value: this one was left blank
    data = reading.data
    label = LABELS[field]
    if field == "unit_name":
        reading.unit_name = _unit_name(value)
        reading.found.append(Found("unit_name", label, reading.unit_name, source, where))
        return
    if field == "leaders":
        data["leaders"] = [{"name": n} for n in _names(value)]
        for n, person in enumerate(data["leaders"]):
            reading.found.append(Found(f"leaders-{n}-name", label, person["name"], source, where))
        return
    if field == "leader_phone":  # 「刘振华 010-65094512」: the 负责人, who is also the contact
        phone = re.search(r"\d[\d\-—]{5,}\d", value)
        names = _names(re.sub(r"\d[\d\-—]{5,}\d", " ", value))
        if names and not data["leaders"]:
            _put(reading, "leaders", "、".join(names), source, where)
        if phone and names and not data["contacts"]:
            data["contacts"] = [{"name": names[0], "phone": phone.group(0)}]
            reading.found.append(Found("contacts-0-name", "联系人", names[0], source, where))
            reading.found.append(Found("contacts-0-phone", "联系电话", phone.group(0), source,
                                       where))  # fmt: skip
        return
    if field == "contacts":
        names = _names(value)
        phones = [c.get("phone", "") for c in data["contacts"]]
        data["contacts"] = [{"name": n, "phone": phones[i] if i < len(phones) else ""}
                            for i, n in enumerate(names)]  # fmt: skip
        for n, person in enumerate(data["contacts"]):
            reading.found.append(Found(f"contacts-{n}-name", label, person["name"], source, where))
        return
    if field in ("phones", "contact_phones"):
        _phones(reading, value, source, where)
        return
    if field == "year":
        match = re.search(r"(?<!\d)(19|20|21)\d{2}(?!\d)", value)
        value = match.group(0) if match else value
    elif field == "project_type":
        value = _choice(value, PROJECT_TYPES)
    elif field == "project_attribute":
        value = _choice(value, PROJECT_ATTRIBUTES)
    elif field in ("government_procurement", "government_service_purchase"):
        value = _choice(value, YES_NO)
    elif field.startswith("ly_") or field == "fund_items_total":
        value = _amount(value)
    elif field == "filled_on":
        value = _date(value)
    data[field] = value
    reading.found.append(Found(field, label, value, source, where))


def _unit_name(value: str) -> str:
    """「001276001276 苏州市住房和城乡建设局」「苏州市应急管理局（盖章）」: the name alone."""
    value = re.sub(r"^[\dA-Za-z\s]+", "", value)
    value = re.sub(r"[（(]\s*(盖章|公章|章)\s*[）)]", "", value)
    return value.strip()


def _names(value: str) -> list[str]:
    names = [n.strip() for n in re.split(r"[、,，/;；\s]+", value) if n.strip()]
    return [re.sub(r"[:：]?\s*\d[\d\-—\s]{5,}$", "", n) for n in names if not n.isdigit()]


def _phones(reading: Reading, value: str, source: str, where: str) -> None:
    """「李明：13404236559、陈彤：15168809631」 gives each named contact their number; bare
    numbers go to the contacts in order (a contact is made for a number without one)."""
    contacts = reading.data["contacts"]
    pairs = re.findall(r"([\u4e00-\u9fa5]{2,4})\s*[:：]\s*([\d\-—()（）\s]{6,}\d)", value)
    if pairs:
        for name, phone in pairs:
            phone = re.sub(r"\s", "", phone)
            match = next((c for c in contacts if c["name"] == name), None)
            if match is None:
                match = {"name": name, "phone": ""}
                contacts.append(match)
            match["phone"] = phone
    else:
        numbers = [re.sub(r"\s", "", p) for p in re.findall(r"\d[\d\-—]{5,}\d", value)]
        leaders = reading.data["leaders"]
        for i, phone in enumerate(numbers):
            if i < len(contacts):
                contacts[i]["phone"] = phone
            else:  # no 联系人 named: the 项目负责人 is who answers it
                name = leaders[i]["name"] if i < len(leaders) else ""
                contacts.append({"name": name, "phone": phone})
    for n, person in enumerate(contacts):
        if person.get("phone"):
            reading.found.append(Found(f"contacts-{n}-phone", "联系电话", person["phone"], source,
                                       where))  # fmt: skip


def _choice(value: str, options: tuple[str, ...], aliases: dict[str, str] | None = None) -> str:
    """The option a check box marks (☑ or √ before or after it), else the one written alone."""
    aliases = aliases or {}
    marked = []
    for option in sorted(options, key=len, reverse=True):
        for m in re.finditer(re.escape(option), value):
            before = value[max(0, m.start() - 2) : m.start()]
            after = value[m.end() : m.end() + 2]
            ticked = CHECKED in after or "√" in after or CHECKED in before or "√" in before[-1:]
            if ticked and UNCHECKED not in after[:1]:
                marked.append((m.start(), option))
    if marked:
        return min(marked)[1]
    plain = value.replace(CHECKED, "").replace(UNCHECKED, "").strip()
    plain = aliases.get(plain, plain)
    if plain in options:
        return plain
    ticked = _TICKED_AFTER.search(value) or _TICKED_BEFORE.search(value)
    if ticked:  # an option of another province's form, ticked: kept as written
        return ticked.group(1)
    if UNCHECKED in value:
        return ""  # boxes, none ticked
    return plain


_WORD = r"([\u4e00-\u9fff][\u4e00-\u9fffA-Za-z0-9（）()]*?)"
_TICKED_AFTER = re.compile(_WORD + r"\s*[☑√]")
_TICKED_BEFORE = re.compile(r"[☑√]\s*" + _WORD + r"(?=\s|[□☑√]|$)")


def _amount(value: str) -> str:
    """An amount as typed: 「1,435.00万元」 is 1435.00; where a PDF of ours shows the sum and the
    total the unit typed (「350.00（表内填写 350.00）」), the typed one."""
    text = value.replace(",", "").replace("，", "").replace("万元", "").replace("%", "").strip()
    if text in BLANKS:
        return ""
    typed = re.search(r"表内\s*填写\s*(-?\d+(?:\.\d+)?)", text)
    if typed:
        return typed.group(1)
    number = re.fullmatch(r"(-?\d+(?:\.\d+)?)\s*[（(].*", text, re.S)
    return number.group(1) if number else text


def _date(value: str) -> str:
    match = re.search(r"(\d{4})\s*[年\-./]\s*(\d{1,2})\s*[月\-./]\s*(\d{1,2})", value)
    if match:
        y, m, d = (int(g) for g in match.groups())
        return f"{y:04d}-{m:02d}-{d:02d}"
    return value


def _read_year_line(rows: list[_Row], reading: Reading, used: set[int]) -> None:
    """「(2020年 )」 under the title: the year, when no 项目年度 gives it (and, when one does
    and says the same, no text left to place)."""
    for row in rows[:12]:
        for cell in row.cells:
            match = re.fullmatch(r"[（(]?\s*((?:19|20)\d{2})\s*年?度?\s*[)）]?", cell.text)
            if not match or id(cell) in used:
                continue
            if reading.data["year"]:
                if reading.data["year"] == match.group(1):
                    used.add(id(cell))
                    reading.found.append(Found("year", "项目年度（表头）", match.group(1),
                                               cell.text, row.where))  # fmt: skip
                return
            if match:
                used.add(id(cell))
                reading.data["year"] = match.group(1)
                reading.found.append(
                    Found("year", "项目年度", match.group(1), cell.text, row.where)
                )
                return


# ------------------------------------------------------------------ tables


def _columns(row: _Row, headings: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """The row read as headings: role -> column, for the cells that name one."""
    found: dict[str, int] = {}
    for cell in row.cells:
        if is_section(cell.text) and not _split_label(cell.text)[1]:
            continue  # 「项目资金构成（详细列出…）」 names the table, not a column
        k = key(re.split(r"[:：]", cell.text)[-1])  # 「分解目标：类别」 heads 类别
        exact = [r for r, names in headings.items() if any(k == key(n) for n in names)]
        starts = [r for r, names in headings.items()
                  if any(len(key(n)) >= 3 and k.startswith(key(n)) for n in names)]  # fmt: skip
        for role in exact or starts:  # 「指标内容/计算公式」 is its own heading, not 指标内容
            if role not in found:
                found[role] = cell.col
                break
    return found


def _cell_at(row: _Row, col: int) -> Cell | None:
    for cell in row.cells:
        if cell.col <= col < cell.col + cell.colspan:
            return cell
    return None


def _read_indicators(rows: list[_Row], reading: Reading, used: set[int]) -> None:
    """Every row under a heading row that names the 指标名称 and 指标值 columns, in as many
    runs as the table has pages (each page may repeat the headings), until a row of labels or
    another table. The 一级/二级指标 a merged cell gives several rows carries down to them."""
    columns: dict[str, int] | None = None
    table, heading_width, shift = -2, 0, 0
    category = subcategory = ""
    spans: dict[str, tuple[int, str]] = {}  # role -> (last row it covers, text)
    skip_to = -1
    period, periods = "", []  # the table's period (「长期绩效指标」「年度绩效指标」), per indicator
    for index, row in enumerate(rows):
        if index <= skip_to:
            continue
        said = _period(row)
        if said:
            period, columns = said, None
            used.update(id(c) for c in row.cells)
            continue
        found = _columns(row, INDICATOR_HEADINGS) if row.table != -1 else {}
        if "name" in found and {"target", "number"} & set(found):
            used.update(id(c) for c in row.cells if _heading_cell(c, INDICATOR_HEADINGS)
                        or is_section(c.text))  # fmt: skip
            # headings over two or three rows (「指标名称」 over 二级指标 and 三级指标, 「指标值」
            # over 符号, 数值, 单位): the lower rows name the columns more precisely
            for lower in rows[index + 1 : index + 3]:
                if lower.table != row.table or not _heading_row(lower):
                    break
                found |= _columns(lower, INDICATOR_HEADINGS)
                used.update(id(c) for c in lower.cells)
                skip_to = rows.index(lower)
            if "number" in found:
                found.pop("target", None)  # 指标值 is 符号 + 数值 + 单位 beneath it
            found = _named_by_level(found, rows[index : skip_to + 1] if skip_to > index else [row])
            columns, table, heading_width, spans = found, row.table, row.width, {}
            continue
        drawn = [c for c in row.cells if _all_heading_words(c.text)]
        used.update(id(c) for c in drawn)  # a heading row a PDF drew as one cell: no value
        if columns is None or drawn:
            continue
        if row.table != table:
            # a table cut by a page break or a blank line goes on in the next one
            if row.table == -1 or row.table != table + 1 or rows[index - 1].table != table:
                columns = None
                continue
            table = row.table
            # a tab extract's lines are aligned by their widths (_aligned) instead
            shift = _continuation_shift(rows, index, columns) if not row.width else 0
        else:
            shift = shift if index > 0 and rows[index - 1].table == row.table else 0
        texts = {columns[r] for r in columns if r not in ("category", "subcategory")}
        if any(label_of(c.text)[0] for c in row.cells if c.col not in texts):
            columns = None  # the form goes on after the table (an indicator may be named
            continue  # like a label, 「预算执行率」: not where indicators' names are)
        row = _aligned(row, columns, heading_width)
        if shift:
            row = _shifted(row, shift)
        values: dict[str, str] = {}
        cells: dict[str, Cell] = {}
        for role, col in columns.items():
            if role == "level_names":
                continue
            cell = _cell_at(row, col)
            if cell is not None and (role not in ("category", "subcategory") or cell.col == col):
                values[role], cells[role] = cell.text, cell
                if cell.rowspan > 1:
                    spans[role] = (index + cell.rowspan - 1, cell.text)
            elif role in spans and index <= spans[role][0]:
                values[role] = spans[role][1]
        if "level_names" in columns:
            swapped = _level_named(values)
            if swapped is not values:  # the 二级 cell is the name, 指标内容 its explanation
                cells = {r: c for r, c in cells.items() if r not in ("subcategory", "name")}
                cells |= {r: c for r, c in (("name", _cell_at(row, columns["subcategory"])),
                                            ("explanation", _cell_at(row, columns["name"])))
                          if c is not None}  # fmt: skip
            values = swapped
        if values.get("category"):
            category = _category(values["category"])
        if values.get("subcategory"):
            subcategory = values["subcategory"]
        name = values.get("name", "").strip()
        if not name or key(name) in {key(t) for t in TOTALS}:
            continue
        _indicator(reading, row, values, cells, category, subcategory, used)
        periods.append(period)
    if "年度" in periods and set(periods) - {"年度"}:
        _keep_year(reading, periods)


_TARGET_LIKE = re.compile(r"[\d≥≤＞＜>=<%％]|合规|健全|规范|稳定|落实|建立|达标|提升|明显|显著|"
                          r"完成|按时|及时|有效|良好|满意|好|是|否")  # fmt: skip


def _continuation_shift(rows: list[_Row], index: int, columns: dict[str, int]) -> int:
    """A table continued after a page break may have lost a column its first page had (a merged
    「分解目标」 beside the headings): how far its cells sit left of the headings' columns, told by
    where the 指标值 and the 类别 read as such in its first rows."""
    table = rows[index].table
    sample = [r for r in rows[index : index + 6] if r.table == table]
    if "target" not in columns:
        return 0

    def fit(shift: int) -> int:
        score = 0
        for row in sample:
            moved = _shifted(row, shift)
            target = _cell_at(moved, columns["target"])
            if target is not None and target.text and _TARGET_LIKE.search(target.text):
                score += 2
            if "category" in columns:
                category = _cell_at(moved, columns["category"])
                if category is not None and category.text.strip():
                    score += 1 if _category(category.text) in CATEGORY_WORDS else -1
        return score

    best = max(range(0, 4), key=lambda s: (fit(s), -s))
    return best if fit(best) > fit(0) else 0


def _shifted(row: _Row, shift: int) -> _Row:
    if not shift:
        return row
    cells = [Cell(c.row, c.col + shift, c.text, c.rowspan, c.colspan) for c in row.cells]
    originals = {id(new): row.originals.get(id(old), old)
                 for new, old in zip(cells, row.cells, strict=True)}  # fmt: skip
    return _Row(row.where, cells, row.table, originals, row.width)


def _read_text_indicators(rows: list[_Row], reading: Reading, used: set[int]) -> None:
    """The indicator table of a text extract, one indicator a line, its cells split at spaces
    (an empty cell leaves no trace): the headings' line gives the columns' order, the few
    lines above it the columns it lost (类别, 对应子项目名称); each line's last words fill the
    last columns, and what is left before them is the 类别 and the 对应子项目."""
    for index, row in enumerate(rows):
        if row.table != -1:
            continue
        found = _columns(row, INDICATOR_HEADINGS)
        if "name" not in found or "target" not in found:
            continue
        order = sorted(found, key=found.get)
        above = []
        for earlier in rows[max(0, index - 4) : index]:
            text = key(" ".join(c.text for c in earlier.cells))
            if text.startswith(("类别", "一级指标")):
                above.append("category")
            elif text.startswith("对应子项目"):
                above.append("sub_projects")
            used.update(
                id(c)
                for c in earlier.cells
                if _all_heading_words(c.text) or key(c.text) in _HEADING_WORDS
            )
        lead = [r for r in ("category", "sub_projects") if r in above and r not in order]
        tail = [r for r in order if r not in ("category", "sub_projects")]
        used.update(id(c) for c in row.cells)
        category = ""
        for later in rows[index + 1 :]:
            if later.table != -1:
                break
            texts = [c.text for c in later.cells]
            if is_section(texts[0]) and len(texts) == 1:
                used.update(id(c) for c in later.cells)
                continue
            if any(label_of(t)[0] for t in texts[:1]) or len(texts) < len(tail):
                break
            values = dict(zip(tail, texts[-len(tail) :], strict=True))
            rest = texts[: -len(tail)]
            if rest and _category(rest[0]) in CATEGORY_WORDS and "category" in lead:
                category = _category(rest.pop(0))
            if rest and "sub_projects" in lead:
                values["sub_projects"] = " ".join(rest)
                rest = []
            if rest:
                break  # words the columns do not account for: not one of the table's lines
            values["category"] = category
            cells = {role: Cell(0, n, values[role]) for n, role in enumerate(values)}
            _indicator(reading, later, values, cells, category, "", used)
            used.update(id(c) for c in later.cells)
        if reading.data["indicators"]:
            return


def _period(row: _Row) -> str:
    """A row saying whose indicators follow: 年度, or 长期/中期 (a form may give both)."""
    if len(row.cells) != 1:
        return ""
    k = key(row.cells[0].text)
    if k.endswith(("绩效指标", "指标")) and len(k) <= 12:
        if "年度" in k:
            return "年度"
        if any(w in k for w in ("长期", "中期", "实施期")):
            return "长期"
    return ""


def _keep_year(reading: Reading, periods: list[str]) -> None:
    """The form gives long-term and annual indicators: the declaration's are the year's (the
    others stay in the report as found, their values kept there)."""
    keep = [n for n, p in enumerate(periods) if p == "年度"]
    renumber = {old: new for new, old in enumerate(keep)}
    reading.data["indicators"] = [reading.data["indicators"][n] for n in keep]
    found = []
    for f in reading.found:
        parts = f.path.split("-")
        if parts[0] != "indicators":
            found.append(f)
        elif int(parts[1]) in renumber:
            found.append(Found(f"indicators-{renumber[int(parts[1])]}-{parts[2]}", f.label,
                               f.value, f.source, f.where))  # fmt: skip
        else:
            reading.unplaced.append((f.where, f.source))
    reading.found = found


def _indicator(reading, row, values, cells, category, subcategory, used) -> None:
    target = _target(values.get("target", ""))
    if not target and ("number" in values or "symbol" in values):
        target = "".join(values.get(k, "") for k in ("symbol", "number", "unit"))
    elif target and values.get("unit") and not target.endswith(values["unit"]):
        target += values["unit"]
    n = len(reading.data["indicators"])
    name = values["name"].strip().lstrip("★☆*＊ ")  # ★ marks a 核心指标, not the name
    indicator = {"category": category, "name": name, "target": target,
                 "explanation": values.get("explanation", ""),
                 "evidence": values.get("evidence", ""),
                 "sub_projects": _sub_projects(values.get("sub_projects", ""))}  # fmt: skip
    reading.data["indicators"].append(indicator)
    if subcategory:
        indicator["subcategory"] = subcategory
    for role, cell in cells.items():
        used.add(id(row.originals.get(id(cell), cell)))
        path_role = role if role in indicator else "target"  # 符号, 数值, 单位 make the 指标值
        reading.found.append(Found(
            f"indicators-{n}-{path_role}", f"第{n + 1}项指标·{ROLE_LABELS[path_role]}",
            indicator[path_role], cell.text, row.where))  # fmt: skip


ROLE_LABELS = {"category": "一级指标（类别）", "subcategory": "二级指标", "name": "指标名称",
               "target": "指标值", "explanation": "指标解释", "evidence": "目标值来源",
               "sub_projects": "对应子项目"}  # fmt: skip


def _target(text: str) -> str:
    """A 指标值 as typed: 「越低越好」 under it (our PDF's) is its direction, not its value."""
    lines = [line for line in text.split("\n") if line.strip() not in ("越低越好", "越高越好")]
    return "\n".join(lines).strip()


_HEADING_WORDS = {key(n) for names in INDICATOR_HEADINGS.values() for n in names} | {
    "名称", "源", "来源", "类别"}  # fmt: skip


def _all_heading_words(text: str) -> bool:
    """「类别 对应子项目 指标名称 目标值 …」: headings run together in one cell."""
    words = [key(w) for w in re.split(r"\s+", text) if key(w)]
    return len(words) >= 3 and all(w in _HEADING_WORDS for w in words[:3])


def _aligned(row: _Row, columns: dict[str, int], heading_width: int) -> _Row:
    """A line of a tab-separated extract whose merged first cells were dropped is shorter than
    its headings: its cells belong under the headings' last columns (moved right)."""
    if not row.width or not heading_width or row.width >= heading_width:
        return row
    shift = heading_width - row.width
    cells = [Cell(c.row, c.col + shift, c.text, c.rowspan, c.colspan) for c in row.cells]
    return _Row(
        row.where,
        cells,
        row.table,
        {id(new): old for new, old in zip(cells, row.cells, strict=True)},
    )


def _sub_projects(text: str) -> str:
    """对应子项目: one name a line, however the form separates them."""
    return "\n".join(p.strip() for p in re.split(r"[,，、;；\n]+", text) if p.strip())


def _named_by_level(found: dict[str, int], heading_rows: list[_Row]) -> dict[str, int]:
    """With no 三级指标 column, the 二级指标 names the indicators and 指标内容 explains them."""
    texts = {key(c.text) for r in heading_rows for c in r.cells}
    named_by = next((key(c.text) for r in heading_rows for c in r.cells
                     if c.col == found.get("name")), "")  # fmt: skip
    if "subcategory" in found and "三级指标" not in texts and named_by.startswith("指标内容"):
        found = dict(found, level_names=1)  # decided row by row (_level_named)
    return found


def _level_named(values: dict[str, str]) -> dict[str, str]:
    """No 三级指标 column: where the 二级 cell is no standard 二级 (数量指标, 经济效益指标 …) but a
    name (「资金到位率」), it names the indicator and 指标内容 explains it."""
    level = values.get("subcategory", "").strip()
    if level and not key(level).endswith("指标"):
        values = dict(values, explanation=values.get("name", ""), name=level, subcategory="")
    return values


def _heading_row(row: _Row) -> bool:
    """Every cell of the row names an indicator column."""
    cells = [c for c in row.cells if c.text.strip()]
    return bool(cells) and all(_columns(_Row("", [c], row.table), INDICATOR_HEADINGS)
                               for c in cells)  # fmt: skip


def _heading_cell(cell: Cell, headings) -> bool:
    k = key(cell.text)
    return any(k.startswith(key(n)) for names in headings.values() for n in names)


CATEGORY_ALIASES = {"效果": "效益", "服务对象满意度": "满意度"}


def _category(text: str) -> str:
    """An 一级指标 as the form names its categories: 「产出指标」「预期产出指标」 are 产出,
    「效果指标」 is 效益 (the national names)."""
    k = key(text).removeprefix("预期")
    for alias, word in CATEGORY_ALIASES.items():
        if k.startswith(alias):
            return word
    for word in CATEGORY_WORDS:
        if k.startswith(word):
            return CATEGORY_ALIASES.get(word, word)
    return text.strip()


def _read_fund_items(rows: list[_Row], reading: Reading, used: set[int]) -> None:
    """项目资金构成: the rows under a heading row naming the 子项目 and their amounts, up to the
    next label; the 合计 as written (a formula Excel never computed: the items' sum)."""
    for r, row in enumerate(rows):
        columns = _columns(row, ITEM_HEADINGS)
        if set(columns) != {"name", "amount"} or columns["name"] >= columns["amount"]:
            continue
        if not any(key(c.text).startswith("子项目") or "明细" in c.text for c in row.cells):
            continue
        used.update(id(c) for c in row.cells if _heading_cell(c, ITEM_HEADINGS))
        in_yuan = reading.in_yuan or any(_in_yuan(c.text) for c in row.cells)
        computed_total: tuple[Cell, _Row] | None = None
        for later in rows[r + 1 :]:
            if later.table != row.table and later.table != -1:
                break
            if later.table == -1:
                name_cell, amount_cell = _text_item(later)
            else:
                name_cell = _cell_at(later, columns["name"])
                amount_cell = _cell_at(later, columns["amount"])
            if name_cell is None or not name_cell.text or name_cell is amount_cell:
                if later.table == -1:
                    break
                continue
            if label_of(name_cell.text)[0] or is_section(name_cell.text):
                break
            amount = amount_cell.text if amount_cell is not None else ""
            if key(name_cell.text) in {key(t) for t in TOTALS} or key(name_cell.text).startswith(
                "合计"
            ):
                total = amount or _trailing_amount(name_cell.text)
                used.update({id(name_cell), id(amount_cell)} - {id(None)})
                if not total and amount_cell is not None and amount_cell.formula:
                    computed_total = (name_cell, later)
                elif total:
                    value = _yuan(_amount(total), in_yuan)
                    reading.data["fund_items_total"] = value
                    reading.found.append(Found("fund_items_total", "项目资金构成合计", value,
                                               total, later.where))  # fmt: skip
                if later.table == -1:
                    break
                continue
            if not _is_amount(amount):
                break
            n = len(reading.data["fund_items"])
            name = _NUMBERING.sub("", name_cell.text)  # 「1.公厕提标改造」
            value = _yuan(_amount(amount), in_yuan)
            reading.data["fund_items"].append({"name": name, "amount": value})
            used.update({id(name_cell), id(amount_cell)})
            reading.found.append(Found(f"fund_items-{n}-name", f"第{n + 1}个子项目名称", name,
                                       name_cell.text, later.where))  # fmt: skip
            reading.found.append(Found(f"fund_items-{n}-amount", f"第{n + 1}个子项目金额", value,
                                       amount, later.where))  # fmt: skip
        if reading.data["fund_items"]:
            if computed_total is not None:
                _computed_total(reading, *computed_total)
            return


_NUMBERING = re.compile(r"^\s*[（(]?\d{1,2}[)）.、．]\s*")


def _computed_total(reading: Reading, cell: Cell, row: _Row) -> None:
    """A 合计 that is a formula without a saved value: the sum of the items read."""
    try:
        total = sum(Decimal(i["amount"] or 0) for i in reading.data["fund_items"])
    except InvalidOperation:
        return
    reading.data["fund_items_total"] = format(total, "f")
    reading.found.append(Found("fund_items_total", "项目资金构成合计（按公式计算）",
                               format(total, "f"), cell.text, row.where))  # fmt: skip


_YUAN_NOTE = re.compile(r"单位[:：]元(?![^，,；;]*万)")


def _in_yuan(text: str) -> bool:
    """A heading or note giving amounts in 元 (「金额（元）」「单位：元」), not 万元."""
    text = re.sub(r"\s", "", text)  # 「预算金额（万⏎元）」 wrapped in a narrow PDF cell
    return bool(re.search(r"(?<!万)元[）)]|单位[:：]元(?!\S*万)", text))


def _yuan(value: str, in_yuan: bool) -> str:
    """An amount in 元 as 万元, exactly (to the fen)."""
    if not in_yuan or not value:
        return value
    try:
        wan = Decimal(value) / 10000
    except InvalidOperation:
        return value
    return format(wan.quantize(Decimal("0.01")) if wan == wan.quantize(Decimal("0.01")) else
                  wan.normalize(), "f")  # fmt: skip


def _text_item(row: _Row) -> tuple[Cell | None, Cell | None]:
    """A line of a text extract as a 子项目 and its amount: the number at the line's end."""
    text = " ".join(c.text for c in row.cells)
    match = re.fullmatch(r"(.*?)\s*[:：]?\s*(-?[\d,]+(?:\.\d+)?)\s*(万元)?", text)
    if not match or not match.group(1):
        return None, None
    return Cell(0, 0, match.group(1).strip()), Cell(0, 1, match.group(2))


def _trailing_amount(text: str) -> str:
    match = re.search(r"(-?[\d,]+(?:\.\d+)?)\s*(万元)?$", text)
    return match.group(1) if match else ""


def _is_amount(text: str) -> bool:
    try:
        Decimal(_amount(text))
        return True
    except InvalidOperation:
        return not text.strip()


def _read_fund_sources(rows: list[_Row], reading: Reading, used: set[int]) -> None:
    sources = reading.data["fund_sources"]
    for r, row in enumerate(rows):
        columns = _columns(row, SOURCE_HEADINGS)
        if len(columns) < 2:
            continue
        used.update(
            id(c)
            for c in row.cells
            if _heading_cell(c, SOURCE_HEADINGS) or key(c.text) == "资金来源"
        )
        seen = 0
        for later in rows[r + 1 : r + 12]:
            if later.table != row.table:
                break
            label_cell = next((c for c in later.cells if _source_row(c.text)), None)
            if label_cell is None:
                if seen:
                    break
                continue
            seen += 1
            which = _source_row(label_cell.text)
            used.add(id(label_cell))
            placed = columns
            if later.table == -1:  # a text line: its numbers, the empty columns lost
                numbers = [c for c in later.cells if c is not label_cell]
                order = sorted(columns, key=columns.get)
                if len(numbers) == 2 and len(order) == 3:
                    order = [order[0], order[2]]  # 总额 and 本年度: 上年度 is the one left blank
                placed = {role: c.col for role, c in zip(order, numbers, strict=False)}
            for role, col in placed.items():
                cell = _cell_at(later, col)
                if cell is None or cell is label_cell or not cell.text:
                    continue
                used.add(id(cell))
                sources[which][role] = _amount(cell.text)
                reading.found.append(
                    Found(
                        f"fund_sources-{which}-{role}",
                        "项目资金来源",
                        sources[which][role],
                        cell.text,
                        later.where,
                    )
                )
        if seen:
            _last_year_from_sources(reading)
            return
    _single_column_sources(rows, reading, used)


def _last_year_from_sources(reading: Reading) -> None:
    """A 资金来源 table with 上年度预算安排 and 上年度实际执行 columns (阳泉's): its 本级 row is the
    上年度 use of funds the Suzhou form asks apart."""
    sources, data = reading.data["fund_sources"], reading.data
    spent = {which: row.pop("spent_last_year", "") for which, row in sources.items()}
    municipal = sources["municipal"]
    if spent["municipal"] and not data["ly_spent"]:
        data["ly_spent"] = spent["municipal"]
        if municipal["last_year"] and not data["ly_budget"]:
            data["ly_budget"] = municipal["last_year"]


def _single_column_sources(rows: list[_Row], reading: Reading, used: set[int]) -> None:
    """A 资金申请 block of one amount a line (资金总额, 其中：财政拨款, 其他资金): the year's."""
    sources = reading.data["fund_sources"]
    for index, row in enumerate(rows):
        _sources_under(rows, index, reading, used)
        cells = [c for c in row.cells if c.text and not is_section(c.text) and id(c) not in used]
        if len(cells) != 2 or not _is_amount(cells[1].text) or not cells[1].text.strip():
            continue
        k = key(cells[0].text)
        which = "total" if k in ("资金总额", "年度资金总额", "项目总预算") else _source_row(k)
        if which is None or sources[which]["this_year"]:
            continue
        value = _yuan(_amount(cells[1].text), reading.in_yuan)
        sources[which]["this_year"] = value
        used.update({id(cells[0]), id(cells[1])})
        reading.found.append(Found(f"fund_sources-{which}-this_year", "项目资金来源", value,
                                   cells[1].text, row.where))  # fmt: skip


def _sources_under(rows: list[_Row], index: int, reading: Reading, used: set[int]) -> None:
    """Labels on top: 「年度资金总额（万元）」「其中：财政拨款（万元）」, the amounts beneath."""
    row = rows[index]
    if row.table == -1 or index + 1 >= len(rows) or rows[index + 1].table != row.table:
        return
    sources = reading.data["fund_sources"]
    for cell in row.cells:
        k = key(cell.text)
        which = "total" if k in ("资金总额", "年度资金总额", "项目总预算") else _source_row(k)
        below = _cell_at(rows[index + 1], cell.col)
        if which is None or below is None or id(below) in used or sources[which]["this_year"]:
            continue
        if not below.text.strip() or not _is_amount(below.text):
            continue
        value = _yuan(_amount(below.text), reading.in_yuan)
        sources[which]["this_year"] = value
        used.update({id(cell), id(below)})
        reading.found.append(Found(f"fund_sources-{which}-this_year", "项目资金来源", value,
                                   below.text, rows[index + 1].where))  # fmt: skip


def _source_row(text: str) -> str | None:
    k = key(text)
    for which, names in SOURCE_ROWS.items():
        if any(k == key(n) for n in names):
            return which
    return None
