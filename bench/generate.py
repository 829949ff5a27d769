"""A province-scale benchmark dataset, written straight into a new PostgreSQL database.

    .venv/bin/python -m bench.generate --url postgresql://postgres@127.0.0.1:5432/jixiao_bench \\
        --projects 100000 --today 2026-12-02 [--force]

The database is created (an existing one is refused unless --force, which drops it), migrated by
the project's own Alembic migrations, and filled with COPY: units and their people, projects of
five years in every state of states.yaml, each row as the application leaves it in that state
(declarations with their 分解目标, frozen 自评 indicators from approval on, confirmed milestones
recorded as units record them, a 自评表 from 开始自评 on), the audit trail of every step with a
hash chain that verifies, and the messages and reminders of the last months. Every run with the
same arguments gives the same data.

Accounts (see `usernames`): all share the password `bench2026`.

    admin / secadmin / auditor    系统管理员 / 安全管理员 / 安全审计员
    cz01 … cz20                   财政审核人 (units // 10 of them, at least 3)
    u001_tb1 … u001_tb14          填报人 of unit 1 (unit n is units.id = n; 6–14 per unit)
    u001_fzr, u001_fzr2           单位负责人 of unit 1 (one or two per unit)

How it goes: indexes and constraints are dropped before the load and made again after it (from
their own definitions, so the schema is the migrations' exactly); each big table is loaded on a
connection of its own, all at once, so the server parses while Python generates; the audit trail
is sorted by time over all projects before its hashes are chained. The append-only triggers of
audit_events refuse UPDATE, DELETE and TRUNCATE only, so COPY passes them and they stay installed.
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import datetime as dt
import functools
import json
import marshal
import math
import mmap
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace as NS
from typing import Any

import psycopg
from dateutil.relativedelta import relativedelta
from psycopg import sql

from web.migrate import upgrade
from workflow.audit.algorithms import configured_alg
from workflow.audit.chain import GENESIS, canonical_json, compute_hash
from workflow.db import fen_to_wan
from workflow.declaration.operations import standard_input_indicators
from workflow.declaration.snapshot import diff, flatten
from workflow.declaration.targets import Direction, parse_target
from workflow.evaluation.models import EVALUATION_FIELDS
from workflow.lifecycle.machine import get_lifecycle
from workflow.lifecycle.operations import work_for
from workflow.milestones.models import KIND_LABELS
from workflow.notify.delivery import EMAILS, project_link
from workflow.notify.reminders import (
    ACTION,
    EVALUATION_PENDING,
    HEADLINES,
    OUTLIVE_THE_ARCHIVE,
    schedule,
)
from workflow.numbers import show_wan
from workflow.org.models import Role
from workflow.org.operations import hash_password
from workflow.workdays import is_workday

PASSWORD = "bench2026"
MAIL_DOMAIN = "bench.invalid"  # reserved: no benchmark mail can reach anyone
DEFAULT_SEED = 2026
FEN_PER_CENT = 10_000  # amounts are generated in 0.01 万元 (cents of 万元); 1 cent = 10 000 fen
MESSAGE_DAYS = 120  # workflow messages are made for the events of the last this many days
REMINDER_DAYS = 30  # reminders (and their messages) for the days before today, this many

# --- units -----------------------------------------------------------------------------------

CITY = "苏州市"
# 市级预算单位: (name after 苏州市, domain, size 1–5). Size sets the staff and the project share.
MUNICIPAL = [
    ("公安局", "police", 5), ("教育局", "education", 5), ("卫生健康委员会", "health", 5),
    ("交通运输局", "transport", 4), ("水务局", "water", 4), ("住房和城乡建设局", "housing", 4),
    ("生态环境局", "ecology", 4), ("农业农村局", "agriculture", 4), ("城市管理局", "urban", 4),
    ("第一人民医院", "health", 4), ("文化广电和旅游局", "culture", 3),
    ("应急管理局", "emergency", 3),
    ("民政局", "civil", 3), ("人力资源和社会保障局", "labour", 3), ("市场监督管理局", "market", 3),
    ("自然资源和规划局", "land", 3), ("科学技术局", "science", 3), ("大数据管理局", "data", 3),
    ("工业和信息化局", "industry", 3), ("疾病预防控制中心", "health", 3),
    ("消防救援支队", "emergency", 3),
    ("园林和绿化管理局", "urban", 3), ("职业技术学院", "education", 3), ("中医医院", "health", 3),
    ("发展和改革委员会", "general", 2), ("财政局", "general", 2), ("商务局", "commerce", 2),
    ("体育局", "sports", 2), ("司法局", "justice", 2), ("医疗保障局", "health", 2),
    ("机关事务管理局", "general", 2), ("行政审批局", "data", 2), ("政务服务管理办公室", "data", 2),
    ("图书馆", "culture", 2), ("博物馆", "culture", 2), ("急救中心", "health", 2),
    ("水利工程管理处", "water", 2), ("交通运输综合行政执法支队", "transport", 2),
    ("生态环境监测站", "ecology", 2), ("农业技术推广中心", "agriculture", 2),
    ("第一中学", "education", 2), ("妇幼保健院", "health", 2), ("社会福利院", "civil", 2),
    ("残疾人联合会", "civil", 2), ("审计局", "general", 1), ("统计局", "general", 1),
    ("退役军人事务局", "civil", 1), ("档案馆", "culture", 1), ("气象局", "ecology", 1),
    ("地方金融监督管理局", "general", 1), ("住房公积金管理中心", "housing", 1),
    ("人民防空办公室", "emergency", 1), ("粮食和物资储备局", "agriculture", 1),
    ("动物疫病预防控制中心", "agriculture", 1), ("实验小学", "education", 1),
    ("特殊教育学校", "education", 1), ("总工会", "civil", 1), ("妇女联合会", "civil", 1),
    ("科学技术协会", "science", 1), ("文学艺术界联合会", "culture", 1),
]  # fmt: skip
# 区、县级市: (short name used in project names, full prefix of unit names).
DISTRICTS = [
    ("姑苏区", "苏州市姑苏区"), ("吴中区", "苏州市吴中区"), ("相城区", "苏州市相城区"),
    ("吴江区", "苏州市吴江区"), ("虎丘区", "苏州市虎丘区"), ("工业园区", "苏州工业园区"),
    ("常熟市", "常熟市"), ("张家港市", "张家港市"), ("昆山市", "昆山市"), ("太仓市", "太仓市"),
]  # fmt: skip
DISTRICT_BUREAUS = [
    ("公安分局", "police", 3), ("教育局", "education", 3), ("卫生健康委员会", "health", 3),
    ("住房和城乡建设局", "housing", 2), ("交通运输局", "transport", 2), ("水务局", "water", 2),
    ("农业农村局", "agriculture", 2), ("民政局", "civil", 2), ("城市管理局", "urban", 2),
    ("人力资源和社会保障局", "labour", 1), ("应急管理局", "emergency", 1),
    ("文化体育和旅游局", "culture", 1), ("市场监督管理局", "market", 1),
    ("生态环境局", "ecology", 1),
]  # fmt: skip


@dataclass(frozen=True)
class UnitSpec:
    number: int  # units.id
    code: str
    name: str  # 预算单位 as registered: 苏州市公安局, 苏州市姑苏区教育局
    short: str  # as project names say it: 市公安局, 姑苏区教育局
    domain: str
    size: int


def _unit_catalogue() -> list[UnitSpec]:
    units = [
        UnitSpec(0, f"{100 + i:06d}", f"{CITY}{name}", f"市{name}", domain, size)
        for i, (name, domain, size) in enumerate(MUNICIPAL)
    ]
    for d, (short, prefix) in enumerate(DISTRICTS):
        for b, (name, domain, size) in enumerate(DISTRICT_BUREAUS):
            units.append(UnitSpec(0, f"{300000 + d * 100 + b:06d}", f"{prefix}{name}",
                                  f"{short}{name}", domain, size))  # fmt: skip
    return [UnitSpec(n, u.code, u.name, u.short, u.domain, u.size)
            for n, u in enumerate(units, start=1)]  # fmt: skip


UNITS = _unit_catalogue()
MAX_UNITS = len(UNITS)  # 200


def unit_count(projects: int) -> int:
    """Units for a dataset of `projects`: 200 at 100,000 projects, at least 20."""
    return max(20, min(MAX_UNITS, projects // 500))


def reviewer_count(units: int) -> int:
    return max(3, units // 10)


def unit_staff(unit_number: int) -> tuple[int, int]:
    """(填报人, 单位负责人) of unit `unit_number` (1-based, = units.id): 6–14 and 1–2."""
    size = UNITS[unit_number - 1].size
    return 4 + 2 * size, 2 if size >= 2 else 1


def filler_username(unit_number: int, n: int) -> str:
    return f"u{unit_number:03d}_tb{n}"


def head_username(unit_number: int, n: int) -> str:
    return f"u{unit_number:03d}_fzr" + (str(n) if n > 1 else "")


def usernames(role: str | Role, units: int = MAX_UNITS) -> list[str]:
    """Every account of a role in a dataset of `units` units (`unit_count(projects)`, 200 at
    100,000 projects), in id order; all share the password `PASSWORD`. Role: filler (填报人),
    unit_head (单位负责人), reviewer (财政审核人), or one of the 三员 (one account each)."""
    role = Role(role)
    officers = {Role.admin: "admin", Role.security_admin: "secadmin", Role.auditor: "auditor"}
    if role in officers:
        return [officers[role]]
    if role == Role.reviewer:
        return [f"cz{n:02d}" for n in range(1, reviewer_count(units) + 1)]
    out = []
    for u in range(1, units + 1):
        fillers, heads = unit_staff(u)
        if role == Role.filler:
            out += [filler_username(u, n) for n in range(1, fillers + 1)]
        else:
            out += [head_username(u, n) for n in range(1, heads + 1)]
    return out


# --- what projects are about ------------------------------------------------------------------

# Archetypes: what kind of work a project is. Each has its 项目类型, its 子项目, its plan (the
# milestones), its indicators and its wording.
PROJECT_TYPES = {
    "system": "信息化工程及维护类",
    "maintenance": "信息化工程及维护类",
    "equipment": "设备购置及维护类",
    "construction": "基本建设及维护类",
    "service": "公共事业类",
    "policy": "政策类",
}
SUFFIXES = {
    "system": ["建设", "建设", "升级改造", "二期建设", "扩容改造", "一期建设"],
    "maintenance": ["运维", "运行维护", "维护保障"],
    "equipment": ["购置", "更新购置", "采购"],
    "construction": ["建设", "改造", "维修改造", "提升改造"],
    "service": ["服务", "购买服务", "专项"],
    "policy": ["补助", "专项资金", "奖补资金"],
}
AMOUNT_MEDIAN = {
    "system": 180,
    "maintenance": 45,
    "equipment": 90,
    "construction": 420,
    "service": 60,
    "policy": 260,
}  # fmt: skip  (万元)

S, M, E, C, V, P = "system", "maintenance", "equipment", "construction", "service", "policy"
TOPICS = {
    "police": [("消防安全监管平台", S), ("视频监控联网平台", S), ("社会治安防控体系", S),
               ("智慧交通信号控制系统", S), ("执法办案管理中心", S), ("公安信息网", M),
               ("视频监控点位", M), ("执法记录仪", E), ("警用无人机", E), ("警用装备", E),
               ("派出所业务用房", C), ("道路交通安全设施", C), ("反诈宣传", V),
               ("辅警队伍培训", V), ("见义勇为人员奖励", P)],
    "education": [("智慧校园平台", S), ("教育资源公共服务平台", S), ("校园网", M),
                  ("中小学教学设备", E), ("实验室仪器设备", E), ("校舍安全", C),
                  ("学校运动场", C), ("学生食堂", C), ("教师培训", V), ("课后服务", V),
                  ("家庭经济困难学生资助", P), ("学前教育奖补", P), ("职业教育实训基地", C)],
    "health": [("全民健康信息平台", S), ("互联网医院", S), ("医院信息系统", M),
               ("医用影像设备", E), ("急救车辆及车载设备", E), ("基层医疗卫生机构设备", E),
               ("门急诊综合楼", C), ("发热门诊", C), ("基本公共卫生服务", V),
               ("家庭医生签约服务", V), ("重大传染病防控", V), ("计划生育家庭奖励扶助", P),
               ("基层卫生人才培养", P)],
    "transport": [("综合交通运行监测平台", S), ("公交智能调度系统", S), ("交通执法系统", M),
                  ("农村公路", C), ("公路安全生命防护工程", C), ("公交候车亭", C),
                  ("交通执法装备", E), ("新能源公交车", E), ("城乡公交运营", P),
                  ("航道养护", V)],
    "water": [("智慧水务平台", S), ("防汛防旱指挥系统", S), ("水文监测站网", M),
              ("河道综合整治", C), ("泵站更新改造", C), ("农村生活污水治理", C),
              ("排涝设备", E), ("河湖长制", V), ("水环境监测", V), ("节水型社会建设", P)],
    "housing": [("住房保障信息系统", S), ("建筑市场监管平台", S), ("老旧小区", C),
                ("城镇燃气管网", C), ("既有住宅加装电梯", P), ("保障性租赁住房", P),
                ("建筑工地扬尘监测", M), ("房屋安全检测", V), ("物业管理信用评价", S)],
    "ecology": [("生态环境监测监控平台", S), ("污染源在线监控系统", M), ("大气自动监测站", E),
                ("水质自动监测站", E), ("土壤污染状况调查", V), ("环境执法", V),
                ("生态补偿", P), ("重点区域生态修复", C), ("气象预警信息发布系统", S)],
    "agriculture": [("农业农村大数据平台", S), ("高标准农田", C), ("农田水利设施", C),
                    ("农机购置", P), ("耕地地力保护", P), ("动物防疫", V),
                    ("农产品质量安全检测", E), ("美丽乡村", C), ("粮食储备", V),
                    ("农村人居环境整治", C)],
    "urban": [("数字城管平台", S), ("城市照明", M), ("环卫作业车辆", E), ("垃圾分类", V),
              ("市政道路", C), ("城市绿地", C), ("公园景观", C), ("行道树养护", V),
              ("公共厕所", C), ("餐厨垃圾处置", P)],
    "culture": [("智慧文旅平台", S), ("公共数字文化服务", S), ("文物保护", C),
                ("公共文化场馆", C), ("图书购置", E), ("非遗保护", V), ("文化惠民演出", V),
                ("旅游宣传推广", V), ("文艺精品创作扶持", P), ("档案数字化", V)],
    "emergency": [("应急指挥平台", S), ("危化品安全风险监测预警系统", S), ("应急广播系统", M),
                  ("应急救援装备", E), ("消防车辆及器材", E), ("应急避难场所", C),
                  ("安全生产执法检查", V), ("森林防火", V), ("人防工程", C)],
    "civil": [("民政综合业务平台", S), ("养老服务信息平台", S), ("居家养老服务", V),
              ("困难群众救助", P), ("残疾人康复", V), ("社区服务中心", C),
              ("殡葬服务设施", C), ("社会组织培育", V), ("高龄津贴", P), ("退役军人服务", V)],
    "labour": [("人社一体化信息平台", S), ("社保卡应用", M), ("职业技能培训", V),
               ("创业担保贷款贴息", P), ("就业见习补贴", P), ("劳动保障监察", V),
               ("人才公寓", C), ("公共就业服务", V)],
    "market": [("智慧市场监管平台", S), ("食品安全快速检测", E), ("特种设备安全监管", V),
               ("计量检定设备", E), ("知识产权资助", P), ("食品安全抽检", V),
               ("信用监管系统", M)],
    "land": [("国土空间基础信息平台", S), ("不动产登记系统", M), ("地质灾害防治", C),
             ("自然资源调查监测", V), ("测绘成果更新", V), ("耕地保护补偿", P)],
    "science": [("科技创新服务平台", S), ("科技计划项目", P), ("高新技术企业培育", P),
                ("科普宣传", V), ("实验室建设", C), ("科研仪器设备", E)],
    "data": [("政务云平台", M), ("一网通办平台", S), ("数据共享交换平台", S),
             ("政务外网", M), ("12345热线", V), ("城市运行管理中心", S),
             ("网络安全等级保护测评", V), ("电子证照库", S)],
    "industry": [("工业互联网平台", S), ("智能化改造", P), ("中小企业服务", V),
                 ("工业企业安全监测", S), ("专精特新企业培育", P)],
    "commerce": [("商务运行监测系统", S), ("外贸稳增长", P), ("消费促进活动", V),
                 ("农贸市场", C), ("电子商务发展", P)],
    "sports": [("全民健身设施", C), ("体育场馆", C), ("体育赛事", V), ("青少年体育培训", V),
               ("体育彩票公益金", P)],
    "justice": [("公共法律服务平台", S), ("法律援助", V), ("社区矫正", V), ("人民调解", V),
                ("司法所业务用房", C)],
    "general": [("财政一体化系统", S), ("政府投资项目评审", V), ("统计调查", V),
                ("审计业务", V), ("机关办公用房", C), ("公务用车", E), ("政策研究", V)],
}  # fmt: skip
GENERIC_TOPICS = [("办公设备", E), ("信息系统", M), ("业务培训", V), ("网络安全", V),
                  ("办公楼", C), ("档案管理", V)]  # fmt: skip
QUALIFIERS = ["", "", "", "", "", "", "（一期）", "（续建）", "（二期）"]

# 子项目 of each archetype ("{t}" is the topic); a project has the first one to four.
FUND_ITEMS = {
    S: ["{t}软件开发", "硬件设备及系统集成", "数据治理及接口对接", "等保测评及工程监理"],
    M: ["{t}运维服务", "备品备件", "安全巡检及应急保障", "第三方评估"],
    E: ["{t}设备", "安装调试", "配套软件", "人员培训"],
    C: ["{t}工程施工", "工程设计", "工程监理", "设备及安装"],
    V: ["{t}服务采购", "宣传及资料印制", "第三方评估", "组织实施"],
    P: ["{t}资金", "项目评审及核查", "绩效评价", "政策宣传"],
}

# Milestones of each archetype, in order: (kind, title, payment share or None, optional).
# "final" marks the 终验 a 质保金 is counted from; the warranty row gives (share, years).
PLAN_STEPS = {
    S: [("phase", "需求调研、系统设计和方案论证", None, True),
        ("procurement", "完成公开招标并签订合同", None, False),
        ("payment", "支付合同首付款{p}%", "first", True),
        ("phase", "系统开发、部署和试运行", None, False),
        ("acceptance", "项目终验", "final", False),
        ("payment", "支付合同款的{p}%", "rest", False),
        ("warranty_release", "支付质保金（合同款的{p}%）", "warranty", False)],
    E: [("procurement", "完成政府采购，签订采购合同", None, False),
        ("phase", "设备到货、安装调试", None, False),
        ("phase", "设备试运行", None, True),
        ("acceptance", "设备终验", "final", False),
        ("payment", "支付合同款的{p}%", "rest", False),
        ("warranty_release", "支付质保金（合同款的{p}%）", "warranty", False)],
    C: [("phase", "完成施工图设计和预算评审", None, True),
        ("procurement", "完成施工招标并签订施工合同", None, False),
        ("payment", "支付工程预付款{p}%", "first", True),
        ("phase", "工程施工", None, False),
        ("acceptance", "竣工验收", "final", False),
        ("payment", "支付至合同价的{p}%", "rest", False),
        ("warranty_release", "支付工程质保金（合同价的{p}%）", "warranty", False)],
    M: [("procurement", "完成政府采购，签订年度运维合同", None, False),
        ("phase", "按合同提供驻场运维和巡检服务", None, False),
        ("payment", "支付运维费用的50%", "half", False),
        ("acceptance", "运维服务考核验收", None, False),
        ("payment", "支付剩余50%运维费用", "half", False)],
    V: [("procurement", "确定服务供应商并签订服务合同", None, False),
        ("phase", "组织实施，开展服务", None, False),
        ("payment", "支付服务费用的60%", "sixty", True),
        ("phase", "中期检查", None, True),
        ("acceptance", "服务验收及绩效评估", None, False),
        ("payment", "支付剩余服务费用", "forty", False)],
    P: [("phase", "发布申报通知，组织项目申报", None, False),
        ("phase", "完成审核、公示", None, False),
        ("payment", "拨付补助资金", "all", False),
        ("acceptance", "开展绩效跟踪检查", None, True)],
}  # fmt: skip

_PLAN_NOTES = {"phase": "已完成", "procurement": "已完成采购，合同已签订", "acceptance": "验收合格",
               "payment": "已按合同支付", "warranty_release": "质保期满，已支付质保金"}  # fmt: skip

# 分解目标 beyond the 14 standard 投入 rows: (name, 目标值 with {n}, (low, high, step) or None,
# 指标解释, 目标值来源).
OUTPUTS = {
    S: [("系统功能模块开发数", "≥{n}个", (6, 24, 1), "反映系统建设内容的完成情况",
            "可研方案、合同"),
        ("平台建设数量", "=1个", None, "反映项目资金建设规模", "可研方案、合同"),
        ("系统验收合格率", "=100%", None, "反映系统建设质量", "验收报告"),
        ("数据接入部门数", "≥{n}个", (5, 40, 1), "反映数据汇聚的范围", "接口清单"),
        ("培训参与人数", "≥{n}人", (50, 600, 10), "根据新平台要求开展培训，参与培训的人数",
            "培训签到表"),
        ("培训次数", "≥{n}次", (3, 20, 1), "根据新平台的要求开展的培训次数", "培训通知"),
        ("系统按期上线", "及时完成", None, "反映项目实施进度", "上线报告"),
        ("等保测评通过率", "=100%", None, "反映系统安全防护水平", "等保测评报告")],
    M: [("运维服务响应时间", "≤{n}小时", (1, 4, 1), "反映运维服务的及时性", "运维合同"),
        ("巡检次数", "≥{n}次", (12, 52, 4), "反映日常巡检的频次", "巡检记录"),
        ("设备完好率", "≥{n}%", (95, 99, 1), "反映设备运行状况", "运维台账"),
        ("故障处理及时率", "≥{n}%", (90, 98, 1), "反映故障处理效率", "运维工单"),
        ("运维覆盖点位数", "≥{n}个", (50, 2000, 50), "反映运维服务范围", "点位清单"),
        ("运维服务考核合格", "合格", None, "反映运维服务质量", "考核报告")],
    E: [("设备购置数量", "≥{n}台", (5, 300, 5), "反映设备购置规模", "采购合同"),
        ("设备验收合格率", "=100%", None, "反映设备质量", "验收单"),
        ("设备按期到货率", "=100%", None, "反映采购执行进度", "到货签收单"),
        ("设备安装调试完成率", "=100%", None, "反映设备安装进度", "调试报告"),
        ("操作人员培训人数", "≥{n}人", (10, 200, 5), "反映设备操作培训情况", "培训记录")],
    C: [("建设面积", "≥{n}平方米", (500, 30000, 500), "反映工程建设规模", "施工合同"),
        ("工程验收合格率", "=100%", None, "反映工程质量", "竣工验收报告"),
        ("工程按期完工率", "=100%", None, "反映工程进度", "监理报告"),
        ("改造道路长度", "≥{n}公里", (1, 30, 1), "反映道路改造规模", "设计文件"),
        ("安全生产事故", "≤0次", None, "反映施工安全管理", "安全台账"),
        ("改造项目个数", "≥{n}个", (2, 40, 1), "反映改造任务完成情况", "项目清单")],
    V: [("服务人次", "≥{n}人次", (500, 50000, 500), "反映服务覆盖面", "服务台账"),
        ("活动场次", "≥{n}场", (5, 120, 5), "反映活动开展情况", "活动记录"),
        ("培训人数", "≥{n}人", (50, 3000, 50), "反映培训覆盖面", "培训签到表"),
        ("宣传资料发放数", "≥{n}份", (1000, 50000, 1000), "反映宣传覆盖面", "发放登记"),
        ("服务完成率", "=100%", None, "反映服务合同履行情况", "验收报告"),
        ("检查覆盖率", "≥{n}%", (80, 100, 5), "反映监督检查覆盖面", "检查记录")],
    P: [("补助对象户数", "≥{n}户", (100, 20000, 100), "反映政策覆盖面", "补助名册"),
        ("补助资金发放及时率", "=100%", None, "反映资金拨付进度", "拨付凭证"),
        ("补助标准执行准确率", "=100%", None, "反映政策执行规范性", "审核记录"),
        ("扶持企业数", "≥{n}家", (10, 500, 10), "反映政策扶持范围", "扶持名单"),
        ("申报审核完成率", "=100%", None, "反映申报审核工作进度", "审核报告")],
}  # fmt: skip
RESULTS = {
    S: [("系统运行稳定率", "≥{n}%", (95, 99, 1), "反映系统运行情况", "运行日志"),
        ("业务办理效率提升率", "≥{n}%", (10, 40, 5), "与系统上线前相比业务办理时间缩短的比例",
            "业务统计"),
        ("数据共享率", "≥{n}%", (80, 98, 2), "反映数据共享应用水平", "平台统计"),
        ("隐患推送率", "≥{n}%", (90, 98, 1), "根据新平台的工作要求结合实际工作情况",
            "平台统计"),
        ("平台应用度", "≥{n}%", (85, 98, 1), "成员单位使用平台的比率", "平台统计")],
    M: [("系统可用率", "≥{n}%", (98, 99, 1), "反映运维保障效果", "运行日志"),
        ("重大运行事故", "≤0次", None, "反映运行安全", "运维台账"),
        ("用户问题解决率", "≥{n}%", (90, 99, 1), "反映运维服务效果", "运维工单")],
    E: [("设备使用率", "≥{n}%", (85, 98, 1), "反映设备使用效率", "使用记录"),
        ("设备故障率", "≤{n}%", (2, 5, 1), "反映设备运行质量", "维修记录"),
        ("业务处置能力提升", "明显提升", None, "反映设备投入后的业务效果", "工作总结")],
    C: [("工程投入使用率", "=100%", None, "反映工程发挥效益情况", "使用记录"),
        ("群众出行便利度", "显著提升", None, "反映工程社会效益", "调查报告"),
        ("工程质量达标率", "=100%", None, "反映工程质量", "质量检测报告")],
    V: [("服务目标完成率", "≥{n}%", (90, 100, 5), "反映服务目标实现情况", "服务报告"),
        ("问题整改率", "≥{n}%", (85, 98, 1), "反映检查发现问题的整改情况", "整改台账"),
        ("知晓率", "≥{n}%", (80, 95, 5), "反映宣传效果", "问卷调查")],
    P: [("政策目标实现率", "≥{n}%", (90, 100, 5), "反映政策实施效果", "绩效报告"),
        ("资金使用合规率", "=100%", None, "反映补助资金使用规范性", "核查报告"),
        ("受益群体覆盖率", "≥{n}%", (85, 98, 1), "反映政策受益面", "统计报表")],
}  # fmt: skip
IMPACTS = [
    ("服务对象满意度", "≥{n}%", (85, 95, 1), "通过问卷调查了解服务对象满意程度", "满意度调查"),
    ("社会公众满意度", "≥{n}%", (80, 95, 5), "反映社会公众对项目的认可程度", "满意度调查"),
    ("长效管理机制", "建立", None, "反映项目建成后的长效管理", "管理制度"),
    ("系统维保机制", "建立", None, "反映系统建成后的维保机制", "合同、台账"),
    ("可持续发挥作用年限", "≥{n}年", (3, 10, 1), "反映项目持续发挥效益的年限", "可研报告"),
]  # fmt: skip

# --- wording ------------------------------------------------------------------------------------
# "{u}" is the unit (as project names say it), "{t}" the topic, "{y}" the project year.

SUMMARY_OPENINGS = [
    "该项目系{u}为落实{y}年度重点工作任务，围绕{t}开展的{k}项目。主要包括以下内容：",
    "本项目由{u}组织实施，针对{t}现状存在的短板，按照“统筹规划、分步实施”的思路推进。"
    "本期建设内容主要包括：",
    "为进一步提升{t}工作水平，{u}拟于{y}年实施本项目。项目主要内容如下：",
    "{t}是{u}的一项基础性、经常性工作。{y}年度项目主要包括：",
]
SUMMARY_ITEMS = {
    S: [
        "新建{t}，实现业务数据的统一汇聚和集中展示",
        "平台可视化界面及移动端应用建设",
        "汇聚相关部门业务系统数据，形成基础数据源头库",
        "建设隐患采集、流转和处置闭环模块",
        "建设统计分析和考核评价模块，实现工作质态的量化考核",
        "完成与省、市相关平台的数据对接",
        "部署必要的服务器、存储和网络安全设备",
        "开展系统等级保护测评和操作人员培训",
    ],
    M: [
        "对{t}的软硬件开展日常运行维护",
        "提供7×24小时故障响应和驻场运维服务",
        "定期开展巡检、数据备份和安全加固",
        "对老化设备和备品备件进行更换补充",
        "建立运维工单管理和考核机制",
        "开展年度运行评估并提出优化建议",
    ],
    E: [
        "购置{t}，更新超期服役设备",
        "完成设备的安装、调试和试运行",
        "配套采购设备管理软件并接入现有业务平台",
        "对设备使用人员开展操作培训",
        "建立设备台账和日常维护保养制度",
    ],
    C: [
        "实施{t}主体工程",
        "同步实施配套给排水、电气和消防工程",
        "完成场地平整、道路及绿化等附属工程",
        "对既有设施进行安全检测和加固",
        "完善无障碍设施和标识系统",
        "落实施工期安全文明措施",
    ],
    V: [
        "通过政府购买服务方式开展{t}工作",
        "组织开展专题活动和集中宣传",
        "委托专业机构开展第三方评估",
        "建立服务对象档案和回访机制",
        "编印宣传资料和工作手册",
    ],
    P: [
        "按照政策规定对符合条件的对象发放{t}",
        "组织项目申报、审核和公示",
        "委托第三方机构开展资金使用核查",
        "开展政策宣传解读",
        "建立补助资金发放台账和绩效跟踪机制",
    ],
}
KIND_WORDS = {S: "信息化", M: "运维", E: "设备购置", C: "建设", V: "公共服务", P: "政策性"}
BASIS = {
    "police": [
        "《中华人民共和国消防法》",
        "《公安部关于加强公安信息化建设的意见》",
        "《江苏省社会治安防控体系建设规划》",
    ],
    "education": [
        "《中国教育现代化2035》",
        "《教育信息化2.0行动计划》",
        "《江苏省教育现代化建设规划》",
    ],
    "health": [
        "《“健康中国2030”规划纲要》",
        "《全民健康信息化规划》",
        "《江苏省卫生健康事业发展规划》",
    ],
    "transport": ["《交通强国建设纲要》", "《江苏省“十四五”综合交通运输体系规划》"],
    "water": [
        "《中华人民共和国水法》",
        "《江苏省河道管理条例》",
        "《太湖流域水环境综合治理总体方案》",
    ],
    "housing": [
        "《关于全面推进城镇老旧小区改造工作的指导意见》",
        "《江苏省住房城乡建设事业发展规划》",
    ],
    "ecology": ["《中华人民共和国环境保护法》", "《江苏省生态环境监测监控系统建设三年行动计划》"],
    "agriculture": ["《乡村振兴战略规划》", "《江苏省高标准农田建设规划》"],
    "urban": ["《城市市容和环境卫生管理条例》", "《江苏省城市管理条例》"],
    "culture": ["《中华人民共和国公共文化服务保障法》", "《江苏省“十四五”文化和旅游发展规划》"],
    "emergency": [
        "《中华人民共和国安全生产法》",
        "《应急管理部关于加快编制地方应急管理信息化发展规划的通知》",
        "《江苏省应急管理信息化发展规划（2019-2022年）》",
    ],
    "civil": ["《江苏省养老服务条例》", "《社会救助暂行办法》"],
    "labour": ["《中华人民共和国就业促进法》", "《江苏省职业技能提升行动实施方案》"],
    "market": ["《中华人民共和国食品安全法》", "《市场监管总局关于加强智慧监管的意见》"],
    "land": ["《中华人民共和国土地管理法》", "《地质灾害防治条例》"],
    "science": ["《江苏省科技创新发展规划》", "《关于深化科技体制改革的实施意见》"],
    "data": ["《国务院关于加强数字政府建设的指导意见》", "《江苏省政务数据共享管理办法》"],
    "industry": [
        "《“十四五”智能制造发展规划》",
        "《江苏省制造业智能化改造和数字化转型三年行动计划》",
    ],
    "commerce": ["《关于促进消费扩容提质的意见》", "《江苏省商务发展“十四五”规划》"],
    "sports": ["《全民健身计划（2021—2025年）》", "《江苏省体育发展“十四五”规划》"],
    "justice": ["《中华人民共和国法律援助法》", "《关于加快推进公共法律服务体系建设的意见》"],
    "general": ["《中华人民共和国预算法》", "《关于全面实施预算绩效管理的意见》"],
}
BASIS_COMMON = [
    "《{c}国民经济和社会发展第十四个五年规划纲要》",
    "《{c}{y}年政府工作报告》",
    "{c}人民政府常务会议纪要（{y0}年第{n}次）",
]
NECESSITY = [
    "一是落实上级部门工作要求的重要举措。项目建设是贯彻落实{basis}的具体行动，有利于推动"
    "{t}工作规范化、标准化。",
    "二是满足{u}业务发展的迫切需要。随着工作任务不断加重，现有{t}条件已难以满足实际需要，"
    "亟需通过本项目加以改善。",
    "三是提升公共服务水平的有效手段。项目实施后，将进一步提高服务效率和质量，增强群众的"
    "获得感和满意度。",
    "四是整合资源、提高资金使用效益的必要措施。通过统筹安排，避免重复建设，实现资源共享。",
    "五是防范化解风险的现实需要。项目建设能够及早发现和消除隐患，守牢安全底线。",
]
SAFEGUARDS = [
    "1、按规定流程签订合同；\n2、按合同约定支付款项。",
    "1、成立项目领导小组，明确分管领导和责任科室；\n2、严格执行政府采购和招投标制度；\n"
    "3、建立项目进度月报制度，及时协调解决实施中的问题；\n4、严格按合同约定和工程进度支付资金，"
    "做到专款专用。",
    "为使项目风险降到最低，拟采取以下措施：\n（1）认真考虑、统筹布局，最大程度规避实施风险；\n"
    "（2）深入分析需求、精心设计方案，广泛征求意见；\n（3）重视合同管理，保证问题能得到及时有效的"
    "处理；\n（4）加强项目建设的组织协调工作，专设领导小组负责组织协调。",
    "严格执行《{c}市级财政专项资金管理办法》和单位内部财务管理制度，实行项目负责人制度，"
    "建立健全项目档案，自觉接受财政、审计部门的监督检查。",
]
OVERALL_GOALS = [
    "利用信息化手段将工作流程固化为平台数据，全面提升{t}工作的规范化、精细化水平。",
    "通过项目实施，建成布局合理、功能完善、运行高效的{t}体系，有效满足{u}履职需要。",
    "到项目期末，{t}工作机制更加健全，服务能力明显提升，群众满意度达到90%以上。",
    "按照“统一规划、分步实施、注重实效”的原则，完成{t}各项任务，实现预期社会效益。",
]
ANNUAL_GOALS = [
    "{y}年完成{t}各项建设任务并通过验收，相关单位正常使用。",
    "{y}年度按计划完成项目采购和实施，资金支付进度与合同约定一致，服务对象满意度不低于90%。",
    "完成项目招标及支付工作，提升{t}工作水平，完善相关管理制度。",
    "{y}年内完成{t}的全部工作内容，各项绩效指标达到预期目标。",
]
OTHER_NOTES = ["", "", "", "", "无。", "本项目为跨年度项目，本年度申报的为年度计划数。"]

COMMENTS = {
    "return_to_filler": [
        "请补充项目实施计划中的时间节点。",
        "分解目标中产出指标的目标值不够明确，请细化。",
        "请核对资金构成与资金来源的金额是否一致。",
        "年度绩效目标表述过于笼统，请修改。",
    ],
    "return_for_revision": [
        "项目实施计划缺少明确的时间节点，请补充后重新申报。",
        "产出指标未量化，请按照绩效目标编制要求细化。",
        "请补充项目设立依据的相关批文名称。",
        "资金测算依据不充分，请补充明细后重新申报。",
    ],
    "refuse": [
        "项目绩效目标与部门职能关联不足，本年度不予支持。",
        "受年度财力所限，本年度不予安排，请纳入下年度项目库统筹考虑。",
        "该项目与已安排项目内容重复，不予支持。",
    ],
    "return_evaluation_to_filler": [
        "请补充项目管理存在的问题及原因，并核对资金构成实际金额。",
        "部分指标实际完成值未填写，请补充。",
        "差异说明不够具体，请补充说明原因。",
    ],
    "return_evaluation": [
        "自评表「项目实施情况」过于简略，请补充主要建设内容的完成情况及佐证材料。",
        "实际支付数与资金构成合计不一致，请核实后重新提交。",
        "部分指标实际完成值与佐证材料不符，请核实。",
    ],
}
FIX_WORDS = {  # what the filler changes after a return, by the comment's drift
    "plan": "（已补充各阶段时间节点）",
    "goal": "，并建立长效管理机制",
}
EVALUATION_TEXTS = {
    "implementation": [
        "项目按计划完成建设并通过验收，{t}运行稳定。",
        "项目于{y}年按合同约定完成全部工作内容，各阶段均有会议纪要和验收报告为证。",
        "项目按计划完成需求确认、招标采购、实施和验收，资金按合同约定支付。",
        "{y}年度项目各项任务基本完成，部分子项目因采购周期较长略有延后。",
    ],
    "management_results": [
        "建立了项目管理制度，资金使用规范。",
        "项目实行专人负责，建立了进度台账和资金台账，管理规范有序。",
        "严格执行政府采购和合同管理制度，项目档案完整。",
    ],
    "problems": [
        "部分子项目付款进度滞后于计划。",
        "项目前期论证时间较长，导致招标采购环节有所推迟。",
        "个别指标设置不够科学，实际完成值难以量化。",
        "无重大问题。",
    ],
    "suggestions": [
        "加强合同履约管理，提前做好付款计划。",
        "进一步细化绩效目标，提高指标的可衡量性。",
        "加强项目前期研究，合理安排实施进度。",
        "继续加强。",
    ],
}
MISSED_EXPLANATIONS = ["受采购周期影响，部分任务延至次年完成。", "因实际需求变化，数量有所调整。",
                       "受外部因素影响，未完全达到预期目标。"]  # fmt: skip
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郁"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红梅玉兰志文斌辉鹏飞宇浩然思雨晨欣怡"
    "佳琪子涵梓轩博文海燕春燕小红晓东立新卫东永强建华海成茂荣恬彤"
)


# --- time ---------------------------------------------------------------------------------------

ONE_DAY = dt.timedelta(days=1)
OPEN, CLOSE = 9 * 60, 17 * 60 + 30  # office hours, minutes of the day (China time)


def china_moment(day: dt.date, minute: int) -> dt.datetime:
    """`minute` minutes after midnight of `day` in China (UTC+8, no DST), as UTC."""
    base = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    return base + dt.timedelta(minutes=minute - 8 * 60)


class Calendar:
    """China's working days in a range, for counting working days quickly."""

    def __init__(self, first: dt.date, last: dt.date) -> None:
        days, day = [], first
        while day <= last:
            if is_workday(day):
                days.append(day)
            day += ONE_DAY
        self.days = days
        self.ordinals = [d.toordinal() for d in days]

    def on_or_after(self, day: dt.date, n: int = 0) -> dt.date:
        """The n-th working day after `day` (n = 0: the day itself or the next working day)."""
        i = bisect.bisect_left(self.ordinals, day.toordinal()) + n
        return self.days[min(max(i, 0), len(self.days) - 1)]

    def on_or_before(self, day: dt.date, n: int = 0) -> dt.date:
        """The n-th working day before `day` (n = 0: the day itself or the one before)."""
        i = bisect.bisect_right(self.ordinals, day.toordinal()) - 1 - n
        return self.days[min(max(i, 0), len(self.days) - 1)]

    def pick(self, r: random.Random, first: dt.date, last: dt.date) -> dt.date:
        """A working day between `first` and `last` (inclusive), uniformly."""
        a = bisect.bisect_left(self.ordinals, first.toordinal())
        b = bisect.bisect_right(self.ordinals, last.toordinal()) - 1
        return self.days[min(max(a if b < a else _ri(r, a, b), 0), len(self.days) - 1)]


