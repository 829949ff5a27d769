"""项目实施计划 prose -> proposed milestones: the seed plans, DOMAIN.md's examples, and garbage."""

import random
from datetime import date
from decimal import Decimal

import pytest

from workflow.milestones.plan import MilestoneKind, PlanProposal, RelativeDue, propose_milestones

PHASE = MilestoneKind.phase
PROCUREMENT = MilestoneKind.procurement
ACCEPTANCE = MilestoneKind.acceptance
PAYMENT = MilestoneKind.payment
WARRANTY = MilestoneKind.warranty_release

# The plan texts exactly as the seed forms hold them (shared/seeds/000, 001, 002, 004). None of
# them has a line break the PDF extraction put inside a sentence, so none was rejoined.
SEED_000 = (  # 苏州市“331+”基层消防安全监管平台, 2021
    "1、2020年度：项目前期调研、方案，项目预算申请、立项；\n"
    "2、2021年1到3月：项目需求确认、系统设计和方案论证；\n"
    "3、2021年4到5月：项目招标阶段；\n"
    "4、2021年6到8月：项目开发实施阶段；\n"
    "5、2021年9到11月：项目试运行及完善阶段；\n"
    "6、2021年12月项目上线、验收。"
)
SEED_001 = (  # 苏州市智慧应急一期项目, 2020: one table cell, one sentence
    "2019年根据政府采购流程完成智慧一期建设项目招标工作，"
    "2020年初根据合同约定支付项目启动款，"
    "2020年中项目完成初步验收后支付剩余合同款项，"
    "2021年初完成项目款项支付进度的95%，"
    "剩余5%质保金于终验起算3年后支付。"
)
SEED_002 = (  # 苏州市住建局“互联网+监管”, 2021: one tab-separated cell
    "2020年，完成项目验收工作；"
    "2021年，做好系统运行保障工作，针对业务处室提出的意见，进行优化完善，"
    "保障系统数据的安全性，系统运行的稳定性，操作的流畅性和舒适性。"
    "2021年按照合同约定支付尾款。"
)
SEED_004 = (  # 姑苏区公安网格联动系统, 2020: (1)(2)(3) blocks from a badly ordered PDF
    "（1）\t项目论证与挂网招标\n"
    "阶段目标：完成项目立项、论证、招标文件挂网\n"
    "建设时间：2020年5月\n"
    "建设内容：通过进行内部和外部研讨，进行项目论证立项等，明确建设内容，制定招标文件。\n"
    "\n"
    "（2）\t完成招标、采购\n"
    "阶段目标：完成招标\n"
    "建设时间：2020年7月\n"
    "建设内容：通过政府采购面向全社会公开招标\n"
    "\n"
    "（3）\t建设实施、验收\n"
    "阶段目标：完成项目建设、验收\n"
    "建设时间：2020年8月-2020年11月\n"
    # The extraction ran the 项目总目标 (seed 003: 网格全面覆盖、…) into this line; kept as is.
    "建设内容 姑苏区公安网格联动平台网格全面覆盖、联动机制全面优化、工作质态全面提升、"
    "群众满意度全面提升"
)
# In seed 004 the 年度绩效目标 (seed 003 proves which field they are) follow the plan with no
# label between them. Kept with the PDF's line wraps: a careless cut may hand them to us.
SEED_004_GOALS = (
    "一、进一步加强各部门协调联动， 依托姑苏区公安网格联动平台，"
    "形成汇集综治、消防、社区等多部门协同核验\n"
    "的长效机制，确保一标多实数据全面、准确、专人维护、定期更新，"
    "实现数据从流入到流出的全程信息化管理，使\n"
    "姑苏区一标多实数据“一次采集，多次使用”，“源头采集，多方使用”。",
    "二、在公安网格联动平台开发“多实”信息采集模块，"
    "网格巡查员协助网格警务员对社区人、房、物、地、事、组\n"
    "织等治安要素进行采集，上传至综合网格平台，"
    "并将数据交换至区级公安网格平台，经数据核验后通过市公安局政\n"
    "务外网数据传输通道，"
    "将数据上传至公安部门“江苏省居住证信息管理系统”和“针眼”系统，跨网络数据传输一\n"
    "律严格按照公安网络安全边界相关要求实施。"
    "标准地址数据采集工作统一在市局“一标多实”信息采集系统开展。",
    "三、在综治网格平台嵌入矛盾纠纷信息采集模块，"
    "由网格警务员和网格巡查员共同采集各类矛盾纠纷和当事人信\n"
    "息，实时传送至综治联动平台，通过综治联动平台依情分类推送至职能部门，"
    "及时跟进化解，在本地实现各类矛盾\n"
    "化解业务闭环。",
    "四、主要是综治网格平台和公安网格平台对接“苏州市租赁住房信息服务与监管平台”，"
    "给网格警务员、网格巡查\n"
    "员开通用户账号，采集各类安全隐患信息，并上传至监管平台，在本地实现安全隐患整治闭环。",
    "五、在公安网格联动平台开发嵌入社区治安防范模块，"
    "通过脱密手段，下发任务派单，网格巡查员在网格警务员的\n"
    "指导下，开展社区重点人员走访、网格治安信息采集等工作，"
    "工作信息通过综治平台上传公安网格平台，由属地公\n"
    "安部门开展研判，落实“五位一体”管控措施。在本地实现社会治安防范业务闭环。",
    "六、互联网二维码功能不仅为居民提供标准地址核实、信息上报、居住证办理预约等功能，"
    "还通过信息核查推送功\n"
    "能为社区网格员、提供了精准服务，减轻了社区网格员的工作量，"
    "提高了核查效率，提升了人口数据鲜活度。",
    "八、科学设计网格员、物业保安、民警等社会治理力量的工作终端，"
    "对实现“人、地、事、物、情”等各类社会治\n"
    "理基础信息脱密后高度共享融合，汇聚线索信息进行统计分析展示。",
)
SEEDS = {"000": (SEED_000, 2021), "001": (SEED_001, 2020), "002": (SEED_002, 2021)}
SEEDS |= {
    "004": (SEED_004, 2020),
    "004+goals": (SEED_004 + "\n\n" + "\n".join(SEED_004_GOALS), 2020),
}


