"""The demo's declarations: the four real seed forms as typed, and the earlier projects of the
same units, each on its unit's seed form with its own name, 项目概况, 项目实施计划 and amount."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from workflow.declaration.seed_forms import SEED_FORMS

CENT = Decimal("0.01")

# 项目实施计划 as units write them: (first month, last month, what, how the date is written) on
# the calendar of a whole year. A project approved in the middle of its year has the same steps
# squeezed into the months left (see plan_text). 终验 + N 年 gives the 质保金 its due.
_PLANS = {
    "system": [
        (1, 3, "项目需求确认、系统设计和方案论证", "range"),
        (4, 5, "完成公开招标并签订合同", "range"),
        (6, 6, "支付合同首付款30%", "month"),
        (6, 9, "系统开发、部署和试运行", "range"),
        (10, 10, "项目上线、初验", "month"),
        (11, 11, "项目终验", "month"),
        (12, 12, "支付合同款的65%，剩余5%质保金于终验起算3年后支付", "month"),
    ],
    "quarters": [
        (1, 3, "完成项目需求调研和可行性论证", "quarter"),
        (4, 4, "完成可行性研究报告评审", "month"),
        (6, 6, "完成公开招标并签订合同", "early"),
        (7, 7, "支付合同款的40%", "month"),
        (6, 10, "完成系统建设和数据对接", "range"),
        (11, 11, "项目上线试运行", "mid"),
        (12, 12, "项目终验", "early"),
        (12, 12, "支付合同款的55%，剩余5%质保金于终验起算3年后支付", "month"),
    ],
    "equipment": [
        (3, 3, "完成设备选型和采购需求论证", "by"),
        (5, 5, "完成政府采购，签订采购合同", "mid"),
        (6, 8, "设备到货、安装调试", "range"),
        (9, 10, "设备试运行", "range"),
        (11, 11, "设备终验", "early"),
        (12, 12, "支付合同款的97%", "month"),
        (None, None, "剩余3%质保金于终验合格之日起2年后支付", ""),
    ],
    "maintenance": [
        (1, 2, "完成运维需求调研和服务方案", "range"),
        (3, 3, "完成政府采购，签订年度运维合同", "month"),
        (4, 11, "按合同提供驻场运维和巡检服务", "range"),
        (6, 6, "支付运维费用的50%", "month"),
        (12, 12, "运维服务考核验收", "mid"),
        (12, 12, "支付剩余50%运维费用", "late"),
    ],
}
_NUMBERED = {"system"}
_WHEN = {"month": "{b}月", "by": "{b}月底前", "early": "{b}月上旬", "mid": "{b}月中旬",
         "late": "{b}月下旬", "quarter": "第一季度"}  # fmt: skip


def plan_text(kind: str, year: int, first_month: int = 1) -> str:
    """A 项目实施计划 of the kind for `year`, its steps spread over the months from
    `first_month` to December, each line dated as people date them (「2026年4到5月：…」)."""
    left = 13 - first_month
    lines = []
    for n, (a, b, what, style) in enumerate(_PLANS[kind], start=1):
        if a is not None:
            a, b = (first_month + (m - 1) * left // 12 for m in (a, b))
            if first_month > 1:  # squeezed: 上旬/中旬 of one month could come out of order
                style = "range" if style in ("range", "quarter") else "month"
            when = f"{a}到{b}月" if style == "range" and a < b else _WHEN.get(style, "{b}月")
            what = f"{year}年{when.format(b=b)}：{what}"
        lines.append(f"{n}、{what}" if kind in _NUMBERED else what)
    return "；\n".join(lines) + "。"


@dataclass(frozen=True)
class Earlier:
    """An earlier project: its unit (the seed of that unit's form), when it is, where it stands.
    `when` is the project year relative to the load year Y (0, -1, -2, -3), or "D": the year
    being declared (Y until August, Y+1 from September, when next year's budget is declared)."""

    unit: str
    name: str
    when: int | str
    state: str  # a state of states.yaml, or "returned" (a draft sent back by the 单位负责人)
    plan: str
    amount: Decimal
    summary: str


def _e(unit, name, when, state, plan, amount, summary) -> Earlier:
    return Earlier(unit, name, when, state, plan, Decimal(amount), summary)


# Each unit: archived projects of two and three years ago, last year's in self-evaluation, this
# year's in implementation, and the next declarations on their way. The states of the three
# units together are every state of states.yaml. Overdue self-evaluations (a Y-1 project still
# in 自评 after 3月31日) sit in different units, so that no unit collects more than a handful.
EARLIER = [
    _e("000", "苏州市“331”消防安全监管平台一期", -3, "archived", "quarters", "268.50",
       "建设“331”消防安全监管平台一期，实现三合一场所、九小场所隐患的采集和推送。"),
    _e("000", "公安视频监控联网平台扩容", -2, "archived", "system", "412.00",
       "扩容全市公安视频监控联网平台的存储和转发能力，接入社会面视频资源。"),
    _e("000", "基层网格员消防隐患采集终端购置", -1, "self_evaluated", "equipment", "127.35",
       "为基层网格员配备消防隐患采集终端，现场拍照取证、实时上报。"),
    _e("000", "全市消防物联网远程监控系统", 0, "implementing", "system", "356.80",
       "建设消防物联网远程监控系统，接入重点单位的火灾报警和消防水系统监测数据。"),
    _e("000", "派出所执法记录仪更新购置", "D", "refused", "equipment", "58.60",
       "更新全市派出所超期使用的执法记录仪及配套采集站。"),
    _e("000", "社区消防安全智能预警平台", "D", "unit_review", "quarters", "186.00",
       "在老旧小区部署烟感、电气火灾监测设备，建设社区消防安全智能预警平台。"),
    _e("001", "应急指挥中心视频会商系统升级", -2, "archived", "quarters", "318.50",
       "升级市应急指挥中心视频会商系统，实现与各区、重点企业的高清会商。"),
    _e("001", "安全生产执法装备更新", -1, "evaluation_unit_review", "equipment", "142.70",
       "更新安全生产执法人员的便携式检测仪器和执法终端。"),
    _e("001", "危化品企业在线监测预警系统", 0, "implementing", "quarters", "265.00",
       "接入全市危化品重大危险源企业的在线监测数据，建设监测预警系统。"),
    _e("001", "森林防火视频监测系统", "D", "approved", "system", "378.20",
       "在重点林区建设森林防火视频监测点，实现火情自动识别和报警。"),
    _e("001", "应急广播系统运维", "D", "returned", "maintenance", "45.90",
       "对全市应急广播系统进行年度运维，保障预警信息发布畅通。"),
    _e("002", "住房保障信息系统改造", -2, "archived", "system", "96.40",
       "改造住房保障信息系统，实现保障房申请、审核、分配的全流程网上办理。"),
    _e("002", "建筑工地扬尘在线监测运维", -1, "evaluating", "maintenance", "52.40",
       "对全市建筑工地扬尘在线监测设备进行年度运维和数据质量保障。"),
    _e("002", "既有建筑安全监测传感设备购置", 0, "implementing", "equipment", "73.50",
       "为重点既有建筑布设倾斜、裂缝监测传感设备，接入房屋安全监管平台。"),
    _e("002", "物业管理信用评价平台", "D", "declared", "system", "64.20",
       "建设物业服务企业信用评价平台，实现信用信息归集、评价和公示。"),
    _e("002", "建筑市场监管一体化平台升级", "D", "draft", "quarters", "118.00",
       "升级建筑市场监管一体化平台，打通招投标、施工许可和竣工验收数据。"),
]  # fmt: skip

_SEED_TEXTS = ("project_type", "project_attribute", "summary", "basis", "necessity",
               "safeguards", "implementation_plan", "overall_goal", "annual_goal",
               "other_notes", "filled_by")  # fmt: skip


def _text(value) -> str:
    return "" if value is None else str(value)


def seed_form_data(seed: str) -> dict[str, Any]:
    """A seed declaration (typed in faithfully in seed_forms.py) as the form posts it."""
    form = SEED_FORMS[seed]
    yes_no = {True: "是", False: "否", None: ""}
    data: dict[str, Any] = {key: form[key] for key in _SEED_TEXTS}
    data |= {"name": form["name"], "year": str(form["year"]), "unit_head_name": form["unit_head"],
             "filled_on": form["filled_on"].isoformat() if form["filled_on"] else "",
             "government_procurement": yes_no[form["government_procurement"]],
             "government_service_purchase": yes_no[form["government_service_purchase"]],
             "fund_items_total": _text(form["fund_items_total"])}  # fmt: skip
    data |= {f"ly_{key}": _text(value) for key, value in form["last_year"].items()}
    data["leaders"] = [{"name": name} for name in form["leaders"]]
    data["contacts"] = [{"name": name, "phone": phone} for name, phone in form["contacts"]]
    data["fund_items"] = [{"name": n, "amount": _text(a)} for n, a in form["fund_items"]]
    rows = {**form["fund_sources"], "total": form["fund_source_totals"]}
    data["fund_sources"] = {
        key: dict(zip(("total", "last_year", "this_year"), map(_text, cells), strict=True))
        for key, cells in rows.items()
    }
    data["indicators"] = [
        {**{k: row[k] for k in ("category", "name", "target", "explanation", "evidence")},
         "sub_projects": "\n".join(row["sub_projects"])}
        for row in form["indicators"]
    ]  # fmt: skip
    return data


def earlier_form(project: Earlier, year: int, plan: str) -> dict[str, Any]:
    """An earlier project's declaration: its unit's seed form with the project's own name,
    项目概况, plan and amount (every money figure scaled with it, so the sums still agree)."""
    data = _scaled(seed_form_data(project.unit), project.amount)
    if len(data["fund_items"]) == 1:  # the single 子项目 is the project itself
        data["fund_items"] = [{"name": project.name, "amount": data["fund_items"][0]["amount"]}]
    data |= {"name": project.name, "year": str(year), "summary": project.summary,
             "implementation_plan": plan}  # fmt: skip
    return _with_known_sub_projects(data)


def _with_known_sub_projects(data: dict[str, Any]) -> dict[str, Any]:
    """The seed's 对应子项目 put right (the real forms truncate or omit some), so that the
    project can move through the lifecycle."""
    names = [item["name"] for item in data["fund_items"]]
    indicators = [
        {**row, "sub_projects": row["sub_projects"]
         if row["category"] == "投入" or set(row["sub_projects"].split("\n")) <= set(names)
         else names[0]}
        for row in data["indicators"]
    ]  # fmt: skip
    return {**data, "indicators": indicators}


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _scaled(data: dict[str, Any], amount: Decimal) -> dict[str, Any]:
    """The form with its 资金构成 summing to `amount`, and the 资金来源 and 上年度 figures
    scaled alike: the 本年度计划数 column still equals the 合计, each 合计 its column."""
    items = data["fund_items"]
    factor = amount / sum(Decimal(i["amount"]) for i in items)
    amounts = [_money(Decimal(i["amount"]) * factor) for i in items]
    amounts[-1] = amount - sum(amounts[:-1])  # the rounding goes to the last 子项目
    data["fund_items"] = [{**i, "amount": str(a)} for i, a in zip(items, amounts, strict=True)]
    data["fund_items_total"] = str(amount)
    for key in ("ly_budget", "ly_appropriated", "ly_spent"):
        if data.get(key):
            data[key] = str(_money(Decimal(data[key]) * factor))
    sources = {k: dict(v) for k, v in data["fund_sources"].items() if k != "total"}
    for row in sources.values():
        for column, value in row.items():
            row[column] = str(_money(Decimal(value) * factor)) if value else ""
    planned = [row for row in sources.values() if row["this_year"]]
    planned[0]["this_year"] = str(amount - sum(Decimal(row["this_year"]) for row in planned[1:]))
    written = data["fund_sources"]["total"]
    sources["total"] = {
        column: str(sum(Decimal(row[column] or 0) for row in sources.values())) if text else ""
        for column, text in written.items()
    }
    data["fund_sources"] = sources
    return data