# --- what a year looks like ---------------------------------------------------------------------

# Share of the projects per project year (relative to today's), and of the states within it: a
# province in December. "returned" is a draft sent back (by the 单位负责人 or by finance).
YEAR_SHARES = {-3: 0.20, -2: 0.21, -1: 0.22, 0: 0.23, 1: 0.14}
STATE_SHARES = {
    -3: {"archived": 0.93, "refused": 0.07},
    -2: {"archived": 0.93, "refused": 0.07},
    -1: {"archived": 0.70, "self_evaluated": 0.12, "evaluation_unit_review": 0.04,
         "evaluating": 0.06, "implementing": 0.02, "refused": 0.06},
    0: {"implementing": 0.88, "approved": 0.03, "refused": 0.07, "draft": 0.02},
    1: {"draft": 0.28, "returned": 0.06, "unit_review": 0.14, "declared": 0.34, "approved": 0.12,
        "refused": 0.06},
}  # fmt: skip
CONFIRMED = ("implementing", "evaluating", "evaluation_unit_review", "self_evaluated", "archived")
EVALUATED = ("evaluating", "evaluation_unit_review", "self_evaluated", "archived")
P_LAST_MONTH_DECEMBER = 0.10  # a plan's last month is December (its last steps fall due then)
P_OVERDUE = 0.012  # a milestone of a running project left unrecorded past its due
P_RELEASE_OPEN = 0.04  # a 质保金 release due before today left unrecorded