def rows(proposal: PlanProposal) -> list[tuple]:
    """What a person reads of each milestone: kind, title, start, due, relative, percentage."""
    return [
        (m.kind, m.title, m.start, m.due, m.relative, m.percentage) for m in proposal.milestones
    ]


def uncovered(text: str, proposal: PlanProposal) -> str:
    """The non-whitespace characters of `text` in no milestone's source and in no note."""
    flat = "".join(text.split())
    covered = [False] * len(flat)
    for piece in {m.source for m in proposal.milestones} | set(proposal.notes):
        needle = "".join(piece.split())
        at = flat.find(needle) if needle else -1
        while at >= 0:
            covered[at : at + len(needle)] = [True] * len(needle)
            at = flat.find(needle, at + 1)
    return "".join(char for char, seen in zip(flat, covered, strict=True) if not seen)


def assert_well_formed(text: str, proposal: PlanProposal) -> None:
    assert isinstance(proposal, PlanProposal)
    assert all(m.source and m.source in text for m in proposal.milestones)
    assert all(note and note in text for note in proposal.notes)
    assert uncovered(text, proposal) == ""
    for m in proposal.milestones:
        assert m.title and isinstance(m.kind, MilestoneKind)
        assert m.start is None or (m.due is not None and m.start <= m.due)
        assert m.due is None or m.relative is None
        assert m.percentage is None or 0 < m.percentage <= 100


# --- the seed plans ---------------------------------------------------------------------------