def allocate(total: int, shares: dict[Any, float]) -> dict[Any, int]:
    """`total` split by `shares` (largest remainder), every share getting at least one when
    there are enough to go round."""
    raw = {k: total * v / sum(shares.values()) for k, v in shares.items()}
    out = {k: int(v) for k, v in raw.items()}
    for k in sorted(raw, key=lambda k: raw[k] - out[k], reverse=True)[: total - sum(out.values())]:
        out[k] += 1
    if total >= len(shares):
        for k in out:
            while out[k] == 0:
                donor = max(out, key=out.get)
                out[donor] -= 1
                out[k] += 1
    return out


@dataclass(slots=True)
class Step:
    """One thing someone did to a project: on `day`, `kind` (create, save, fire, edit, msave,
    confirm, record, esave, eedit), by `actor`; `at` is filled in when the story is timed."""

    day: dt.date
    kind: str
    actor: int
    trigger: str = ""
    comment: str = ""
    fix: str = ""  # for a return: what the filler then corrects
    milestone: int = -1  # for a record: its position
    at: dt.datetime | None = None


@dataclass(slots=True)
class PlannedMilestone:
    kind: str
    title: str
    start: dt.date | None
    due: dt.date | None
    anchor: int | None  # position of the 终验 a 质保金 is counted from
    years: int
    percentage: int | None  # hundredths of a percent
    cents: int | None  # planned amount, 0.01 万元
    source: str
    actual: dt.date | None = None
    paid_cents: int | None = None