def test_seed_000_six_numbered_steps_with_month_ranges():
    proposal = propose_milestones(SEED_000, year=2021)
    assert rows(proposal) == [
        (PHASE, "项目前期调研、方案，项目预算申请、立项", None, date(2020, 12, 31), None, None),
        (
            PHASE,
            "项目需求确认、系统设计和方案论证",
            date(2021, 1, 1),
            date(2021, 3, 31),
            None,
            None,
        ),
        (PROCUREMENT, "项目招标阶段", date(2021, 4, 1), date(2021, 5, 31), None, None),
        (PHASE, "项目开发实施阶段", date(2021, 6, 1), date(2021, 8, 31), None, None),
        (PHASE, "项目试运行及完善阶段", date(2021, 9, 1), date(2021, 11, 30), None, None),
        (ACCEPTANCE, "项目上线、验收", None, date(2021, 12, 31), None, None),
    ]
    assert [m.source for m in proposal.milestones] == SEED_000.split("\n")
    assert proposal.notes == []


def test_seed_001_payment_plan_with_a_warranty_release_after_final_acceptance():
    proposal = propose_milestones(SEED_001, year=2020)
    assert rows(proposal) == [
        (PROCUREMENT, "完成智慧一期建设项目招标工作", None, date(2019, 12, 31), None, None),
        (PAYMENT, "支付项目启动款", None, date(2020, 3, 31), None, None),
        # 「2020年中项目完成初步验收后支付剩余合同款项」 is two events on one date
        (ACCEPTANCE, "项目完成初步验收", None, date(2020, 6, 30), None, None),
        (PAYMENT, "支付剩余合同款项", None, date(2020, 6, 30), None, None),
        # 95% is how far payment has got by then (cumulative), as written
        (PAYMENT, "完成项目款项支付进度的95%", None, date(2021, 3, 31), None, Decimal("95")),
        (
            WARRANTY,
            "剩余5%质保金于终验起算3年后支付",
            None,
            None,
            RelativeDue(anchor="终验", years=3),
            Decimal("5"),
        ),
    ]
    assert [m.source for m in proposal.milestones] == [
        "2019年根据政府采购流程完成智慧一期建设项目招标工作，",
        "2020年初根据合同约定支付项目启动款，",
        "2020年中项目完成初步验收后支付剩余合同款项，",
        "2020年中项目完成初步验收后支付剩余合同款项，",
        "2021年初完成项目款项支付进度的95%，",
        "剩余5%质保金于终验起算3年后支付。",
    ]
    assert proposal.notes == []


def test_seed_002_year_only_dates_and_a_final_payment():
    proposal = propose_milestones(SEED_002, year=2021)
    assert rows(proposal) == [
        (ACCEPTANCE, "完成项目验收工作", None, date(2020, 12, 31), None, None),
        # the long sentence is titled by its first clause; the whole of it is the source
        (PHASE, "做好系统运行保障工作", None, date(2021, 12, 31), None, None),
        (PAYMENT, "支付尾款", None, date(2021, 12, 31), None, None),
    ]
    assert proposal.milestones[1].source == (
        "2021年，做好系统运行保障工作，针对业务处室提出的意见，进行优化完善，"
        "保障系统数据的安全性，系统运行的稳定性，操作的流畅性和舒适性。"
    )
    assert proposal.notes == []


SEED_004_ROWS = [
    (PROCUREMENT, "项目论证与挂网招标", None, date(2020, 5, 31), None, None),
    (PROCUREMENT, "完成招标、采购", None, date(2020, 7, 31), None, None),
    (ACCEPTANCE, "建设实施、验收", date(2020, 8, 1), date(2020, 11, 30), None, None),
]


def test_seed_004_numbered_blocks_with_construction_times():
    proposal = propose_milestones(SEED_004, year=2020)
    assert rows(proposal) == SEED_004_ROWS
    # each block is one milestone; its 建设内容 is part of the source, not a note
    assert [m.source for m in proposal.milestones] == SEED_004.split("\n\n")
    assert proposal.notes == []


def test_seed_004_goals_run_into_the_plan_become_whole_notes():
    text, year = SEEDS["004+goals"]
    proposal = propose_milestones(text, year=year)
    assert rows(proposal) == SEED_004_ROWS
    assert proposal.notes == list(SEED_004_GOALS)


@pytest.mark.parametrize("seed", SEEDS)
def test_no_text_of_a_seed_is_lost(seed):
    text, year = SEEDS[seed]
    assert_well_formed(text, propose_milestones(text, year=year))


# --- DOMAIN.md's examples ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        (
            "2021年1到3月：项目需求确认、系统设计和方案论证",
            2021,
            (PHASE, "项目需求确认、系统设计和方案论证", date(2021, 1, 1), date(2021, 3, 31)),
        ),
        (
            "2021年12月项目上线、验收",
            2021,
            (ACCEPTANCE, "项目上线、验收", None, date(2021, 12, 31)),
        ),
        ("2020年度：项目前期调研", 2021, (PHASE, "项目前期调研", None, date(2020, 12, 31))),
        (
            "2020年初根据合同约定支付项目启动款",
            2020,
            (PAYMENT, "支付项目启动款", None, date(2020, 3, 31)),
        ),
        (
            "2020年中项目完成初步验收",
            2020,
            (ACCEPTANCE, "项目完成初步验收", None, date(2020, 6, 30)),
        ),
        (
            "（3）建设实施、验收\n建设时间：2020年8月-2020年11月",
            2020,
            (ACCEPTANCE, "建设实施、验收", date(2020, 8, 1), date(2020, 11, 30)),
        ),
    ],
)
def test_domain_examples(text, year, expected):
    proposal = propose_milestones(text, year=year)
    assert [(m.kind, m.title, m.start, m.due) for m in proposal.milestones] == [expected]
    assert proposal.notes == []


def test_domain_warranty_retention_is_due_three_years_after_final_acceptance():
    proposal = propose_milestones("剩余5%质保金于终验起算3年后支付", year=2020)
    (milestone,) = proposal.milestones
    assert milestone.kind is WARRANTY
    assert milestone.percentage == Decimal("5")
    assert milestone.relative == RelativeDue(anchor="终验", years=3)
    assert (milestone.start, milestone.due) == (None, None)


# --- date rules -------------------------------------------------------------------------------


def due_dates(text: str, year: int = 2021) -> list[tuple[date | None, date | None]]:
    return [(m.start, m.due) for m in propose_milestones(text, year=year).milestones]


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("建设时间：2020年8月-2020年11月", [(date(2020, 8, 1), date(2020, 11, 30))]),
        ("2020年底完成验收", [(None, date(2020, 12, 31))]),
        ("2020年末完成验收", [(None, date(2020, 12, 31))]),
        ("2020年11月-2021年2月：系统开发", [(date(2020, 11, 1), date(2021, 2, 28))]),
        ("2020年11月-2月：系统开发", [(date(2020, 11, 1), date(2021, 2, 28))]),
        ("2021年3月15日完成需求确认", [(None, date(2021, 3, 15))]),
        ("2021年3月上旬完成需求确认", [(None, date(2021, 3, 10))]),
        ("2021年第三季度试运行", [(None, date(2021, 9, 30))]),
        ("2021年上半年完成开发", [(None, date(2021, 6, 30))]),
        ("２０２１年１２月项目上线、验收", [(None, date(2021, 12, 31))]),
        ("项目计划于2021年3月前完成验收", [(None, date(2021, 3, 31))]),
    ],
)
def test_date_expressions(text, dates):
    assert due_dates(text) == dates


def test_a_month_without_a_year_takes_the_year_of_the_last_date_written():
    text = "2020年11月-2021年2月：系统开发；3月：系统验收"
    assert due_dates(text, year=2020) == [
        (date(2020, 11, 1), date(2021, 2, 28)),
        (None, date(2021, 3, 31)),
    ]


def test_a_month_without_any_year_takes_the_project_year():
    assert due_dates("1、3月：需求调研\n2、4-5月：招标", year=2022) == [
        (None, date(2022, 3, 31)),
        (date(2022, 4, 1), date(2022, 5, 31)),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "(1)2021年3月完成需求调研\n(2)2021年6月完成招标\n(3)2021年12月完成终验",
        "（1）2021年3月完成需求调研（2）2021年6月完成招标（3）2021年12月完成终验",
        "1、2021年3月完成需求调研；2、2021年6月完成招标；3、2021年12月完成终验",
        "一、2021年3月完成需求调研\n二、2021年6月完成招标\n三、2021年12月完成终验",
        "2021年3月完成需求调研\n2021年6月完成招标\n2021年12月完成终验",
    ],
)
def test_numbered_items_are_separate_milestones(text):
    proposal = propose_milestones(text, year=2021)
    assert [(m.kind, m.title, m.due) for m in proposal.milestones] == [
        (PHASE, "完成需求调研", date(2021, 3, 31)),
        (PROCUREMENT, "完成招标", date(2021, 6, 30)),
        (ACCEPTANCE, "完成终验", date(2021, 12, 31)),
    ]
    assert proposal.notes == []