@dataclass(slots=True)
class Plan:
    """A project as decided before any row is written: the same for the same seed and index."""

    index: int
    year: int
    state: str
    unit: UnitSpec
    arch: str
    topic: str
    name: str
    cents: int
    filler: int
    head: int
    reviewer: int
    reviewer2: int
    milestones: list[PlannedMilestone] = field(default_factory=list)
    plan_text: str = ""
    steps: list[Step] = field(default_factory=list)
    returned_by_finance: bool = False


@dataclass
class Person:
    id: int
    username: str
    name: str
    unit: int | None
    role: str
    email_mode: str
    lazy: bool  # reads nothing of the last weeks


class Dataset:
    """Decides everything: the organisation, each project's story and rows. Pure Python; the
    loader writes what it yields."""

    def __init__(self, projects: int, units: int, today: dt.date, seed: int) -> None:
        self.total, self.today, self.seed = projects, today, seed
        self.units = UNITS[:units]
        self.spec = get_lifecycle().spec
        self.policy = self.spec.reminders
        # Everything happened before today's 08:00 (China), before today's reminder run.
        self.now = china_moment(today, 8 * 60)
        self.first_year = today.year - 3
        self.cal = Calendar(dt.date(self.first_year - 2, 1, 1), today + dt.timedelta(days=60))
        self.last_day = self.cal.on_or_before(today - ONE_DAY)  # the last working day before today
        self.by_trigger = self.spec.by_trigger
        self.stats: Counter[str] = Counter()
        self._people(seed)
        master = random.Random(seed)
        cells = []
        for rel, count in allocate(projects, YEAR_SHARES).items():
            for state, n in allocate(count, STATE_SHARES[rel]).items():
                cells += [(today.year + rel, state)] * n
        master.shuffle(cells)
        self.cells = cells
        weights = [u.size**1.7 for u in self.units]
        self.unit_cum = list(_accumulate(weights))

    # --- the organisation -------------------------------------------------------------------

    def _people(self, seed: int) -> None:
        r = random.Random(seed * 7 + 1)
        people: list[Person] = []

        def add(username, role, unit=None, name=None):
            mode = r.choices(("digest", "each", "off"), (88, 8, 4))[0]
            people.append(Person(len(people) + 1, username, name or _person_name(r), unit, role,
                                 mode, r.random() < 0.1))  # fmt: skip

        add("admin", "admin", name="系统管理员")
        add("secadmin", "security_admin", name="安全管理员")
        add("auditor", "auditor", name="安全审计员")
        for username in usernames(Role.reviewer, len(self.units)):
            add(username, "reviewer")
        self.fillers: dict[int, list[int]] = {}
        self.heads: dict[int, list[int]] = {}
        for u in self.units:
            fillers, heads = unit_staff(u.number)
            for n in range(1, fillers + 1):
                add(filler_username(u.number, n), "filler", u.number)
                self.fillers.setdefault(u.number, []).append(len(people))
            for n in range(1, heads + 1):
                add(head_username(u.number, n), "unit_head", u.number)
                self.heads.setdefault(u.number, []).append(len(people))
        self.people = people
        self.reviewers = [p.id for p in people if p.role == "reviewer"]
        self.person = {p.id: p for p in people}
        # Each unit's 项目负责人 and 联系人: the same few people on its forms year after year.
        self.unit_people = {
            u.number: ([_person_name(r) for _ in range(3)],
                       [(_person_name(r), _phone(r)) for _ in range(3)])
            for u in self.units
        }  # fmt: skip

    def org_rows(self):
        """(units, users, user_roles rows, audit steps): the admin made them all, a year before
        the first project, a few minutes apart in office hours."""
        day = self.cal.on_or_after(dt.date(self.first_year - 2, 6, 1))
        minute = OPEN
        moments = []
        for _ in range(1 + len(self.units) + len(self.people) - 1):
            moments.append(china_moment(day, minute))
            minute += 3
            if minute > CLOSE:
                day, minute = self.cal.on_or_after(day, 1), OPEN
        it = iter(moments)
        events = []
        created: dict[int, dt.datetime] = {}
        admin = self.people[0]
        created[admin.id] = next(it)
        events.append((created[admin.id], None, "create_user", "新建用户", _user_details(admin)))
        units = []
        for u in self.units:
            at = next(it)
            units.append((u.number, u.code, u.name, f"unit{u.number:03d}@{MAIL_DOMAIN}"))
            events.append((at, admin.id, "create_unit", "新建单位",
                           {"unit_id": u.number, "code": u.code, "name": u.name}))  # fmt: skip
        for p in self.people[1:]:
            created[p.id] = next(it)
            events.append((created[p.id], admin.id, "create_user", "新建用户", _user_details(p)))
        return units, created, events

    # --- plans ------------------------------------------------------------------------------------

    def plan(self, index: int) -> Plan:
        """The project at `index`: its year, state, unit, subject and story."""
        r = random.Random(self.seed * 1_000_003 + index)
        year, state = self.cells[index]
        unit = self.units[bisect.bisect_left(self.unit_cum, r.random() * self.unit_cum[-1])]
        topic, arch = r.choice(TOPICS[unit.domain] if r.random() < 0.85 else GENERIC_TOPICS)
        name = f"{year}年{unit.short}{topic}{r.choice(SUFFIXES[arch])}项目{r.choice(QUALIFIERS)}"
        cents = _amount(r, arch)
        p = Plan(index, year, state, unit, arch, topic, name, cents,
                 filler=r.choice(self.fillers[unit.number]), head=r.choice(self.heads[unit.number]),
                 reviewer=r.choice(self.reviewers), reviewer2=r.choice(self.reviewers))  # fmt: skip
        self._milestone_plan(r, p)
        self._story(r, p)
        return p

    def text_random(self, index: int) -> random.Random:
        """The random numbers of the project's wording (its story has its own)."""
        return random.Random(self.seed * 7_000_003 + index)

    def _milestone_plan(self, r: random.Random, p: Plan) -> None:
        y = p.year
        steps = [s for s in PLAN_STEPS[p.arch] if not s[3] or r.random() < 0.9]
        start = r.choice((1, 1, 2, 2, 3, 3, 4, 5))
        last = 12 if r.random() < P_LAST_MONTH_DECEMBER else _ri(r, max(start + 3, 6), 11)
        dated = [s for s in steps if s[0] != "warranty_release"]
        warranty = 0 if p.arch in (M, V, P) else r.choice((3, 5, 5))
        first = r.choice((30, 40)) if any(s[2] == "first" for s in steps) else 0
        shares = {"first": first, "rest": 100 - first - warranty, "warranty": warranty,
                  "half": 50, "sixty": 60, "all": 100,
                  "forty": 40 if any(s[2] == "sixty" for s in steps) else 100}  # fmt: skip
        out: list[PlannedMilestone] = []
        lines = []
        previous = start
        final = None
        for j, (kind, title, share, _) in enumerate(steps):
            if kind == "warranty_release":
                years = 2 if p.arch in (E, C) else 3
                pct = shares["warranty"]
                title = title.format(p=pct)
                line = f"剩余{pct}%质保金于{out[final].title}合格之日起{years}年后支付"
                out.append(PlannedMilestone(kind, title, None, None, final, years, pct * 100,
                                            _share(p.cents, pct), line))  # fmt: skip
                lines.append(line)
                continue
            month = start + round((last - start) * (j + 1) / len(dated))
            pct = shares.get(share) if share not in (None, "final") else None
            title = title.format(p=pct) if pct is not None else title
            if kind == "phase":
                begin = dt.date(y, min(previous, month), 1)
                due = dt.date(y, month, 1) + relativedelta(months=1) - ONE_DAY
                when = (
                    f"{y}年{begin.month}到{month}月" if begin.month < month else f"{y}年{month}月"
                )
                line = f"{when}：{title}"
            else:
                begin = None
                due = dt.date(y, month, _ri(r, 5, 28))
                line = f"{y}年{month}月{due.day}日前：{title}"
            if share == "final":
                final = len(out)
            out.append(
                PlannedMilestone(
                    kind,
                    title,
                    begin,
                    due,
                    None,
                    0,
                    None if pct is None else pct * 100,
                    None if pct is None else _share(p.cents, pct),
                    line,
                )
            )
            lines.append(line)
            previous = month
        p.milestones = out
        numbered = r.random() < 0.6
        p.plan_text = "；\n".join(f"{n}、{line}" if numbered else line
                                 for n, line in enumerate(lines, start=1)) + "。"  # fmt: skip

    # --- stories ---------------------------------------------------------------------------

    def _story(self, r: random.Random, p: Plan) -> None:
        y, rel, state = p.year, p.year - self.today.year, p.state
        cal, last = self.cal, self.last_day
        f, h = p.filler, p.head
        steps: list[Step] = []
        # The declaration, as gaps in working days; "returned" and "draft" end before approval.
        path: list[tuple[int, Step]] = [(0, Step(last, "create", f))]
        path += [(_ri(r, 0, 4), Step(last, "save", f)) for _ in range(_ri(r, 1, 3))]
        final = {"draft": "draft", "returned": "returned", "unit_review": "unit_review",
                 "declared": "declared", "refused": "refused"}.get(state, "approved")  # fmt: skip
        if final == "draft" and rel == 0 and r.random() < 0.3:
            final = "returned"  # an old draft sent back and never resubmitted
        if final != "draft":
            path += self._declaration_path(r, p, final)
        if rel >= 1 or final in ("returned", "unit_review", "declared"):
            # Waiting now: the last step a few working days ago, laid out backwards.
            if final == "draft":
                created = cal.pick(r, dt.date(y - 1, 9, 1), last)
                day = created
                for gap, step in path:
                    day = min(cal.on_or_after(day, gap), last)
                    step.day = day
            else:
                mean = {"returned": 6, "unit_review": 4, "declared": 10}.get(final, 15)
                day = cal.on_or_before(last, min(int(r.expovariate(1 / mean)), 45))
                if rel < 1:  # last year's leftovers: waiting since the autumn before their year
                    day = cal.pick(r, dt.date(y - 1, 10, 15), dt.date(y - 1, 12, 20))
                for gap, step in reversed(path):
                    step.day = day
                    day = cal.on_or_before(day, gap)
            steps += [s for _, s in path]
        else:
            created = cal.pick(r, dt.date(y - 1, 8, 20), dt.date(y - 1, 11, 15))
            day = created
            for gap, step in path:
                if step.trigger in ("approve", "refuse"):
                    decided = cal.pick(r, dt.date(y - 1, 12, 1), dt.date(y, 1, 31))
                    day = max(cal.on_or_after(day, gap), decided)
                else:
                    day = cal.on_or_after(day, gap)
                step.day = min(day, last)
            steps += [s for _, s in path]
        if final == "approved":
            approved = steps[-1].day
            confirm = state in CONFIRMED or r.random() < 0.3
            if confirm:
                day = min(cal.on_or_after(approved, _ri(r, 3, 12)), last)
                if r.random() < 0.6:
                    steps.append(Step(day, "msave", f))
                steps.append(Step(day, "confirm", f))
                if state in CONFIRMED:
                    day = min(cal.on_or_after(day, _ri(r, 0, 3)), last)
                    actor = f if r.random() < 0.8 else h
                    steps.append(Step(day, "fire", actor, "start_implementation"))
                    steps += self._records(r, p, day, ended=state == "archived")
        if state in EVALUATED or (state == "implementing" and rel < 0):
            steps += self._evaluation(r, p, steps)
        steps.sort(key=lambda s: s.day)  # stable: same-day steps keep their order
        self._time(r, steps)
        p.steps = steps
        self._check(p)

    def _declaration_path(self, r, p: Plan, final: str) -> list[tuple[int, Step]]:
        f, h, rv = p.filler, p.head, p.reviewer
        path = [(_ri(r, 1, 6), Step(self.last_day, "fire", f, "submit"))]

        def returned(trigger, actor, gap):
            n = r.randrange(len(COMMENTS[trigger]))
            fix = ("plan", "goal", "basis", "plan")[n % 4]
            return (gap, Step(self.last_day, "fire", actor, trigger, COMMENTS[trigger][n], fix))

        if r.random() < 0.03:
            path += [(_ri(r, 0, 2), Step(self.last_day, "fire", f, "withdraw")),
                     (_ri(r, 0, 3), Step(self.last_day, "fire", f, "submit"))]  # fmt: skip
        by_head = final == "returned" and r.random() < 0.5
        if by_head or r.random() < 0.10:
            path.append(returned("return_to_filler", h, _ri(r, 1, 3)))
            if final == "returned":
                if r.random() < 0.6:
                    path.append((_ri(r, 0, 3), Step(self.last_day, "edit", f)))
                return path
            path += [(_ri(r, 1, 4), Step(self.last_day, "edit", f)),
                     (_ri(r, 0, 2), Step(self.last_day, "fire", f, "submit"))]  # fmt: skip
        if final == "unit_review":
            return path
        path.append((_ri(r, 1, 5), Step(self.last_day, "fire", h, "declare")))
        if final == "returned" or r.random() < 0.07:
            path.append(returned("return_for_revision", rv, _ri(r, 3, 15)))
            p.returned_by_finance = True
            if final == "returned":
                if r.random() < 0.6:
                    path.append((_ri(r, 0, 3), Step(self.last_day, "edit", f)))
                return path
            path += [(_ri(r, 1, 5), Step(self.last_day, "edit", f)),
                     (_ri(r, 0, 2), Step(self.last_day, "fire", f, "submit")),
                     (_ri(r, 1, 3), Step(self.last_day, "fire", h, "declare"))]  # fmt: skip
        if final == "declared":
            return path
        if final == "refused":
            comment = r.choice(COMMENTS["refuse"])
            return [*path, (_ri(r, 3, 20), Step(self.last_day, "fire", rv, "refuse", comment))]
        return [*path, (_ri(r, 3, 20), Step(self.last_day, "fire", rv, "approve"))]

    def _records(self, r, p: Plan, started: dt.date, *, ended: bool) -> list[Step]:
        """Actual dates of what was done by yesterday, recorded as units record them; a few left
        overdue; a 质保金 counted from its 终验's actual date."""
        cal, today, out = self.cal, self.today, []
        for i, m in enumerate(p.milestones):
            if m.anchor is not None:
                anchor = p.milestones[m.anchor].actual
                due = anchor + relativedelta(years=m.years) if anchor else None
                left_open = r.random() < P_RELEASE_OPEN
            else:
                due = m.due
                left_open = not ended and r.random() < P_OVERDUE
            if due is None or due >= today or left_open:
                continue
            near = cal.on_or_before(due + dt.timedelta(days=_ri(r, -6, 4)))
            actual = max(near, started)
            if actual >= today:
                continue
            m.actual = actual
            m.paid_cents = m.cents if m.kind in ("payment", "warranty_release") else None
            day = min(cal.on_or_after(actual, r.choice((0, 0, 0, 1, 2, 3))), self.last_day)
            out.append(Step(day, "record", p.filler, milestone=i))
        return out

    def _evaluation(self, r, p: Plan, before: list[Step]) -> list[Step]:
        """From 开始自评 to the project's state, in the year after the project's."""
        cal, last, y, state = self.cal, self.last_day, p.year, p.state
        f, h, rv = p.filler, p.head, p.reviewer2
        started = max(s.day for s in before if s.kind != "record")
        begin = max(cal.pick(r, dt.date(y + 1, 1, 4), dt.date(y + 1, 2, 20)), started)
        if state == "implementing":
            return []
        out = [Step(begin, "fire", f, "begin_evaluation")]
        day = begin
        for _ in range(_ri(r, 1, 3)):
            day = cal.on_or_after(day, _ri(r, 1, 8))
            out.append(Step(day, "esave", f))
        if state == "evaluating" and r.random() < 0.4:
            return [s for s in out if s.day <= last]  # begun, never handed in
        day = cal.on_or_after(day, _ri(r, 2, 15))
        out.append(Step(day, "fire", f, "submit_evaluation"))
        anchor = None  # a waiting state: its last step this many days ago
        if state in ("self_evaluated", "evaluation_unit_review", "evaluating"):
            mean = {"self_evaluated": 25, "evaluation_unit_review": 6, "evaluating": 8}[state]
            anchor = cal.on_or_before(last, min(int(r.expovariate(1 / mean)), 90))
        if r.random() < 0.07 or (state == "evaluation_unit_review" and anchor > day):
            n = r.randrange(len(COMMENTS["return_evaluation_to_filler"]))
            day = cal.on_or_after(day, _ri(r, 1, 4))
            out.append(Step(day, "fire", h, "return_evaluation_to_filler",
                            COMMENTS["return_evaluation_to_filler"][n]))  # fmt: skip
            day = cal.on_or_after(day, _ri(r, 1, 5))
            out.append(Step(day, "eedit", f))
            if state == "evaluation_unit_review":
                day = max(cal.on_or_after(day, _ri(r, 0, 2)), anchor or day)
                out.append(Step(day, "fire", f, "submit_evaluation"))
                return out
            day = cal.on_or_after(day, _ri(r, 0, 2))
            out.append(Step(day, "fire", f, "submit_evaluation"))
        if state == "evaluation_unit_review":
            return out
        day = cal.on_or_after(day, _ri(r, 1, 6))
        out.append(Step(day, "fire", h, "sign_evaluation"))
        late = anchor is not None and anchor > day
        if state == "evaluating" or late or r.random() < 0.06:
            n = r.randrange(len(COMMENTS["return_evaluation"]))
            back = anchor if state == "evaluating" and late else cal.on_or_after(day, 5)
            day = max(cal.on_or_after(day, _ri(r, 3, 20)), min(back, last))
            out.append(Step(day, "fire", rv, "return_evaluation", COMMENTS["return_evaluation"][n]))
            if state == "evaluating":
                return out
            day = cal.on_or_after(day, _ri(r, 1, 5))
            out.append(Step(day, "eedit", f))
            day = cal.on_or_after(day, _ri(r, 0, 2))
            out.append(Step(day, "fire", f, "submit_evaluation"))
            day = max(cal.on_or_after(day, _ri(r, 1, 4)), anchor or day)
            out.append(Step(day, "fire", h, "sign_evaluation"))
        if state == "archived":
            day = cal.on_or_after(day, _ri(r, 15, 80))
            out.append(Step(min(day, last), "fire", rv, "archive"))
        return out

    def _time(self, r: random.Random, steps: list[Step]) -> None:
        """Each step at a time of day people work at; later steps of a day later."""
        previous: dt.datetime | None = None
        for s in steps:
            moment = china_moment(s.day, _ri(r, OPEN, CLOSE - 20))
            if previous is not None and moment <= previous:
                moment = previous + dt.timedelta(minutes=_ri(r, 3, 40))
            s.at = moment.replace(second=_ri(r, 0, 59))
            previous = s.at

    def _check(self, p: Plan) -> None:
        """The fires lead from 填报中 to the planned state, every step before now."""
        state = self.spec.initial
        for s in p.steps:
            if s.kind == "fire":
                t = self.by_trigger[s.trigger]
                if state not in t.sources:
                    raise AssertionError(f"{p.index}: {s.trigger} from {state}")
                state = t.dest
            if s.at >= self.now:
                raise AssertionError(f"{p.index}: {s.kind} {s.trigger} at {s.at} is not before now")
        wanted = "draft" if p.state == "returned" else p.state
        if state != wanted:
            raise AssertionError(f"{p.index}: ends in {state}, planned {p.state}")

    # --- rows ------------------------------------------------------------------------------

    def declaration(self, r: random.Random, p: Plan) -> dict[str, Any]:
        """The 申报表 as finally saved: texts, people, 资金构成 and 来源, 分解目标."""
        u, t, y, arch = p.unit.short, p.topic, p.year, p.arch
        d: dict[str, Any] = {}
        items_wanted = r.choices((1, 2, 3, 4), (35, 30, 22, 13))[0]
        if items_wanted == 1:
            names = [p.name.split("年", 1)[1].removesuffix("项目").split("（")[0]
                     if r.random() < 0.5 else FUND_ITEMS[arch][0].format(t=t)]  # fmt: skip
        else:
            names = [n.format(t=t) for n in FUND_ITEMS[arch][:items_wanted]]
        d["items"] = list(zip(names, _split(r, p.cents, len(names)), strict=True))
        opening = r.choice(SUMMARY_OPENINGS).format(u=u, t=t, y=y, k=KIND_WORDS[arch])
        parts = r.sample(SUMMARY_ITEMS[arch], min(len(SUMMARY_ITEMS[arch]), _ri(r, 3, 6)))
        summary = (
            opening
            + "\n"
            + "；\n".join(f"{n}、{x.format(t=t)}" for n, x in enumerate(parts, start=1))
            + "。"
        )
        docs = r.sample(BASIS[p.unit.domain], min(2, len(BASIS[p.unit.domain])))
        docs.append(r.choice(BASIS_COMMON).format(c=CITY, y=y, y0=y - 1, n=_ri(r, 3, 30)))
        basis = (
            "\n".join(docs)
            if r.random() < 0.6
            else f"根据{'、'.join(docs)}等文件精神，结合{u}工作实际设立本项目。"
        )
        reasons = [NECESSITY[0]] + sorted(r.sample(NECESSITY[1:], _ri(r, 2, 4)))
        necessity = (f"{t}是{u}的重要工作内容，项目建设意义在于：\n"
                     + "\n".join(x.format(basis=docs[0], t=t, u=u) for x in reasons))  # fmt: skip
        d["texts"] = {
            "summary": summary,
            "basis": basis,
            "necessity": necessity,
            "safeguards": r.choice(SAFEGUARDS).format(c=CITY),
            "implementation_plan": p.plan_text,
            "overall_goal": r.choice(OVERALL_GOALS).format(t=t, u=u),
            "annual_goal": r.choice(ANNUAL_GOALS).format(t=t, y=y),
            "other_notes": r.choice(OTHER_NOTES),
        }
        d["project_type"] = PROJECT_TYPES[arch]
        d["project_attribute"] = r.choices(("部门预算项目", "市立项目", "政府性基金项目",
                                            "国有资本收益项目"), (60, 25, 10, 5))[0]  # fmt: skip
        d["gp"] = arch in (S, E, C, M) or r.random() < 0.3
        d["gsp"] = arch in (V, M) and r.random() < 0.6
        leaders, contacts = self.unit_people[p.unit.number]
        d["leaders"] = r.sample(leaders, r.choice((1, 1, 2)))
        d["contacts"] = r.sample(contacts, r.choice((1, 1, 2)))
        d["items_total"] = p.cents if r.random() < 0.7 else None
        d["sources"] = _sources(r, p)
        d["ly"] = _last_year(r, p.cents) if r.random() < 0.45 else (None,) * 5
        d["indicators"] = self._indicators(r, p, [n for n, _ in d["items"]])
        d["fixes"] = []
        return d

    def _indicators(self, r, p: Plan, item_names: list[str]) -> list[list]:
        rows = [
            ["投入", [], i["name"], i["target"], i["explanation"], i["evidence"]]
            for i in standard_input_indicators()
            if p.arch in (S, M) or i["name"] != "业务运维体系健全性" or r.random() < 0.4
        ]
        chosen = r.sample(OUTPUTS[p.arch], min(len(OUTPUTS[p.arch]), _ri(r, 4, 7)))
        if len(item_names) > 1:
            chosen += r.choices(OUTPUTS[p.arch], k=_ri(r, 0, 3))
        groups = [("产出", chosen),
                  ("结果", r.sample(RESULTS[p.arch], min(len(RESULTS[p.arch]), _ri(r, 2, 3)))),
                  ("影响力", r.sample(IMPACTS, _ri(r, 1, 3)))]  # fmt: skip
        for category, specs in groups:
            for name, fmt, span, explanation, evidence in specs:
                if span:
                    low, high, step = span
                    fmt = fmt.format(n=low + step * _ri(r, 0, (high - low) // step))
                _parsed_target(fmt)  # a 目标值 the checks read
                if len(item_names) > 1:
                    subs = r.sample(item_names, r.choice((1, 1, 2)))
                else:
                    subs = item_names if r.random() < 0.6 else []
                rows.append([category, subs, name, fmt, explanation, evidence])
        return rows

    def spoil(self, r: random.Random, d: dict[str, Any]) -> None:
        """A draft still being filled in: what the checks will list."""
        for _ in range(_ri(r, 1, 3)):
            kind = r.choice(("goal", "targets", "impact", "phone", "sources"))
            if kind == "goal":
                d["texts"][r.choice(("annual_goal", "overall_goal", "safeguards"))] = ""
            elif kind == "targets":
                for row in r.sample(d["indicators"][14:], min(3, len(d["indicators"]) - 14)):
                    row[3] = ""
            elif kind == "impact":
                d["indicators"] = [row for row in d["indicators"] if row[0] != "影响力"]
            elif kind == "phone":
                d["contacts"] = [(name, "") for name, _ in d["contacts"]]
            else:
                d["sources"] = {}

    def texts_at(self, d: dict[str, Any], n: int) -> dict[str, str]:
        """The texts as they were with the first `n` corrections made (all: as saved)."""
        texts = dict(d["base_texts"])
        for key, addition in d["fixes"][:n]:
            texts[key] += addition
        return texts

    def snapshot(self, p: Plan, d: dict[str, Any], n: int) -> dict[str, str]:
        """`flatten` (what a submission records) of the form with `n` corrections made."""
        texts = self.texts_at(d, n)
        wan = _wan
        declaration = NS(
            project_type=d["project_type"], project_attribute=d["project_attribute"],
            government_procurement=d["gp"], government_service_purchase=d["gsp"],
            unit_head_name="", filled_by="", filled_on=None, unparsed="{}",
            ly_budget=wan(d["ly"][0]), ly_appropriated=wan(d["ly"][1]), ly_spent=wan(d["ly"][2]),
            ly_arrival_rate=_rate(d["ly"][3]), ly_execution_rate=_rate(d["ly"][4]),
            fund_items_total=wan(d["items_total"]),
            leaders=[NS(name=n) for n in d["leaders"]],
            contacts=[NS(name=n, phone=ph) for n, ph in d["contacts"]],
            fund_items=[NS(name=n, amount=wan(c)) for n, c in d["items"]],
            fund_sources=[NS(source=k, total=wan(a), last_year=wan(b), this_year=wan(c))
                          for k, (a, b, c) in d["sources"].items()],
            indicators=[NS(category=c, sub_projects=_json(s), name=nm, target=tg, explanation=ex,
                           evidence=ev) for c, s, nm, tg, ex, ev in d["indicators"]],
            **texts,
        )  # fmt: skip
        return flatten(NS(name=p.name, year=p.year), declaration)

    def emit(self, p: Plan, r: random.Random, pid: int, ids: Counter, out: Sink) -> None:
        """Every row of one project, its audit events and its reminders."""
        d = self.declaration(r, p)
        submitted = any(s.kind == "fire" for s in p.steps)
        if p.state == "draft" and not submitted and r.random() < 0.4:
            self.spoil(r, d)
        # Corrections after a return: the filler's edit adds what was asked for.
        d["base_texts"] = d["texts"]
        pending = None
        for s in p.steps:
            if s.fix:
                pending = s.fix
            elif s.kind == "edit":
                key = {"plan": "implementation_plan", "goal": "annual_goal", "basis": "basis"}[
                    pending or "plan"
                ]
                addition = {
                    "implementation_plan": "；\n各阶段完成后及时组织验收，按合同约定支付款项",
                    "annual_goal": "项目完成后建立长效管理机制，确保持续发挥效益。",
                    "basis": f"\n《{CITY}{p.year}年度部门预算编制工作的通知》",
                }[key]
                d["fixes"].append((key, addition))
        texts = self.texts_at(d, len(d["fixes"]))
        cents = sum(c for _, c in d["items"])
        fen = cents * FEN_PER_CENT
        # -- the declaration and its rows
        ly = d["ly"]
        out.write(
            "declarations",
            (
                pid,
                d["project_type"],
                d["project_attribute"],
                d["gp"],
                d["gsp"],
                texts["summary"],
                texts["basis"],
                texts["necessity"],
                texts["safeguards"],
                texts["implementation_plan"],
                texts["overall_goal"],
                texts["annual_goal"],
                texts["other_notes"],
                _fen(ly[0]),
                _fen(ly[1]),
                _fen(ly[2]),
                ly[3],
                ly[4],
                _fen(d["items_total"]),
                "",
                "",
                None,
                "{}",
            ),
        )
        for position, name in enumerate(d["leaders"]):
            ids["declaration_people"] += 1
            out.write(
                "declaration_people", (ids["declaration_people"], pid, position, "leader", name, "")
            )
        for position, (name, phone) in enumerate(d["contacts"], start=len(d["leaders"])):
            ids["declaration_people"] += 1
            out.write(
                "declaration_people",
                (ids["declaration_people"], pid, position, "contact", name, phone),
            )
        for position, (name, c) in enumerate(d["items"]):
            ids["fund_items"] += 1
            out.write("fund_items", (ids["fund_items"], pid, position, name, _fen(c)))
        for key, (a, b, c) in d["sources"].items():
            out.write("fund_sources", (pid, key, _fen(a), _fen(b), _fen(c)))
        for position, (cat, subs, name, target, expl, evid) in enumerate(d["indicators"]):
            ids["indicators"] += 1
            out.write(
                "indicators",
                (ids["indicators"], pid, position, cat, _json(subs), name, target, expl, evid),
            )
        # -- milestones (from approval on)
        approved = any(s.trigger == "approve" for s in p.steps)
        milestone_ids = []
        if approved:
            for _ in p.milestones:
                ids["milestones"] += 1
                milestone_ids.append(ids["milestones"])
            for position, m in enumerate(p.milestones):
                out.write("milestones", (
                    milestone_ids[position], pid, position, m.kind, m.title, m.start, m.due,
                    None if m.anchor is None else milestone_ids[m.anchor], m.years, 0, 0,
                    m.percentage, _fen(m.cents), m.actual, _fen(m.paid_cents),
                    _PLAN_NOTES[m.kind] if m.actual else "", m.source,
                    _effective_due(p, m)))  # fmt: skip
        # -- the 自评表: yardstick frozen at approval, filled from 开始自评 on
        fill = self._fill_level(r, p)
        if approved:
            self._evaluation_rows(r, p, pid, d, fill, ids, out)
        # -- the history
        self._history(r, p, pid, d, milestone_ids, out)
        # -- the project itself
        last_fire = next((s for s in reversed(p.steps) if s.kind == "fire"), None)
        submission = next(
            (
                s
                for s in reversed(p.steps)
                if s.kind == "fire" and self.by_trigger[s.trigger].submission
            ),
            None,
        )
        confirm = next((s for s in p.steps if s.kind == "confirm"), None)
        bumps = [s for s in p.steps if s.kind != "create"]
        touched = [s for s in p.steps if s.kind != "confirm"]
        out.write("projects", (
            pid, p.unit.number, p.year, p.name, fen, "draft" if p.state == "returned" else p.state,
            1 + len(bumps), p.filler, submission.actor if submission else None,
            last_fire.actor if last_fire else None, confirm.at if confirm else None,
            p.steps[0].at, touched[-1].at, (last_fire or p.steps[0]).at))  # fmt: skip
        out.projects.append((p.name, p.year, p.unit.number))
        self.stats[f"state:{'draft' if p.state == 'returned' else p.state}"] += 1
        self.stats[f"year:{p.year}"] += 1
        if confirm:
            self._targets(p, pid, milestone_ids, confirm.at, out)
        if p.state in EVALUATION_PENDING:
            deadline = dt.date(p.year + 1, self.policy.evaluation_deadline_month,
                               self.policy.evaluation_deadline_day)  # fmt: skip
            self._target(out, f"evaluation:{pid}", pid, None, "提交绩效自评", deadline, dt.date.min)

    def _fill_level(self, r, p: Plan) -> str:
        """How much of the 自评表 is filled: none, empty (opened), partial or full."""
        if p.state not in EVALUATED:
            return "none"
        if p.state != "evaluating" or sum(s.trigger == "submit_evaluation" for s in p.steps):
            return "full"
        return "empty" if r.random() < 0.5 else "partial"

    def _evaluation_rows(self, r, p: Plan, pid, d, fill: str, ids: Counter, out: Sink) -> None:
        full = fill == "full"
        rows = d["indicators"]
        for position, (cat, _, name, target, _, _) in enumerate(rows):
            actual, explanation = "", ""
            if full or (fill == "partial" and r.random() < 0.5):
                actual, explanation = _actual(r, target)
            ids["evaluation_indicators"] += 1
            out.write(
                "evaluation_indicators",
                (
                    ids["evaluation_indicators"],
                    pid,
                    position,
                    cat,
                    name,
                    target,
                    actual,
                    explanation,
                    None,
                ),
            )
        cents = [c for _, c in d["items"]]
        planned = sum(cents)
        budget = [None] * 6
        notes = ""
        actuals: list[int | None] = [None] * len(cents)
        if full:
            adjustment = None if r.random() < 0.85 else round(planned * r.uniform(-0.1, 0.1))
            appropriated = round((planned + (adjustment or 0)) * r.uniform(0.92, 1.0))
            paid = round(appropriated * r.uniform(0.85, 1.0))
            recovered = round((appropriated - paid) * r.random()) if r.random() < 0.3 else 0
            budget = [planned, adjustment, appropriated, paid, appropriated - paid - recovered,
                      recovered]  # fmt: skip
            actuals = _split_like(paid, cents)
            if r.random() < 0.1 and len(actuals) > 1:  # a 子项目 booked differently: explained
                actuals[0] += 100
                notes = (
                    "部分子项目实际金额含以前年度结转资金，导致资金构成合计与实际支付数存在差异。"
                )
        elif fill == "partial":
            budget[0] = planned
        for position, ((name, _), actual) in enumerate(zip(d["items"], actuals, strict=True)):
            ids["evaluation_fund_items"] += 1
            out.write(
                "evaluation_fund_items",
                (ids["evaluation_fund_items"], pid, position, name, _fen(actual)),
            )
        if fill == "none":
            return
        texts = {key: "" for key in EVALUATION_TEXTS}
        if fill != "empty":
            keys = list(EVALUATION_TEXTS) if full else r.sample(list(EVALUATION_TEXTS), 2)
            for key in keys:
                texts[key] = r.choice(EVALUATION_TEXTS[key]).format(t=p.topic, y=p.year)
            if any(s.kind == "eedit" for s in p.steps):
                texts["implementation"] += EVALUATION_SUPPLEMENT
        d["evaluation_texts"] = texts
        out.write("self_evaluations", (pid, texts["implementation"], texts["management_results"],
                                       texts["problems"], texts["suggestions"],
                                       *(_fen(v) for v in budget), notes, None))  # fmt: skip

    def _history(self, r, p: Plan, pid: int, d, milestone_ids: list[int], out: Sink) -> None:
        """The project's audit events, with the details the operations record."""
        steps = p.steps
        following = [0] * len(steps)  # when the project moved on after each step (0: not yet)
        upcoming = 0
        for i in range(len(steps) - 1, -1, -1):
            following[i] = upcoming
            if steps[i].kind == "fire":
                upcoming = _epoch(steps[i].at)
        snapshots: dict[int, dict[str, str]] = {}

        def snap(n):
            if n not in snapshots:
                snapshots[n] = self.snapshot(p, d, n)
            return snapshots[n]

        state, fixes, submitted = self.spec.initial, 0, None
        for i, s in enumerate(steps):
            frm = to = None
            details: dict[str, Any] = {}
            if s.kind in ("save", "msave", "esave"):
                continue  # saves before any submission are the filler's own business
            if s.kind == "create":
                action, label, to = "create", "新建项目", self.spec.initial
            elif s.kind == "fire":
                t = self.by_trigger[s.trigger]
                action, label, frm, to = s.trigger, t.label, state, t.dest
                state = to
                if "record_declaration" in t.effects:
                    current = snap(fixes)
                    details = {
                        "snapshot": current,
                        "changes": diff(submitted, current) if submitted else [],
                    }
                    submitted = current
            elif s.kind == "edit":
                action, label = "edit_declaration", "修改申报表"
                details = {"changes": diff(snap(fixes), snap(fixes + 1))}
                fixes += 1
            elif s.kind == "confirm":
                action, label = "confirm_milestones", "确认里程碑"
                details = {"milestones": [_describe(m, p, False) for m in p.milestones]}
            elif s.kind == "record":
                m = p.milestones[s.milestone]
                action, label = "record_milestone", "登记里程碑完成情况"
                details = {"before": _describe(m, p, False), "after": _describe(m, p, True)}
            else:  # eedit
                action, label = "edit_evaluation", "修改自评表"
                new = d["evaluation_texts"]["implementation"]
                old = new.removesuffix(EVALUATION_SUPPLEMENT)
                details = {"changes": [[EVALUATION_FIELDS[0].label, old, new]]}
            out.event(_epoch(s.at), pid, i, (pid, s.actor, action, label, frm, to, s.comment,
                                             canonical_json(details), following[i]))  # fmt: skip

    def _targets(self, p: Plan, pid: int, milestone_ids, confirmed_at, out: Sink) -> None:
        """What the reminders ask of the unit: open milestones with a known due."""
        ended = self.spec.has_ended(p.state)
        known = confirmed_at.astimezone(dt.timezone(dt.timedelta(hours=8))).date()
        anchors = {m.anchor for m in p.milestones
                   if m.kind in OUTLIVE_THE_ARCHIVE and m.actual is None}  # fmt: skip
        for i, m in enumerate(p.milestones):
            if m.actual is not None:
                continue
            if ended and m.kind not in OUTLIVE_THE_ARCHIVE and i not in anchors:
                continue
            if m.anchor is not None:
                anchor = p.milestones[m.anchor].actual
                if anchor is None:
                    continue
                due = anchor + relativedelta(years=m.years)
            else:
                due = m.due
            title = f"{KIND_LABELS[m.kind]}：{m.title}"
            self._target(out, f"milestone:{milestone_ids[i]}", pid, milestone_ids[i], title, due,
                         known)  # fmt: skip

    def _target(self, out: Sink, key, pid, mid, title, deadline: dt.date, known: dt.date) -> None:
        today = self.today
        what = "milestones" if mid else "evaluations"
        self.stats[f"open {what}"] += 1
        if deadline <= today + dt.timedelta(days=self.policy.upcoming_days):
            self.stats[f"{what} in window"] += 1
            self.stats[f"{what} overdue"] += deadline < today
        if any(day == today for _, day in schedule(deadline, self.policy, today)):
            self.stats[f"{what} reminded today"] += 1
        since = max(today - dt.timedelta(days=REMINDER_DAYS), known)
        days = [(k, day) for k, day in schedule(deadline, self.policy, today - ONE_DAY)
                if day >= since]  # fmt: skip
        for n, (kind, day) in enumerate(days):
            out.reminders.append((_epoch(china_moment(day, 8 * 60 + 30)), key, pid, mid, kind,
                                  deadline, day, title, n == len(days) - 1))  # fmt: skip


# --- small helpers -------------------------------------------------------------------------------

EVALUATION_SUPPLEMENT = "主要建设内容已全部完成，相关佐证材料已按要求整理归档。"


def _ri(r: random.Random, low: int, high: int) -> int:
    """r.randint(low, high), a few times faster (it is called millions of times)."""
    return low + int(r.random() * (high - low + 1))


def _accumulate(values):
    total = 0.0
    for v in values:
        total += v
        yield total


def _person_name(r: random.Random) -> str:
    return r.choice(SURNAMES) + "".join(r.choice(GIVEN) for _ in range(r.choice((1, 2, 2))))


def _phone(r: random.Random) -> str:
    if r.random() < 0.7:
        return f"1{r.choice('3578')}{_ri(r, 0, 999999999):09d}"
    return f"0512-6{_ri(r, 0, 9999999):07d}"


def _user_details(p: Person) -> dict[str, Any]:
    return {"user_id": p.id, "username": p.username, "unit_id": p.unit, "roles": [p.role],
            "active": True}  # fmt: skip


def _amount(r: random.Random, arch: str) -> int:
    """A 申报金额 in 0.01 万元: log-normal around the archetype's median, often round."""
    wan = min(max(AMOUNT_MEDIAN[arch] * math.exp(r.gauss(0, 0.9)), 3), 6000)
    if r.random() < 0.5:
        return max(round(wan), 1) * 100
    return round(wan * 100)


def _share(cents: int, percent: int) -> int:
    return round(cents * percent / 100)


def _split(r: random.Random, cents: int, parts: int) -> list[int]:
    weights = [r.random() + 0.3 for _ in range(parts)]
    return _split_like(cents, weights)


def _split_like(cents: int, weights) -> list[int]:
    """`cents` in parts proportional to `weights`, each at least 1, summing exactly."""
    total = sum(weights) or 1
    out = [max(int(cents * w / total), 1) for w in weights[:-1]]
    return [*out, cents - sum(out)]


def _sources(r: random.Random, p: Plan) -> dict[str, tuple]:
    """项目资金来源: (项目投资总额, 上年度资金, 本年度计划数) per source; 本年度 sums to the
    申报金额; the 合计 row written (it agrees) on most forms."""
    this_year = {"municipal": p.cents}
    if r.random() < 0.2:
        superior = round(p.cents * r.uniform(0.2, 0.5))
        this_year = {"superior": superior, "municipal": p.cents - superior}
    elif r.random() < 0.1:
        own = round(p.cents * r.uniform(0.1, 0.3))
        this_year = {"municipal": p.cents - own, "self_raised": own}
    multi_year = p.arch in (S, C) and r.random() < 0.5
    rows = {}
    for key, c in this_year.items():
        total = round(c * r.uniform(1.2, 3.0)) if multi_year else c
        last = round(total * r.uniform(0.2, 0.5)) if multi_year and r.random() < 0.5 else None
        rows[key] = (total, last, c)
    if r.random() < 0.6:
        columns = list(zip(*rows.values(), strict=True))
        rows["total"] = tuple(None if all(v is None for v in col) else sum(v or 0 for v in col)
                              for col in columns)  # fmt: skip
    return rows


def _last_year(r: random.Random, cents: int) -> tuple:
    """上年度 预算安排, 财政拨付, 实际支出 (0.01 万元) and the two rates (hundredths of %)."""
    budget = round(cents * r.uniform(0.6, 1.2))
    appropriated = round(budget * r.uniform(0.9, 1.0))
    spent = round(appropriated * r.uniform(0.8, 1.0))
    return (
        budget,
        appropriated,
        spent,
        round(appropriated * 10000 / budget),
        round(spent * 10000 / appropriated) if appropriated else 0,
    )


@functools.cache
def _parsed_target(text: str):
    return parse_target(text)  # raises on a 目标值 the checks would refuse: a bug here


def _actual(r: random.Random, target: str) -> tuple[str, str]:
    """实际完成值 (and why, when it falls short) for a 目标值: mostly met."""
    t = _parsed_target(target)
    if t.is_qualitative:
        return t.word or target, ""
    value, missed = float(t.value), r.random() < 0.07
    if t.direction == Direction.lower:
        got = value * (r.uniform(1.05, 1.3) if missed else r.uniform(0.3, 1.0))
    elif missed:
        got = value * r.uniform(0.8, 0.99)
    else:
        got = value * r.uniform(1.0, 1.12)
        if t.unit == "%" and value <= 100:
            got = min(got, 100.0)
    text = f"{got:.1f}".removesuffix(".0") if t.unit == "%" else str(max(round(got), 0))
    return text + t.unit, r.choice(MISSED_EXPLANATIONS) if missed else ""


def _wan(cents: int | None) -> Decimal | None:
    return None if cents is None else Decimal(cents) / 100


def _rate(hundredths: int | None) -> Decimal | None:
    return None if hundredths is None else Decimal(hundredths) / 100


def _fen(cents: int | None) -> int | None:
    return None if cents is None else cents * FEN_PER_CENT


def _json(names: list[str]) -> str:
    return _json_of(tuple(names))


@functools.cache
def _json_of(names: tuple[str, ...]) -> str:
    return json.dumps(list(names), ensure_ascii=False)


def _epoch(moment: dt.datetime) -> int:
    return int(moment.timestamp())


def _effective_due(p: Plan, m: PlannedMilestone) -> dt.date | None:
    """Milestone.effective_due: its own due, or its anchor's actual date plus the offset."""
    if m.anchor is None:
        return m.due
    anchor = p.milestones[m.anchor].actual
    return None if anchor is None else anchor + relativedelta(years=m.years)


def _describe(m: PlannedMilestone, p: Plan, done: bool) -> dict[str, str]:
    """milestones.operations._describe of the milestone, before or after it was recorded."""
    anchor = p.milestones[m.anchor].title if m.anchor is not None else ""
    return {
        "title": m.title, "kind": m.kind, "due": m.due.isoformat() if m.due else "",
        "relative": f"{anchor}后{m.years}年" if m.anchor is not None else "",
        "percentage": "" if m.percentage is None else show_wan(Decimal(m.percentage) / 100),
        "amount": "" if m.cents is None else show_wan(Decimal(m.cents) / 100),
        "actual_date": m.actual.isoformat() if done and m.actual else "",
        "paid_amount": str(fen_to_wan(_fen(m.paid_cents)))
        if done and m.paid_cents is not None else "",
    }  # fmt: skip


# --- loading ---------------------------------------------------------------------------------

COLUMNS = {
    "units": "id code name email",
    "users": "id username display_name email password_hash unit_id is_active session_version "
    "created_at email_mode",
    "user_roles": "user_id role",
    "projects": "id unit_id year name amount state version created_by_id submitted_by_id "
    "last_transition_by_id milestones_confirmed_at created_at updated_at state_entered_at",
    "declarations": "project_id project_type project_attribute government_procurement "
    "government_service_purchase summary basis necessity safeguards implementation_plan "
    "overall_goal annual_goal other_notes ly_budget ly_appropriated ly_spent ly_arrival_rate "
    "ly_execution_rate fund_items_total unit_head_name filled_by filled_on unparsed",
    "declaration_people": "id project_id position kind name phone",
    "fund_items": "id project_id position name amount",
    "fund_sources": "project_id source total last_year this_year",
    "indicators": "id project_id position category sub_projects name target explanation evidence",
    "milestones": "id project_id position kind title planned_start due anchor_id offset_years "
    "offset_months offset_days percentage amount actual_date paid_amount note source",
    "evaluation_indicators": "id project_id position category name target actual explanation "
    "claimed",
    "evaluation_fund_items": "id project_id position name actual",
    "self_evaluations": "project_id implementation management_results problems suggestions "
    "budget_initial budget_adjustment appropriated paid carried_over recovered budget_notes "
    "scoring_template",
    "audit_events": "id seq at actor_id actor_name project_id action label from_state to_state "
    "comment details prev_hash hash alg",
    "reminders": "id key project_id milestone_id kind deadline remind_on created_at",
    "notifications": "id user_id project_id reminder_id title body created_at read_at kind topic "
    "superseded mail_pending",
}
# Columns a row carries at its end that only newer schemas have: left out where the table lacks
# them (milestones.deadline, the stored effective due, comes with migration 0009).
OPTIONAL = {"milestones": ("deadline",)}
PROJECT_TABLES = ("projects", "declarations", "declaration_people", "fund_items", "fund_sources",
                  "indicators", "milestones", "evaluation_indicators", "evaluation_fund_items",
                  "self_evaluations")  # fmt: skip
# TRUNCATE is refused on audit_events (its append-only triggers): it is loaded without FREEZE
# and vacuumed afterwards instead.
NO_FREEZE = ("audit_events",)


class Loader:
    """One connection per table, each in its own COPY at once: the server parses one table while
    Python makes the rows of the next. Tables are truncated in the same transaction, so COPY
    FREEZE writes them frozen and visible (no VACUUM needed after the load)."""

    def __init__(self, url: str, tables: tuple[str, ...]) -> None:
        self.url, self.tables = url, tables
        self.rows: Counter[str] = Counter()
        self._stack = contextlib.ExitStack()
        self._copies: dict[str, Any] = {}
        self._width: dict[str, int | None] = {}  # rows are cut to this many values

    def __enter__(self) -> Loader:
        for table in self.tables:
            conn = self._stack.enter_context(psycopg.connect(self.url))
            conn.execute("SET synchronous_commit = off")
            freeze = table not in NO_FREEZE
            if freeze:
                conn.execute(sql.SQL("TRUNCATE {}").format(sql.Identifier(table)))
            names = COLUMNS[table].split()
            present = {c for (c,) in conn.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND table_name = %s", (table,))}  # fmt: skip
            optional = [c for c in OPTIONAL.get(table, ()) if c in present]
            self._width[table] = None if optional == list(OPTIONAL.get(table, ())) else (
                len(names) + len(optional))  # fmt: skip
            columns = sql.SQL(", ").join(map(sql.Identifier, names + optional))
            statement = sql.SQL("COPY {} ({}) FROM STDIN{}").format(
                sql.Identifier(table), columns, sql.SQL(" (FREEZE)" if freeze else "")
            )
            self._stack.callback(conn.commit)
            self._copies[table] = self._stack.enter_context(conn.cursor().copy(statement))
        return self

    def write(self, table: str, row: tuple) -> None:
        width = self._width[table]
        self._copies[table].write_row(row if width is None else row[:width])
        self.rows[table] += 1

    def __exit__(self, *exc) -> None:
        self._stack.__exit__(*exc)


class Sink:
    """Where a project's rows go: straight to the loader. Its audit events wait in a scratch
    file (only their time, place and offset in memory) until the whole history can be put in
    time order; its reminders wait here."""

    def __init__(self, loader: Loader) -> None:
        self.loader = loader
        self.write = loader.write
        self.events: list[tuple[int, int, int, int, int]] = []  # at, project, n, offset, size
        self.reminders: list[tuple] = []
        self.projects: list[tuple[str, int, int] | None] = [None]  # by id: name, year, unit
        self.scratch = tempfile.TemporaryFile(prefix="jixiao-bench-")  # noqa: SIM115 - closed by generate()
        self._offset = 0

    def event(self, at: int, project: int, n: int, content: tuple) -> None:
        data = marshal.dumps(content)
        self.scratch.write(data)
        self.events.append((at, project, n, self._offset, len(data)))
        self._offset += len(data)

    def in_time_order(self):
        """The events' contents, oldest first (ties: by project, then in the project's order)."""
        self.events.sort()
        self.scratch.flush()
        if not self._offset:
            return
        with mmap.mmap(self.scratch.fileno(), 0, access=mmap.ACCESS_READ) as data:
            for at, _, _, offset, size in self.events:
                yield at, marshal.loads(data[offset : offset + size])


def admin_url(url: str) -> tuple[str, str]:
    """The server's maintenance database, and the name of the one to make."""
    info = psycopg.conninfo.conninfo_to_dict(url)
    return psycopg.conninfo.make_conninfo(url, dbname="postgres"), str(info["dbname"])


def create_database(url: str, force: bool) -> None:
    maintenance, name = admin_url(url)
    with psycopg.connect(maintenance, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists and not force:
            raise SystemExit(f"数据库 {name} 已存在：加 --force 删除后重建")
        if exists:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(url: str) -> None:
    maintenance, name = admin_url(url)
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


_CONSTRAINTS = """
SELECT c.conrelid::regclass::text, c.conname, c.contype, pg_get_constraintdef(c.oid)
FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
WHERE t.relnamespace = current_schema()::regnamespace AND c.contype IN ('p', 'u', 'f')
  AND t.relname <> 'alembic_version'
ORDER BY c.contype DESC, c.conname
"""
_INDEXES = """
SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
WHERE t.relnamespace = current_schema()::regnamespace AND t.relname <> 'alembic_version'
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                  WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))
ORDER BY 1
"""


def drop_keys(url: str) -> list[sql.Composable]:
    """Drop every foreign key, primary key, unique constraint and index the migrations made;
    return the statements that make them again, exactly as they were (keys, indexes, then
    foreign keys)."""
    with psycopg.connect(url, autocommit=True) as conn:
        constraints = conn.execute(_CONSTRAINTS).fetchall()
        indexes = conn.execute(_INDEXES).fetchall()
        again_keys, again_foreign = [], []
        for table, name, kind, definition in constraints:  # 'u', 'p', then 'f' (DESC)
            add = sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} {}").format(
                sql.Identifier(table), sql.Identifier(name), sql.SQL(definition)
            )
            (again_foreign if kind == "f" else again_keys).append(add)
        for table, name, _, _ in sorted(constraints, key=lambda c: c[2] != "f"):
            conn.execute(sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(
                sql.Identifier(table), sql.Identifier(name)))  # fmt: skip
        for name, _ in indexes:
            conn.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
    return again_keys + [sql.SQL(d) for _, d in indexes] + again_foreign


def restore_keys(url: str, statements: list[sql.Composable]) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET maintenance_work_mem = '512MB'")
        for statement in statements:
            conn.execute(statement)


def set_sequences(url: str) -> dict[str, int]:
    """Every serial column's sequence past its table's largest id."""
    out = {}
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND column_default LIKE 'nextval(%%'"
        ).fetchall()
        for table, column in rows:
            top = conn.execute(sql.SQL("SELECT coalesce(max({}), 0) FROM {}").format(
                sql.Identifier(column), sql.Identifier(table))).fetchone()[0]  # fmt: skip
            conn.execute("SELECT setval(pg_get_serial_sequence(%s, %s), %s, false)",
                         (table, column, top + 1))  # fmt: skip
            out[table] = top
    return out


# --- the history in time order, and who was told --------------------------------------------------


class Messenger:
    """Writes the audit trail in time order with its hash chain, and on the way the messages of
    the last `MESSAGE_DAYS` days (who each transition's `notify:` names) and the reminders of the
    last `REMINDER_DAYS` days, each message read or not as its reader would have."""

    def __init__(self, ds: Dataset, sink: Sink, loader: Loader) -> None:
        self.ds, self.sink, self.loader = ds, sink, loader
        self.spec = ds.spec
        self.r = random.Random(ds.seed * 31 + 7)
        self.now = _epoch(ds.now)
        self.since = _epoch(ds.now - dt.timedelta(days=MESSAGE_DAYS))
        self.names = {p.id: p.name for p in ds.people}
        self.unit_names = {u.number: u.name for u in ds.units}
        self.ids: Counter[str] = Counter()
        self.submitter: dict[int, int] = {}
        self.last_actor: dict[int, int] = {}
        self.workflow = EMAILS.get_template("workflow.txt")
        self.reminder = EMAILS.get_template("reminder.txt")
        self.alg = configured_alg()  # as the application appends: AUDIT_HASH

    def run(self) -> None:
        reminders = sorted(self.sink.reminders, key=lambda x: (x[0], x[1]))
        ri, prev = 0, GENESIS
        for seq, (at_epoch, content) in enumerate(self.sink.in_time_order(), start=1):
            pid, actor, action, label, frm, to, comment, details, following = content
            while ri < len(reminders) and reminders[ri][0] <= at_epoch:
                self._remind(reminders[ri])
                ri += 1
            event = NS(id=seq, seq=seq, at=dt.datetime.fromtimestamp(at_epoch, dt.UTC),
                       actor_id=actor, actor_name=self.names.get(actor, "系统"), project_id=pid,
                       action=action, label=label, from_state=frm, to_state=to, comment=comment,
                       details=details, prev_hash=prev, alg=self.alg)  # fmt: skip
            event.hash = compute_hash(event)
            self.loader.write("audit_events", (
                seq, seq, event.at, actor, event.actor_name, pid, action, label, frm, to, comment,
                event.details, prev, event.hash, self.alg))  # fmt: skip
            prev = event.hash
            t = self.spec.by_trigger.get(action) if to is not None else None
            if t is not None:
                before = self.last_actor.get(pid)
                if t.submission:
                    self.submitter[pid] = actor
                self.last_actor[pid] = actor
                if t.notify and at_epoch >= self.since:
                    self._tell(event, t, pid, before, following)
        for item in reminders[ri:]:
            self._remind(item)

    def _read_at(self, user: int, created: int, todo: bool, following: int) -> dt.datetime | None:
        """When the reader opened it: within hours to days; some never read the last weeks.
        A 待办 counts as read once anyone moved the project on."""
        person = self.ds.person[user]
        read: int | None = created + int(self.r.uniform(600, 3 * 86400))
        if read >= self.now or (person.lazy and created > self.now - 45 * 86400):
            read = None
        if todo and following:
            read = following if read is None else min(read, following)
        return None if read is None else dt.datetime.fromtimestamp(read, dt.UTC)

    def _tell(self, event, t, pid: int, last_actor: int | None, following: int) -> None:
        name, year, unit = self.sink.projects[pid]
        ds = self.ds
        wanted: set[int] = set()
        for who in t.notify:
            if who == "submitter" and pid in self.submitter:
                wanted.add(self.submitter[pid])
            elif who == "last_actor" and last_actor:
                wanted.add(last_actor)
            elif who == "unit_heads":
                wanted.update(ds.heads[unit])
            elif who == "unit_fillers":
                wanted.update(ds.fillers[unit])
            elif who == "reviewers":
                wanted.update(ds.reviewers)
        wanted.discard(event.actor_id)
        today = (event.at + dt.timedelta(hours=8)).date()
        project = NS(id=pid, name=name, year=year, unit=NS(name=self.unit_names[unit]))
        state = self.spec.state_label(event.to_state)
        when = (event.at + dt.timedelta(hours=8)).strftime("%Y年%m月%d日 %H:%M")
        for user in sorted(wanted):
            person = ds.person[user]
            todo = _todo_labels(person.role, event.to_state, today.year > year)
            title = f"{event.actor_name}已{t.label}"
            title += f"，待您办理：{todo}" if todo else f"，项目现为「{state}」"
            body = self.workflow.render(
                user=NS(display_name=person.name), actor=event.actor_name, label=t.label,
                when=when, project=project, state=state, comment=event.comment, todo=todo,
                link=project_link("", project), behalf=None)  # fmt: skip
            self.ids["notifications"] += 1
            created = _epoch(event.at)
            self.loader.write("notifications", (
                self.ids["notifications"], user, pid, None, title[:200], body, event.at,
                self._read_at(user, created, bool(todo), following), "todo" if todo else "info",
                None, False, False))  # fmt: skip

    def _remind(self, item: tuple) -> None:
        at_epoch, key, pid, mid, kind, deadline, day, title, last = item
        name, year, unit = self.sink.projects[pid]
        at = dt.datetime.fromtimestamp(at_epoch, dt.UTC)
        self.ids["reminders"] += 1
        rid = self.ids["reminders"]
        self.loader.write("reminders", (rid, f"{key}:{kind}:{day.isoformat()}", pid, mid, kind,
                                        deadline, day, at))  # fmt: skip
        late = (day - deadline).days
        said = kind if late > 0 else ("due" if late == 0 else "before")
        heading = f"{HEADLINES[said].rstrip('：')}：{title}"
        heading += f"，已逾期{late}天" if late > 0 else (f"，{-late}天后到期" if late < 0 else "")
        project = NS(id=pid, name=name, year=year, unit=NS(name=self.unit_names[unit]))
        users = list(self.ds.fillers[unit])
        if kind == "escalation":
            users += self.ds.heads[unit]
        for user in users:
            person = self.ds.person[user]
            body = self.reminder.render(
                user=NS(display_name=person.name), headline=HEADLINES[said], project=project,
                subject_line=title, deadline=deadline, kind=said, overdue_days=late,
                days_left=-late, link=project_link("", project), action=ACTION)  # fmt: skip
            superseded = not last and person.role == "filler"
            self.ids["notifications"] += 1
            self.loader.write(
                "notifications",
                (
                    self.ids["notifications"],
                    user,
                    pid,
                    rid,
                    heading[:200],
                    body,
                    at,
                    self._read_at(user, at_epoch, False, 0),
                    "reminder",
                    key,
                    superseded,
                    False,
                ),
            )


@functools.cache
def _todo_labels(role: str, state: str, year_over: bool) -> str:
    """What a user of `role` (of the project's unit) may do next, as the message names it."""
    spec = get_lifecycle().spec
    user = NS(id=1, is_active=True, roles=frozenset({Role(role)}), unit_id=1)
    # the province's units are assigned to nobody: every reviewer handles every unit
    unit = NS(id=1, reviewer_ids=frozenset())
    project = NS(state=state, unit_id=1, unit=unit, year=2000 if year_over else 3000)
    today = dt.date(2500, 1, 1)
    return "、".join(t.label for t in work_for(user, project, spec, today))


# --- the command ---------------------------------------------------------------------------------


class Timer:
    def __init__(self) -> None:
        self.parts: list[tuple[str, float]] = []

    @contextlib.contextmanager
    def part(self, label: str):
        start = time.perf_counter()
        print(f"… {label}", flush=True)
        yield
        self.parts.append((label, time.perf_counter() - start))
        print(f"  {label}：{self.parts[-1][1]:.1f} 秒", flush=True)


def generate(url: str, projects: int, today: dt.date, *, force: bool = False,
             units: int | None = None, seed: int = DEFAULT_SEED) -> dict[str, Any]:  # fmt: skip
    """Make the database and fill it; returns what was made (rows per table, timings, stats)."""
    configured_alg()  # AUDIT_HASH, checked before any database is dropped
    timer = Timer()
    units = units or unit_count(projects)
    with timer.part("建库并迁移（Alembic）"):
        create_database(url, force)
        upgrade(url)
    with timer.part("暂时删除索引和约束"):
        restore = drop_keys(url)
    ds = Dataset(projects, units, today, seed)
    rows: Counter[str] = Counter()
    with timer.part("单位和用户"):
        unit_rows, created, org_events = ds.org_rows()
        password = hash_password(PASSWORD)  # once: argon2 is slow on purpose
        with Loader(url, ("units", "users", "user_roles")) as loader:
            for row in unit_rows:
                loader.write("units", row)
            for p in ds.people:
                email = f"{p.username}@{MAIL_DOMAIN}"
                loader.write("users", (p.id, p.username, p.name, email, password, p.unit, True, 1,
                                       created[p.id], p.email_mode))  # fmt: skip
                loader.write("user_roles", (p.id, p.role))
        rows += loader.rows
    with timer.part("排定项目（按创建时间编号）"):
        plans = [ds.plan(i) for i in range(projects)]
        plans.sort(key=lambda p: (p.steps[0].at, p.index))
    with timer.part("项目、申报表、分解目标、里程碑、自评表（COPY）"):
        with Loader(url, PROJECT_TABLES) as loader:
            sink = Sink(loader)
            ids: Counter[str] = Counter()
            for pid, plan in enumerate(plans, start=1):
                ds.emit(plan, ds.text_random(plan.index), pid, ids, sink)
                plans[pid - 1] = None  # done with it: let it go
        rows += loader.rows
    with timer.part("哈希链（按时间排序）、消息和提醒（COPY）"):
        for n, (at, actor, action, label, details) in enumerate(org_events):
            sink.event(_epoch(at), 0, n, (None, actor, action, label, None, None, "",
                                          canonical_json(details), 0))  # fmt: skip
        with Loader(url, ("audit_events", "reminders", "notifications")) as loader:
            Messenger(ds, sink, loader).run()
        rows += loader.rows
        sink.scratch.close()
    with timer.part("重建索引和约束"):
        restore_keys(url, restore)
    with timer.part("序列与统计信息（VACUUM audit_events, ANALYZE）"):
        set_sequences(url)
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("VACUUM (ANALYZE) audit_events")
            conn.execute("ANALYZE")
            size = conn.execute(
                "SELECT pg_size_pretty(pg_database_size(current_database()))"
            ).fetchone()[0]
    return {"rows": dict(rows), "timings": timer.parts, "stats": dict(ds.stats), "size": size,
            "units": units}  # fmt: skip


def report(result: dict[str, Any]) -> None:
    print("\n数据量（行）：")
    for table, n in sorted(result["rows"].items(), key=lambda kv: -kv[1]):
        print(f"  {table:<24}{n:>12,}")
    stats = result["stats"]
    print("\n项目状态：")
    for key in sorted(k for k in stats if k.startswith("state:")):
        print(f"  {key[6:]:<24}{stats[key]:>12,}")
    print("\n项目年度：", "，".join(f"{k[5:]}年 {stats[k]:,}" for k in sorted(stats)
                                 if k.startswith("year:")))  # fmt: skip
    print(
        "\n里程碑（今天起 30 天内到期或已逾期，尚未登记）："
        f"{stats.get('milestones in window', 0):,}，其中已逾期 "
        f"{stats.get('milestones overdue', 0):,}；今天的提醒运行要提醒的里程碑 "
        f"{stats.get('milestones reminded today', 0):,}，绩效自评 "
        f"{stats.get('evaluations reminded today', 0):,}"
    )
    print(f"\n数据库大小：{result['size']}")
    print("\n耗时：")
    for label, seconds in result["timings"]:
        print(f"  {label:<40}{seconds:>8.1f} 秒")
    print(f"  {'合计':<40}{sum(s for _, s in result['timings']):>8.1f} 秒")
    units = result["units"]
    reviewers = usernames(Role.reviewer, units)
    print(
        f"\n账号（密码均为 {PASSWORD}）：admin（系统管理员）、secadmin（安全管理员）、"
        "auditor（安全审计员）；"
        f"{reviewers[0]} … {reviewers[-1]}（财政审核人）；"
        f"u001_tb1 …（单位 n 的填报人 u{{n:03d}}_tb1 起）；u001_fzr、u001_fzr2（单位负责人）。"
        f"\n名单：bench.generate.usernames(role, units={units})"
    )


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate", description="生成省级规模的压测数据库（PostgreSQL）"
    )
    parser.add_argument("--url", required=True, help="postgresql://… 目标数据库（将新建）")
    parser.add_argument("--projects", type=int, default=100_000, help="项目数（默认 100000）")
    parser.add_argument(
        "--today",
        type=dt.date.fromisoformat,
        default=dt.date.today(),
        help="数据所处的“今天”，YYYY-MM-DD",
    )
    parser.add_argument(
        "--units", type=int, help="单位数（默认按项目数：每 500 个项目一个，20–200）"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--force", action="store_true", help="数据库已存在时删除重建")
    args = parser.parse_args(argv)
    if args.units is not None and not 1 <= args.units <= MAX_UNITS:
        parser.error(f"--units 应在 1–{MAX_UNITS} 之间")
    result = generate(args.url, args.projects, args.today, force=args.force, units=args.units,
                      seed=args.seed)  # fmt: skip
    report(result)
    return result


if __name__ == "__main__":
    main(sys.argv[1:])