def test_text_before_the_numbered_items_is_a_note():
    proposal = propose_milestones("计划如下：1、2021年3月完成需求调研", year=2021)
    assert [m.title for m in proposal.milestones] == ["完成需求调研"]
    assert proposal.notes == ["计划如下："]


# --- kinds ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "percentage"),
    [
        ("2021年4月完成政府采购", PROCUREMENT, None),
        ("2021年4月完成招标", PROCUREMENT, None),
        ("2021年10月完成初验", ACCEPTANCE, None),
        ("2021年12月终验", ACCEPTANCE, None),
        ("2021年12月上线验收", ACCEPTANCE, None),
        ("2021年6月支付合同金额的30%", PAYMENT, Decimal("30")),
        ("2021年3月付款", PAYMENT, None),
        ("2021年3月支付进度款", PAYMENT, None),
        ("2021年按照合同约定支付尾款", PAYMENT, None),
        ("2021年底支付剩余5%质保金", WARRANTY, Decimal("5")),
        ("2021年6月完成系统部署", PHASE, None),
    ],
)
def test_kinds_and_shares(text, kind, percentage):
    (milestone,) = propose_milestones(text, year=2021).milestones
    assert (milestone.kind, milestone.percentage) == (kind, percentage)


def test_a_payment_after_acceptance_without_a_date_is_relative_to_it():
    (milestone,) = propose_milestones("验收合格后支付合同金额的30%", year=2021).milestones
    assert milestone.kind is PAYMENT
    assert milestone.relative == RelativeDue(anchor="验收")
    assert (milestone.due, milestone.percentage) == (None, Decimal("30"))


def test_an_acceptance_then_a_payment_on_one_date_are_two_milestones():
    proposal = propose_milestones("2021年6月验收合格后支付合同金额的30%", year=2021)
    assert rows(proposal) == [
        (ACCEPTANCE, "验收合格", None, date(2021, 6, 30), None, None),
        (PAYMENT, "支付合同金额的30%", None, date(2021, 6, 30), None, Decimal("30")),
    ]


def test_a_warranty_period_without_an_anchor_runs_from_acceptance():
    (milestone,) = propose_milestones("质保期3年，期满后支付剩余5%质保金", year=2021).milestones
    assert milestone.kind is WARRANTY
    assert milestone.relative == RelativeDue(anchor="验收", years=3)
    assert milestone.percentage == Decimal("5")


def test_an_offset_it_cannot_read_is_left_blank_not_read_as_zero():
    text = "剩余5%质保金于终验起算99999999999年后支付"
    (milestone,) = propose_milestones(text, year=2021).milestones
    assert (milestone.kind, milestone.relative, milestone.due) == (WARRANTY, None, None)


def test_relative_months_from_going_live():
    (milestone,) = propose_milestones("上线后3个月内完成终验", year=2021).milestones
    assert (milestone.kind, milestone.relative) == (ACCEPTANCE, RelativeDue("上线", months=3))


def test_a_second_step_without_its_own_date_takes_the_date_of_its_sentence():
    # issue 15: a later clause never merges into an earlier one; each kind is its own clause's
    proposal = propose_milestones("2021年3月完成开发，同时完成验收", year=2021)
    assert rows(proposal) == [
        (PHASE, "完成开发", None, date(2021, 3, 31), None, None),
        (ACCEPTANCE, "完成验收", None, date(2021, 3, 31), None, None),
    ]


def test_a_continuation_without_a_step_of_its_own_stays_with_its_clause():
    proposal = propose_milestones("2021年3月完成需求调研，为招标做好准备", year=2021)
    assert rows(proposal) == [
        (PHASE, "完成需求调研，为招标做好准备", None, date(2021, 3, 31), None, None)
    ]


# --- garbage ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2021年13月支付尾款",
        "2021年0月完成需求",
        "2021年2月30日完成验收",
        "2021年5月-2021年3月：系统开发",
        "2999年支付尾款",
        "支付合同金额的300%",
        "随便写点什么",
        "2021年",
    ],
)
def test_a_bad_or_dateless_piece_is_a_note(text):
    proposal = propose_milestones(text, year=2021)
    assert (proposal.milestones, proposal.notes) == ([], [text])


def test_a_bad_date_does_not_take_the_good_lines_with_it():
    proposal = propose_milestones("1、2021年13月：招标\n2、2021年12月：验收", year=2021)
    assert [(m.kind, m.due) for m in proposal.milestones] == [(ACCEPTANCE, date(2021, 12, 31))]
    assert proposal.notes == ["1、2021年13月：招标"]


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t\n", "\u3000"])
def test_empty_text_proposes_nothing(text):
    assert propose_milestones(text, year=2021) == PlanProposal(milestones=[], notes=[])


def test_html_paragraphs_are_lines():
    text = "<p>2021年1到3月：需求调研</p> <p>2021年4到5月：招标</p><p>其他说明</p>"
    proposal = propose_milestones(text, year=2021)
    assert [(m.title, m.source) for m in proposal.milestones] == [
        ("需求调研", "<p>2021年1到3月：需求调研</p>"),
        ("招标", "<p>2021年4到5月：招标</p>"),
    ]
    assert proposal.notes == ["<p>其他说明</p>"]


def test_a_sentence_keeps_its_closing_tag():
    text = "<p>2021年3月完成需求调研；2021年6月完成招标。</p>"
    proposal = propose_milestones(text, year=2021)
    sources = [m.source for m in proposal.milestones]
    assert sources == ["<p>2021年3月完成需求调研；", "2021年6月完成招标。</p>"]
    assert proposal.notes == []


@pytest.mark.parametrize(
    "text",
    [
        "<html><body><script>alert('2021年12月支付')</script><table><tr><td>1、</td></tr></body>",
        "<<<>>>（（（）））(1)(2)(3)、、、，，，。。。",
        "年月日到至-—~%" * 200,
        "2021年1到3月：" * 5000,
        "9" * 100_000,
        "1" + " " * 100_000 + "月",
        "\x00\ud800\ufffd\U0001f600",
    ],
)
def test_garbage_never_raises(text):
    assert_well_formed(text, propose_milestones(text, year=2021))


def test_a_hundred_kilobytes_of_plan():
    text = "\n".join([SEED_000] * 600)
    assert len(text.encode()) > 100_000
    proposal = propose_milestones(text, year=2021)
    assert len(proposal.milestones) == 6 * 600
    assert_well_formed(text, proposal)


ALPHABET = [
    *"0123456789年月日号度初中底末上下旬季到至-—~、，,。；;：:（）()%％ \t\n",
    "2020", "2021", "13", "１２", "第一", "季度", "上半年", "1、", "（2）", "一、", "<p>", "</p>",
    "<br/>", "支付", "付款", "尾款", "验收", "初验", "终验", "上线", "招标", "采购", "质保金",
    "质保期", "起算", "后", "个月", "年后", "十", "两", "建设时间：", "阶段目标：", "建设内容 ",
    "根据合同约定", "项目", "\u3000", "“", "”", "…", "\ufffd",
]  # fmt: skip


def random_text(rng: random.Random) -> str:
    if rng.random() < 0.2:  # plain noise from anywhere in Unicode
        return "".join(chr(rng.randrange(0x110000)) for _ in range(rng.randrange(200)))
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randrange(120)))


def test_random_text_never_raises_and_loses_nothing():
    rng = random.Random(1234)
    for _ in range(400):
        text = random_text(rng)
        assert_well_formed(text, propose_milestones(text, year=rng.choice((2020, 2021, 2022))))
