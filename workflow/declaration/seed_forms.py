"""The four real declarations (绩效目标申报表) of seeds 000, 001, 002 and 004, typed in as data.

Each form is recorded as its users wrote it, problems included: blanks stay blank (None or ""),
totals are the 合计 as written, cut-off texts stay cut off, with a comment wherever the form (or
what its extract lets us see) is odd. Text fields are the paragraphs a person reads: lines broken
by the extraction are rejoined; numbered items and real paragraphs are separated by "\n".
Money is in 万元. A fund-source tuple is (项目投资总额, 上年度资金, 本年度计划数).
Seed 004 is a badly ordered PDF extract: its values were matched to their labels by hand (see the
comments); seed 003, the same project's self-evaluation, was used to confirm, never as a source.
"""

from decimal import Decimal

SEED_FORMS: dict[str, dict] = {
    "000": {
        # the extract prints the code twice: “000379000379”
        "unit_code": "000379",
        "unit_name": "苏州市公安局",
        "name": "苏州市“331+”基层消防安全监管平台",
        "year": 2021,
        "project_type": "信息化工程及维护类",
        "project_attribute": "部门预算",
        "government_procurement": True,
        "government_service_purchase": False,
        "leaders": ["郁海成", "毛华"],
        "contacts": [
            ("李明", "13404236559"),
            ("陈彤", "15168809631"),
        ],
        "summary": (
            "该项目系市消防安全“331”治理机制办公室为实现对全市331领域场所单位的消防安全监管闭环，"
            "开发建设的信息化项目。主要包括以下内容：\n"
            "1、新建全市“331+”消防安全监管平台；\n"
            "2、平台可视化界面建设；\n"
            "3、汇聚全市331系统、针眼系统、居住证系统、并逐步汇聚各职能部门数据，形成基础数据源头"
            "库；\n"
            "4、融合原“331”平台的隐患采集功能，由全市网格员进行各类隐患采集；\n"
            "5、对出租屋房屋进行分级分色管理；\n"
            "6、建设隐患整治与流转模块，完成隐患的平台内治理闭环；\n"
            "7、建设质态考核模块，实现全市331领域单位场所消防安全隐患整治的考核；\n"
            "8、建设督导督查模块，加强组织领导、业务统筹和隐患整治监管。\n"
            "9、通过互联网实现居民和单位场所业主对出租屋和单位场所的自主管理；\n"
            "10、建设宣教系统，常态开展消防安全宣教工作。"
        ),
        "basis": (
            "2020年12月8日，李亚平市长在全市构筑消防安全“331”治理机制动员部署会上的讲话中强调：要"
            "站在统筹发展和安全、提升公共安全治理体系和治理能力现代化的高度，重新定义和升级“331”专"
            "项行动，在全市构筑“三大目标牵引、三条路径推进、一套责任闭环支撑”的消防安全“331”治理机"
            "制，简称新“331”。2021年，“331”继续按照“巩固、规范、提升、长效”总体思路，围绕长效建"
            "设、系统疏导、责任落实、多元共治四个方面，纵深推进“四类十五项”重点工作。"
        ),
        "necessity": (
            "1、从体系架构维度出发，更为突出市、县（区）、镇（街道）和村（社区）四级主体框架，落实"
            "层级应用。\n"
            "2、从责任闭环维度出发，平台内固化相关职能部门消防安全管理责任，进一步明确任务、确立标"
            "准、做实保障、形成合力。\n"
            "3、从使用主体维度出发，将平台使用主体纵深拓展，推动消防安全主体责任人的自主使用。\n"
            "4、从整治范围维度出发，该平台继续保持对原“331”整治范围内的“三合一”场所、出租房（群租"
            "房）、电动自行车、“9+1”场所的常态监管整治。同时，动态增容扩面，将公共场所和新兴业态中"
            "的网约房、新民宿、寄递物流纳入管理范围。\n"
            "5、从数据应用维度出发，与公安针眼等不同平台之间实现内外、纵横贯通，让数据实时共享、实"
            "时研判，助力隐患整治。\n"
            "6、从日常管理维度出发，形成数据采集、赋色分级、工作时序、标签清单等标准，实现隐患底数"
            "更清、责任更明、流转更畅。同时，通过可视化对工作流程精准把控，通过数据统计对工作绩效"
            "科学考评。"
        ),
        "safeguards": "1、按规定流程签订合同；\n2、按合同约定支付款项。",
        # 预算安排资金, 财政拨付资金 (so labelled on this form) and 实际支出资金 are blank; both
        # rates are written as 0
        "last_year": {
            "budget": None,
            "appropriated": None,
            "spent": None,
            "arrival_rate": Decimal("0"),
            "execution_rate": Decimal("0"),
        },
        "fund_items": [
            ("苏州市“331+”基层消防安全监管平台", Decimal("350.00")),
        ],
        "fund_items_total": Decimal("350.00"),
        # the extract gives two numbers for three columns: 500.00 is 项目投资总额 and 350.00
        # 本年度计划数 (= 资金构成 合计; 上年度资金 is blank, as is last year's use). The form has
        # no 银行贷款 or 单位自筹 rows.
        "fund_sources": {
            "superior": (None, None, None),
            "municipal": (Decimal("500.00"), None, Decimal("350.00")),
            "subordinate": (None, None, None),
            "bank_loan": (None, None, None),
            "self_raised": (None, None, None),
            "other": (None, None, None),
        },
        "fund_source_totals": (Decimal("500.00"), None, Decimal("350.00")),
        "implementation_plan": (
            "1、2020年度：项目前期调研、方案，项目预算申请、立项；\n"
            "2、2021年1到3月：项目需求确认、系统设计和方案论证；\n"
            "3、2021年4到5月：项目招标阶段；\n"
            "4、2021年6到8月：项目开发实施阶段；\n"
            "5、2021年9到11月：项目试运行及完善阶段；\n"
            "6、2021年12月项目上线、验收。"
        ),
        "overall_goal": (
            "利用信息化手段将工作流程固化为平台数据，实现对331领域场所单位的消防隐患治理闭环。"
        ),
        "annual_goal": (
            "“三合一”场所、出租房（群租房）、电动自行车、“9+1”场所、网约房、新民宿、寄递物流、公共"
            "场所各模块开发完成，331机制成员单位正常使用该平台。"
        ),
        "indicators": [
            {
                "category": "投入",
                "sub_projects": [],
                "name": "专款专用率",
                "target": "100%",
                "explanation": "考察资金使用规范程度，是否按计划完全使用在指定项目上。",
                "evidence": "项目批复文件、原始凭证",
            },
            {
                "category": "投入",
                "sub_projects": [],
                "name": "财务制度健全性",
                "target": "健全",
                "explanation": (
                    "考察财务管理制度是否健全。其中，重点考察关键性资金所涉及的财务制度、或其他制"
                    "度的关键性条款，例如国库集中支付制度、专项资金管理办法等；考察项目单位的内部"
                    "财务管理制度、会计核算制度的完整性和合法性，是否符合有关财务管理制度的规定。"
                ),
                "evidence": "财务管理制度文件",
            },
            {
                "category": "投入",
                "sub_projects": [],
                "name": "政府采购规范性",
                "target": "规范",
                "explanation": (
                    "考察政府采购申请规范性、政府采购计划备案规范性、信息发布规范及及时性、采购流"
                    "程规范性等，反映政府采购的合规性。"
                ),
                "evidence": "政府采购相关制度文件、中标通知书、合同、协议等",
            },
            # “…相应记录。”/“风险事件是指…” is a line break in the extract; seed 002 shows the same
            # standard text with a break at this point, so it is kept as a paragraph break
            {
                "category": "投入",
                "sub_projects": [],
                "name": "工程管理规范性",
                "target": "规范",
                "explanation": (
                    "考察项目在实施过程中有无发生工程变更，变更情况是否合理；实际发生风险能否有效"
                    "控制能力；管理部门是否定期检查项目实际质量与预期质量存在的差距；资产产权是否"
                    "明确，资产转移有无相应记录。\n"
                    "风险事件是指直接导致生命、财产等损害的偶发事件，它可能引起项目预算、质量、里"
                    "程碑进度发生重大偏差、人身伤亡或造成社会负面影响等。"
                ),
                "evidence": (
                    "项目管理制度文件、项目合同、协议、备忘录、项目管理日志、项目单位提供的其他相"
                    "关文件"
                ),
            },
            {
                "category": "投入",
                "sub_projects": [],
                "name": "可行性研究充分性",
                "target": "充分",
                "explanation": "考察项目实施前期是否经过充分的可行性研究、论证。",
                "evidence": "可行性研究方案、专家论证报告",
            },
            {
                "category": "投入",
                "sub_projects": [],
                "name": "业务运维体系健全性",
                "target": "健全",
                "explanation": "考察信息工程及维护类项目的业务运维体系健全情况。",
                "evidence": "可行性研究文件、项目管理文件、项目合同、协议等",
            },
            {
                "category": "投入",
                "sub_projects": [],
                "name": "配套设施到位率",
                "target": "100%",
                "explanation": (
                    "考察项目顺利实施，相关配套设施的需求情况，以及该需求的落实、到位情况；要求该"
                    "配套设施（条件）能够按照类别、数量进行量化统计。"
                ),
                "evidence": "可行性研究文件、项目管理文件等",
            },
            {
                "category": "投入",
                "sub_projects": [],
                "name": "资金节约率",
                "target": "15%及其以下",
                "explanation": "考察中标价格与采购预算的偏差情况。",
                "evidence": "项目单位提供文件",
            },
            {
                "category": "投入",
                "sub_projects": [],
                "name": "资金使用合规性",
                "target": "合规",
                "explanation": (
                    "资金使用是否按照计划进行，是否存在支出依据不合规、虚列项目支出的情况，是否存"
                    "在超标准开支情况。"
                ),
                "evidence": "合同、原始凭证",
            },
            {
                "category": "投入",
                "sub_projects": [],
                "name": "预算执行率",
                "target": "100%",
                "explanation": (
                    "考察实际支出资金额占预算到位资金额的比率，用以反映项目单位预算资金执行情况。"
                ),
                "evidence": "项目批复文件、原始凭证",
            },
            {
                "category": "产出",
                "sub_projects": ["苏州市“331+”基层消防安全监管平台"],
                "name": "培训参与人数",
                "target": "=200人",
                "explanation": "根据新平台要求开展培训，参与培育的人数",
                "evidence": "根据新平台要求开展培训，参与培育的人数",
            },
            {
                "category": "产出",
                "sub_projects": ["苏州市“331+”基层消防安全监管平台"],
                "name": "培训次数",
                "target": "=10次",
                "explanation": "根据新平台的要求开展的培训次数",
                "evidence": "根据新平台的要求开展的培训次数",
            },
            # this row and the next open page 2 of the extract, under a repeated “分解目标 / 投入”
            # label; page 2 also carries a “分解目标 / 产出” label (at the very end of the extract)
            # and these two rows continue the 产出 block (sub-project named, not in the 投入 common
            # list), so they are read as 产出
            {
                "category": "产出",
                "sub_projects": ["苏州市“331+”基层消防安全监管平台"],
                "name": "消防安全监管平台建设",
                "target": "=1个",
                "explanation": "反映项目资金建设规模",
                "evidence": "可研方案、合同",
            },
            {
                "category": "产出",
                "sub_projects": ["苏州市“331+”基层消防安全监管平台"],
                "name": "平台验收合格率",
                "target": "=100%",
                "explanation": "反映平台建设质量",
                "evidence": "验收报告",
            },
            {
                "category": "结果",
                "sub_projects": ["苏州市“331+”基层消防安全监管平台"],
                "name": "三合一场所消防隐患推送率",
                "target": "=95%",
                "explanation": "根据新平台的工作要求结合实际工作情况",
                "evidence": "根据新平台的工作要求结合实际工作情况",
            },
            {
                "category": "结果",
                "sub_projects": ["苏州市“331+”基层消防安全监管平台"],
                "name": "九小场所消防隐患推送率",
                "target": "=95%",
                "explanation": "根据新平台的工作要求结合实际工作情况",
                "evidence": "根据新平台的工作要求结合实际工作情况",
            },
            {
                "category": "结果",
                "sub_projects": ["苏州市“331+”基层消防安全监管平台"],
                "name": "出租屋消防隐患推送率",
                "target": "=95%",
                "explanation": "根据新平台的工作要求结合实际工作情况",
                "evidence": "根据新平台的工作要求结合实际工作情况",
            },
            {
                "category": "结果",
                "sub_projects": ["苏州市“331+”基层消防安全监管平台"],
                "name": "同时在线账户最低负荷数",
                "target": "=200个",
                "explanation": "根据新平台的工作要求结合实际工作情况",
                "evidence": "根据新平台的工作要求结合实际工作情况",
            },
            {
                "category": "结果",
                "sub_projects": ["苏州市“331+”基层消防安全监管平台"],
                "name": "平台应用度",
                "target": "=95%",
                "explanation": "市、县、镇、村四级331治理机制成员单位使用平台的比率",
                "evidence": "市、县、镇、村四级331治理机制成员单位使用平台的比率",
            },
            # 对应子项目名称 blank on the form
            {
                "category": "影响力",
                "sub_projects": [],
                "name": "系统维保机制",
                "target": "建立",
                "explanation": "反映系统建成后的维保机制",
                "evidence": "合同、台账",
            },
        ],
        # 需要说明的其它问题 blank
        "other_notes": "",
        # 填报单位负责人, 填报人 and 填报日期 blank
        "unit_head": "",
        "filled_by": "",
        "filled_on": None,
    },
    "001": {
        # no unit code on this form
        "unit_code": "",
        "unit_name": "苏州市应急管理局",
        "name": "苏州市智慧应急一期项目",
        "year": 2020,
        "project_type": "信息化工程及维护类",
        "project_attribute": "市立项目",
        "government_procurement": True,
        "government_service_purchase": True,
        "leaders": ["张茂荣"],
        "contacts": [
            ("陈恬", "66096023"),
        ],
        # 项目概况 is cut off mid-word in the form: “…进行全面整合与集成，实”
        "summary": (
            "按照分步实施，逐步完善的思路，本期项目建设内容主要包括：应急指挥场所、基础支撑、数据"
            "支撑和应急管理综合应用平台；根据应急管理业务功能、用户类型和实际应用场景，设计开发多"
            "种用户应用界面。\n"
            "应急指挥场所是苏州市应急管理局开展应急值守和指挥调度工作的办公场所，主要功能区分为应"
            "急指挥大厅、决策会商室、值班室、设备间，扩展功能区根据使用情况进行后续建设。\n"
            "基础支撑主要包括：感知网络、通信网络和融合通信系统。\n"
            "数据支撑主要包括：云计算资源池和数据治理。\n"
            "应急管理综合应用平台，根据实际，本期建设主要以平台整合集成为主，依托原苏州市应急平台"
            "综合应用系统、安全生产监管信息系统、安全生产行政执法系统、安全生产地理信息系统、危险"
            "化学品安全生产风险监测预警系统及安全生产监测监控中心，将现有分散、独立的业务系统进行"
            "全面整合与集成，实"
        ),
        "basis": (
            "《应急管理部关于加快编制地方应急管理信息化发展规划的通知》\n"
            "《应急管理部办公厅关于实现应急平台互联互通的通知》\n"
            "《应急管理部办公厅关于印发2019年地方应急管理信息化实施指南的通知》\n"
            "《江苏省应急管理信息化发展规划（2019-2022年）》\n"
            "《2019年江苏省应急管理信息化实施指南》\n"
            "《江苏省应急管理信息化2019年建设任务书》"
        ),
        "necessity": (
            "面对党中央国务院、省委省政府关于进一步加强应急管理和安全生产工作的要求，以及我市复杂"
            "多变的自然灾害风险和依然严峻的安全生产形势，我市需要加快实施应急管理和安全生产监管信"
            "息化工程建设，推进信息化在安全生产监管、防灾减灾救灾、应急救援指挥中的应用。项目建设"
            "意义在于：\n"
            "一是落实部省两级应急管理部门关于应急管理工作要求的重要举措。根据应急管理部、省应急管"
            "理厅下发的《关于加快编制地方应急管理信息化发展规划的通知》《江苏省应急管理信息发展规"
            "划（2019-2022年）》《2019年江苏省应急管理信息化实施指南》，建设我市应急管理信息化项"
            "目，实现全市应急管理工作智能化、专业化，是落实国家应急管理部及省应急管理厅关于应急管"
            "理工作要求的重要举措。\n"
            "二是进一步满足全市安全生产工作的迫切需要。苏州市企业数量较多，对于监管部门来说，实现"
            "对全市的企业安全生产事故的防范，面对着极大的挑战。所以迫切需要信息化平台，将平时的日"
            "常管理工作、战时的应急救援工作通过信息化平台进行高效率开展，提升安全生产监管工作效"
            "率。\n"
            "三是提升全市应急管理专业化能力的重要抓手。应急管理工作的方针政策、规章制度、标准规范"
            "等的贯彻落实需要信息化手段的支撑，单靠过去的传统经验型方式和手段难以为继，需要加强事"
            "前防范，从源头治理，建立现代科学管理型制度。利用先进信息化的手段，为全市各级应急管理"
            "部门落实部门监管职责提供抓手，通过本项目的建设，全面的提升应急管理专业化能力。\n"
            "四是整合全市应急资源的重要载体。通过本项目的建设，展开数据治理工作，纵向与上下两级应"
            "急管理部门数据治理系统对接，完成部、省、市、县四级应急管理系统信息共享，横向与市政府"
            "政务资源共享服务平台对接，加强与公安、交通、水务、气象等安委会成员单位之间的数据互"
            "联，全面利用信息化手段，实现全市应急资源数据的互联互通、信息共享。\n"
            "五是夯实全市应急管理信息化基础的必要措施。目前我市各县级市（区）应急管理部门感知网络"
            "及数据传输网络、应急指挥场所等信息化基础设施较为薄弱，难以满足我市相关工作推进的要"
            "求。因此亟需通过本项目的建设夯实全市应急管理信息化基础，并为后续建设提供必要的基础支"
            "撑。\n"
            "因此通过进一步完善我市应急管理信息化建设，树立“贴近实际、服务实战”理念，实现网络通信"
            "互联互通，数据共享共用，加快建设应急管理数据治理，实现应急业务基础支撑，构建应急管理"
            "科技信息化支撑体系，夯实发展基础；填补风险感知和网络空白，健全风险监测预警体系，补齐"
            "应急指挥通信“最后一公里”短板，强健应急救援装备弱项，提升政务服务能力，破除事故灾害防"
            "治技术瓶颈；推进风险智能研判预警水平、智能辅助指挥水平、装备现代化水平、监管监察现代"
            "化水平、安全生产水平上台阶，提升服务应急管理现代化水平。因此从以上角度分析，该项目的"
            "建设是必要的。"
        ),
        # each numbered heading is followed by a line break in the form (<br/>)
        "safeguards": (
            "为使项目风险降到最低，拟采取以下措施规避或者减少项目建设和运行风险：\n"
            "（1）认真考虑、统筹布局\n"
            "通过合理的统筹布局，即满足系统的要求，又最大程度的规避自然风险，为设备提供良好的基础"
            "设施条件。\n"
            "（2）深入分析需求、精心设计方案\n"
            "为避免软件系统反复修改，应在项目建设初期对系统需求做出深入细致确定的分析，广泛征求意"
            "见，确保系统建设满足需求。\n"
            "（3）采用成熟可靠的技术设备\n"
            "项目建设应大量采用成熟可靠的技术设备，尽量选用通用型号，便于维护和更替。对于有特殊环"
            "境要求的系统，宜采用特殊处理的设备，有效应对恶劣的工作环境。\n"
            "（4）重视合同管理\n"
            "加强合同管理，保证设备发生问题时能得到及时有效的处理。\n"
            "（5）加强项目建设的组织协调工作\n"
            "本项目的建议阶段，牵涉的很多相关单位和部门，为使项目建设能够顺利进行，专设领导小组负"
            "责组织协调工作，为项目建设和建成后在各个领域发挥更大效益提供组织保证。"
        ),
        "last_year": {
            "budget": Decimal("0.00"),
            "appropriated": Decimal("0.00"),
            "spent": Decimal("0.00"),
            "arrival_rate": Decimal("0.00"),
            "execution_rate": Decimal("0"),
        },
        # the form lists 合计 above the sub-project row
        "fund_items": [
            ("苏州市智慧应急一期项目", Decimal("1435.00")),
        ],
        "fund_items_total": Decimal("1435.00"),
        # 上年度资金 blank in every row
        "fund_sources": {
            "superior": (None, None, None),
            "municipal": (Decimal("2157.53"), None, Decimal("1435.00")),
            "subordinate": (None, None, None),
            "bank_loan": (None, None, None),
            "self_raised": (None, None, None),
            "other": (None, None, None),
        },
        # the 合计 row is labelled “合 计*” and comes first on the form
        "fund_source_totals": (Decimal("2157.53"), None, Decimal("1435.00")),
        "implementation_plan": (
            "2019年根据政府采购流程完成智慧一期建设项目招标工作，2020年初根据合同约定支付项目启动"
            "款，2020年中项目完成初步验收后支付剩余合同款项，2021年初完成项目款项支付进度的95%，剩"
            "余5%质保金于终验起算3年后支付。"
        ),
        # 项目总目标 is cut off mid-sentence in the form: “…纵向贯通各级应急管理”
        "overall_goal": (
            "根据部省两级应急管理部门和市委市政府关于应急管理信息化建设工作要求，立足市县两级信息"
            "化现状，以应急管理、安全生产、防灾减灾等相关业务需求为驱动，建设应急指挥场所、基础支"
            "撑、数据支撑和应急管理综合应用平台等项目，根据应急管理业务功能、用户类型和实际应用场"
            "景，设计开发多种用户应用界面。从架构上实现标准统一、功能上实现业务协同、数据上实现互"
            "联互通。实现以各类数据汇聚的指挥场所为依托，多渠道融合通信能力为通道，形成横向联通各"
            "业务部门，纵向贯通各级应急管理"
        ),
        "annual_goal": "完成项目招标及支付工作，提升应急管理现代化水平，完善应急管理体系。",
        "indicators": [
            # 投入 rows: 对应子项目名称 and 目标解释 are blank on the form; the extract puts the
            # evidence text under a “历史数据查看” header (its columns are shifted by one), read
            # here as 目标值来源
            {
                "category": "投入",
                "sub_projects": [],
                "name": "资金使用合规性",
                "target": "合规",
                "explanation": "",
                "evidence": "合同、原始凭证",
            },
            {
                "category": "投入",
                "sub_projects": [],
                "name": "财务制度健全性",
                "target": "健全",
                "explanation": "",
                "evidence": "财务管理制度文件",
            },
            {
                "category": "投入",
                "sub_projects": [],
                "name": "资产产权明确性",
                "target": "资产明确",
                "explanation": "",
                "evidence": "项目单位提供文件",
            },
            # 目标值来源 cut off in the form: “项目方案、合同、”
            {
                "category": "投入",
                "sub_projects": [],
                "name": "各级财政应承担资金到位率",
                "target": "=100%",
                "explanation": "",
                "evidence": "项目方案、合同、",
            },
            {
                "category": "投入",
                "sub_projects": [],
                "name": "预算执行率",
                "target": "=100%",
                "explanation": "",
                "evidence": "项目批复文件、原始凭证",
            },
            {
                "category": "投入",
                "sub_projects": [],
                "name": "专款专用率",
                "target": "=100%",
                "explanation": "",
                "evidence": "项目批复文件、原始凭证",
            },
            # 目标值来源 as written reads like an explanation: “实际中标额与采购预算相比”
            {
                "category": "投入",
                "sub_projects": [],
                "name": "资金节约率",
                "target": "15%及其以下",
                "explanation": "",
                "evidence": "实际中标额与采购预算相比",
            },
            # 目标值来源 cut off in the form
            {
                "category": "投入",
                "sub_projects": [],
                "name": "配套设施到位率",
                "target": "=100%",
                "explanation": "",
                "evidence": "可行性研究报告、项目管理",
            },
            {
                "category": "投入",
                "sub_projects": [],
                "name": "实际风险事件有效控制率",
                "target": "=100%",
                "explanation": "",
                "evidence": "项目管理制度文件",
            },
            {
                "category": "投入",
                "sub_projects": [],
                "name": "政府采购规范性",
                "target": "规范",
                "explanation": "",
                "evidence": "政府采购相关制度文件",
            },
            {
                "category": "投入",
                "sub_projects": [],
                "name": "可行研究充分性",
                "target": "充分",
                "explanation": "",
                "evidence": "可行性研究报告",
            },
            {
                "category": "投入",
                "sub_projects": [],
                "name": "工程变更合规性",
                "target": "合规",
                "explanation": "",
                "evidence": "项目管理制度文件",
            },
            # this row and the next start a second table in the extract; their 目标值来源 cells are
            # cut off after three lines (“项目管理/制度文件/项目合”, “可行性研/究文件、/项目管理”)
            {
                "category": "投入",
                "sub_projects": [],
                "name": "与预期质量计划差距定期检查率",
                "target": "=100%",
                "explanation": "",
                "evidence": "项目管理制度文件项目合",
            },
            {
                "category": "投入",
                "sub_projects": [],
                "name": "业务运维体系健全性",
                "target": "健全",
                "explanation": "",
                "evidence": "可行性研究文件、项目管理",
            },
            # 产出 rows: every cell shows only its first line in the form, so 对应子项目名称
            # (“苏州市智慧” for 苏州市智慧应急一期项目), 指标名称 (“应急指挥大厅面…”), 指标解释 and
            # 目标值来源 are cut off; kept as shown
            {
                "category": "产出",
                "sub_projects": ["苏州市智慧"],
                "name": "应急指挥大厅面",
                "target": "=110平方米",
                "explanation": "测量指挥大厅",
                "evidence": "招标文件",
            },
            {
                "category": "产出",
                "sub_projects": ["苏州市智慧"],
                "name": "建设应急指挥场",
                "target": "=1项",
                "explanation": "考察是否完成",
                "evidence": "依据可行",
            },
            {
                "category": "产出",
                "sub_projects": ["苏州市智慧"],
                "name": "基础支撑系统",
                "target": "=1项",
                "explanation": "考察是否完成",
                "evidence": "依据可行",
            },
            {
                "category": "产出",
                "sub_projects": ["苏州市智慧"],
                "name": "数据支撑系统",
                "target": "=1项",
                "explanation": "考察是否完成",
                "evidence": "依据可行",
            },
            {
                "category": "产出",
                "sub_projects": ["苏州市智慧"],
                "name": "建设苏州市应急",
                "target": "=1项",
                "explanation": "考察是否完成",
                "evidence": "依据可行",
            },
            {
                "category": "产出",
                "sub_projects": ["苏州市智慧"],
                "name": "业务系统集成与",
                "target": "=1项",
                "explanation": "依托原苏州市",
                "evidence": "依据可行",
            },
            {
                "category": "产出",
                "sub_projects": ["苏州市智慧"],
                "name": "编制项目建设方",
                "target": "=1项",
                "explanation": "考察是否具备",
                "evidence": "依据可行",
            },
            {
                "category": "产出",
                "sub_projects": ["苏州市智慧"],
                "name": "文档完备性（包",
                "target": "完整",
                "explanation": "考察项目资料",
                "evidence": "依据文件",
            },
            {
                "category": "产出",
                "sub_projects": ["苏州市智慧"],
                "name": "系统验收合格率",
                "target": "=100%",
                "explanation": "考察系统建设",
                "evidence": "依据验收",
            },
            # 结果 rows: cells show three lines each, so 指标解释 and 目标值来源 are cut off
            # (“…文件、局”, “…综合值”, “…对现”; the third 指标解释 also starts mid-sentence)
            {
                "category": "结果",
                "sub_projects": ["苏州市智慧应急一期项目"],
                "name": "应急指挥大厅使用天数",
                "target": "≥150天",
                "explanation": "统计指挥大厅开始投入使用后的使用天数",
                "evidence": "依据上级及局本级文件、局",
            },
            {
                "category": "结果",
                "sub_projects": ["苏州市智慧应急一期项目"],
                "name": "应急指挥场所功能要素支撑能力",
                "target": "=100%",
                "explanation": "考察是否具备指挥大厅、会商室、综合值",
                "evidence": "依据可行性研究报告",
            },
            {
                "category": "结果",
                "sub_projects": ["苏州市智慧应急一期项目"],
                "name": "应急管理综合应用平台业务系统整合率",
                "target": "=100%",
                "explanation": "应用支撑和服务总线，并在此基础上对现",
                "evidence": "验收报告",
            },
            # 影响力 rows: 对应子项目名称 blank on the form
            {
                "category": "影响力",
                "sub_projects": [],
                "name": "应急管理水平",
                "target": "现代化",
                "explanation": "考察应急管理信息化手段是否实现现代化",
                "evidence": "依据软件、硬件设施",
            },
            {
                "category": "影响力",
                "sub_projects": [],
                "name": "应急管理体系",
                "target": "完善",
                "explanation": "考察应急管理信息化体系是否有所完善",
                "evidence": "依据软件、硬件设施、文件",
            },
        ],
        # the form has a blank 备注 row where others have 需要说明的其它问题
        "other_notes": "",
        # 填报单位负责人（签名）, 填报人 and 填报日期 blank
        "unit_head": "",
        "filled_by": "",
        "filled_on": None,
    },
    "002": {
        # the extract prints the code twice: “001276001276”
        "unit_code": "001276",
        "unit_name": "苏州市住房和城乡建设局",
        "name": "苏州市住建局“互联网+监管”",
        "year": 2021,
        "project_type": "信息化工程及维护类",
        "project_attribute": "市立项目",
        "government_procurement": True,
        "government_service_purchase": False,
        "leaders": ["肖军"],
        "contacts": [
            ("潘柯", "65109046"),
        ],
        "summary": (
            "2019年2月22号，江苏省办公厅发布了“互联网+监管”系统建设方案，已经于2019年6月底前系统主"
            "体功能建设完成，与国家“互联网+监管”初步联通并网；在2019年9月底前，省“互联网+监管”系统"
            "上线试运行，建立常态化监管数据归集共享机制。\n"
            "2019年8月8号，苏州市政府推进政府职能转变和“放管服”改革协调小组办公室发布了“互联网+监"
            "管”系统建设实施方案，方案中要求建立常态化监管数据规划共享机制，有序推进风险预警、协同"
            "监管、信用监管和智慧监管。2021年，做好系统运行保障工作，针对业务处室提出的意见，进行"
            "优化完善，保障系统数据的安全性，系统运行的稳定性，操作的流畅性和舒适性。2021年按照合"
            "同约定支付尾款。"
        ),
        "basis": "苏州市大数据局（2019）15号",
        "necessity": (
            "为梳理苏州住建事项清单，规范市住建行业监管事项；建设监管数据中心，汇聚各部门监管数"
            "据；对内打造统一监管平台，实现各个板块的行政执法、行政监管，设立本项目，本项目2021"
            "年，要继续做好系统的运行维护工作，满足各个板块业务需求，实现对平台的全面优化和提升。"
            "根据合同约定，一年服务期满后，需要支付项目尾款。"
        ),
        # two document titles; the extract breaks the first one after “监管” and separates the two
        # with a space
        "safeguards": (
            "关于印发2019年苏州市级政府采购监管工作要点的通知（苏财购（2019）19号）\n"
            "财政部关于印发《政务信息系统政府采购管理暂行办法》的通知（财库（2017）210号）"
        ),
        "last_year": {
            "budget": Decimal("300.00"),
            "appropriated": Decimal("300.00"),
            "spent": Decimal("300.00"),
            "arrival_rate": Decimal("100"),
            "execution_rate": Decimal("100"),
        },
        "fund_items": [
            ("“互联网+监管”信息化平台", Decimal("21.86")),
            ("行政监管栏目", Decimal("10.00")),
            ("统一执法栏目", Decimal("10.00")),
        ],
        "fund_items_total": Decimal("41.86"),
        # the form has no 银行贷款 or 单位自筹 rows
        "fund_sources": {
            "superior": (None, None, None),
            "municipal": (Decimal("433.60"), Decimal("300.00"), Decimal("41.86")),
            "subordinate": (None, None, None),
            "bank_loan": (None, None, None),
            "self_raised": (None, None, None),
            "other": (None, None, None),
        },
        "fund_source_totals": (Decimal("433.60"), Decimal("300.00"), Decimal("41.86")),
        "implementation_plan": (
            "2020年，完成项目验收工作；2021年，做好系统运行保障工作，针对业务处室提出的意见，进行"
            "优化完善，保障系统数据的安全性，系统运行的稳定性，操作的流畅性和舒适性。2021年按照合"
            "同约定支付尾款。"
        ),
        "overall_goal": (
            "梳理住建事项清单，规范住建行业监管事项。苏州市住建局认领事项共33项，其中14项由本局系"
            "统运行监管，其余19项使用省级系统进行监管，使用通用业务监管系统来对未建相关业务系统的"
            "监管事项实行监管。\n"
            "整合行政执法事项，重建住建执法系统。根据“互联网+监管”对于行政执法的要求，重新梳理整合"
            "苏州市住建局对于监察支队、房地产及质安监的行政执法，建立通用执法系统及移动执法系统，"
            "开设监察支队、房地产、质安监三个执法通道，并分别进行个性化定制。\n"
            "升级改造部分业务系统，保障全行业监管规范高效。对于目前苏州市住建局已有的业务系统，为"
            "满足“互联网+监管”的需求，将项目前期、施工现场及竣工验收步骤的相关系统进行升级改造整"
            "合，使之互联互通，满足监管需求。\n"
            "对接行政审批事项，实现一平台办理。对接苏州市住建局协同办公系统中的一张网，获取一张网"
            "中的行政审批事项，通过本次建设的苏州市住建局“互联网+监管”信息化平台完成事项的审批，审"
            "批结果可同步推送至OA一张网中。\n"
            "汇集分析监管数据，完善智慧住建云平台建设。汇集、治理、挖掘、分析各项监管数据，实行风"
            "险预警、分析评价、信用监管，通过与苏州市智慧住建云平台对接，同步推送各项监管数据。\n"
            "打造住建监管门户，加强监管数据动态发布。通过监管门户建设，可将监管事项、监管结果、执"
            "法人员等数据动态向社会公众发布。"
        ),
        "annual_goal": (
            "2021系统上线正式运行，确保系统正常运行，及时解决系统运行过程中的问题，保障系统安全"
            "性、稳定性，编写系统运行报告。"
        ),
        "indicators": [
            # 指标解释 has no final “。” on this form
            {
                "category": "投入",
                "sub_projects": [],
                "name": "预算执行率",
                "target": "100%",
                "explanation": (
                    "考察实际支出资金额占预算到位资金额的比率，用以反映项目单位预算资金执行情况"
                ),
                "evidence": "项目批复文件、原始凭证",
            },
            {
                "category": "投入",
                "sub_projects": [],
                "name": "专款专用率",
                "target": "100%",
                "explanation": "考察资金使用规范程度，是否按计划完全使用在指定项目上。",
                "evidence": "项目批复文件、原始凭证",
            },
            {
                "category": "投入",
                "sub_projects": [],
                "name": "财务制度健全性",
                "target": "健全",
                "explanation": (
                    "考察财务管理制度是否健全。其中，重点考察关键性资金所涉及的财务制度、或其他制"
                    "度的关键性条款，例如国库集中支付制度、专项资金管理办法等；考察项目单位的内部"
                    "财务管理制度、会计核算制度的完整性和合法性，是否符合有关财务管理制度的规定。"
                ),
                "evidence": "财务管理制度文件",
            },
            {
                "category": "投入",
                "sub_projects": [],
                "name": "资金使用合规性",
                "target": "合规",
                "explanation": (
                    "资金使用是否按照计划进行，是否存在支出依据不合规、虚列项目支出的情况，是否存"
                    "在超标准开支情况。"
                ),
                "evidence": "合同、原始凭证",
            },
            {
                "category": "投入",
                "sub_projects": [],
                "name": "政府采购规范性",
                "target": "规范",
                "explanation": (
                    "考察政府采购申请规范性、政府采购计划备案规范性、信息发布规范及及时性、采购流"
                    "程规范性等，反映政府采购的合规性。"
                ),
                "evidence": "政府采购相关制度文件、中标通知书、合同、协议等",
            },
            # 指标解释 is cut off mid-sentence in the form: “…人身伤亡或” (seed 000 has the full
            # text); the space after “记录。” is a line break in the form
            {
                "category": "投入",
                "sub_projects": [],
                "name": "工程管理规范性",
                "target": "规范",
                "explanation": (
                    "考察项目在实施过程中有无发生工程变更，变更情况是否合理；实际发生风险能否有效"
                    "控制能力；管理部门是否定期检查项目实际质量与预期质量存在的差距；资产产权是否"
                    "明确，资产转移有无相应记录。\n"
                    "风险事件是指直接导致生命、财产等损害的偶发事件，它可能引起项目预算、质量、里"
                    "程碑进度发生重大偏差、人身伤亡或"
                ),
                "evidence": (
                    "项目管理制度文件、项目合同、协议、备忘录、项目管理日志、项目单位提供的其他相"
                    "关文件"
                ),
            },
            {
                "category": "投入",
                "sub_projects": [],
                "name": "可行性研究充分性",
                "target": "充分",
                "explanation": "考察项目实施前期是否经过充分的可行性研究、论证。",
                "evidence": "可行性研究方案、专家论证报告",
            },
            {
                "category": "投入",
                "sub_projects": [],
                "name": "业务运维体系健全性",
                "target": "健全",
                "explanation": "考察信息工程及维护类项目的业务运维体系健全情况。",
                "evidence": "可行性研究文件、项目管理文件、项目合同、协议等",
            },
            {
                "category": "投入",
                "sub_projects": [],
                "name": "配套设施到位率",
                "target": "100%",
                "explanation": (
                    "考察项目顺利实施，相关配套设施的需求情况，以及该需求的落实、到位情况；要求该"
                    "配套设施（条件）能够按照类别、数量进行量化统计。"
                ),
                "evidence": "可行性研究文件、项目管理文件等",
            },
            {
                "category": "投入",
                "sub_projects": [],
                "name": "资金节约率",
                "target": "15%及其以下",
                "explanation": "考察中标价格与采购预算的偏差情况。",
                "evidence": "项目单位提供文件",
            },
            {
                "category": "产出",
                "sub_projects": ["“互联网+监管”信息化平台", "行政监管栏目", "统一执法栏目"],
                "name": "系统建设模块数",
                "target": "=4个",
                "explanation": "系统建设模块数",
                "evidence": "系统内模块数",
            },
            {
                "category": "产出",
                "sub_projects": ["“互联网+监管”信息化平台"],
                "name": "信息化平台",
                "target": "=1套",
                "explanation": "信息化平台",
                "evidence": "信息化平台",
            },
            {
                "category": "产出",
                "sub_projects": ["“互联网+监管”信息化平台", "行政监管栏目", "统一执法栏目"],
                "name": "目标完成率",
                "target": "=100%",
                "explanation": "信息平台建设完成情况",
                "evidence": "信息平台建设完成情况",
            },
            {
                "category": "产出",
                "sub_projects": ["“互联网+监管”信息化平台", "行政监管栏目", "统一执法栏目"],
                "name": "验收合格率",
                "target": "=100%",
                "explanation": "验收合格率",
                "evidence": "验收报告",
            },
            {
                "category": "产出",
                "sub_projects": ["“互联网+监管”信息化平台", "行政监管栏目", "统一执法栏目"],
                "name": "用户操作手册",
                "target": "=1份",
                "explanation": "用户操作手册",
                "evidence": "用户操作手册",
            },
            {
                "category": "结果",
                "sub_projects": ["“互联网+监管”信息化平台", "行政监管栏目", "统一执法栏目"],
                "name": "使用单位满意度",
                "target": "=95%",
                "explanation": "使用单位满意度",
                "evidence": "使用单位满意情况调查",
            },
            {
                "category": "结果",
                "sub_projects": ["“互联网+监管”信息化平台", "行政监管栏目", "统一执法栏目"],
                "name": "业务系统稳定性",
                "target": "稳定",
                "explanation": "业务系统稳定性",
                "evidence": "业务系统运行报告",
            },
            # a lower-is-better indicator written with “=” (=5%)
            {
                "category": "结果",
                "sub_projects": ["“互联网+监管”信息化平台", "行政监管栏目", "统一执法栏目"],
                "name": "业务系统投诉率",
                "target": "=5%",
                "explanation": "业务系统投诉率",
                "evidence": "业务系统投诉情况统计",
            },
            {
                "category": "结果",
                "sub_projects": ["“互联网+监管”信息化平台", "行政监管栏目", "统一执法栏目"],
                "name": "业务系统安全性",
                "target": "安全",
                "explanation": "业务系统安全性",
                "evidence": "业务系统安全报告",
            },
            {
                "category": "结果",
                "sub_projects": ["“互联网+监管”信息化平台", "行政监管栏目", "统一执法栏目"],
                "name": "功能实现率",
                "target": "=100%",
                "explanation": "系统建设与需求文档匹配度",
                "evidence": "系统建设与需求文档",
            },
            {
                "category": "结果",
                "sub_projects": ["“互联网+监管”信息化平台", "行政监管栏目", "统一执法栏目"],
                "name": "系统覆盖率",
                "target": "=100%",
                "explanation": "区县覆盖率",
                "evidence": "十个区县使用情况",
            },
            {
                "category": "结果",
                "sub_projects": ["“互联网+监管”信息化平台", "行政监管栏目", "统一执法栏目"],
                "name": "监管事项落实度",
                "target": "=100%",
                "explanation": "监管事项落实度",
                "evidence": "监管事项落实情况",
            },
            # 影响力 rows: 对应子项目名称 blank on the form
            {
                "category": "影响力",
                "sub_projects": [],
                "name": "后期运行维护管理制度建设",
                "target": "建立",
                "explanation": "后期运行维护管理制度建设",
                "evidence": "后期运行维护管理制度建设",
            },
            {
                "category": "影响力",
                "sub_projects": [],
                "name": "专职管理落实情况",
                "target": "落实",
                "explanation": "专职管理落实情况",
                "evidence": "专职管理人员",
            },
            {
                "category": "影响力",
                "sub_projects": [],
                "name": "共享机制的建立",
                "target": "建立",
                "explanation": "共享机制",
                "evidence": "资料文件",
            },
            {
                "category": "影响力",
                "sub_projects": [],
                "name": "使用人员培训制度",
                "target": "建立",
                "explanation": "使用人员培训制度",
                "evidence": "使用人员培训制度",
            },
        ],
        # 需要说明的其它问题 blank
        "other_notes": "",
        # 填报单位负责人, 填报人 and 填报日期 blank
        "unit_head": "",
        "filled_by": "",
        "filled_on": None,
    },
    "004": {
        # no unit code on this form
        "unit_code": "",
        "unit_name": "苏州市公安局",
        "name": "姑苏区公安网格联动系统",
        "year": 2020,
        "project_type": "信息化工程及维护类",
        "project_attribute": "部门预算项目",
        "government_procurement": True,
        "government_service_purchase": False,
        # 项目负责人, 联系人 and 联系电话: labels only, no values in the extract
        "leaders": [],
        "contacts": [],
        # its label is missing from the extract; this is the text seed 003 gives as 项目概况
        "summary": (
            "为深入贯彻落实党的十九大精神和省、市创新社会治理、深化平安建设的部署要求，认真组织全"
            "市公安机关融入网格化社会治理机制，进一步加强新时代社区警务工作，夯实做强公安基层基"
            "础，提升治安管控工作效能，合力打造共建共治共享的社会治理格局，制定全市警务网格综治网"
            "格双网融合创新。"
        ),
        "basis": (
            "根据《关于加强全市社会综合治理网格化联动机制规范建设的意见》（苏委办发〔2019〕8号）文"
            "件要求。"
        ),
        "necessity": (
            "网格化社区警务工作作为区社会综合治理机制整体框架下的重要组成部分，要充分发挥网格化社"
            "区警务在网格化社会综合治理中的工作优势，取得工作实效，关键是要形成机制促进工作发展的"
            "良性循环。建立健全体系完备、应用灵活、贴近实战的系统性工作机制，是深化网格化社区警务"
            "长治久效的基本保障。要积极运用传统思路和逆向思维，以警务网格综治网格双网融合工作流程"
            "入手，把握情报收集、分析研判、指令流转、隐患处置等关键环节，强调单元自治、整体联动、"
            "统一协调的一体化工作模式，对接融合区综合治理联动机制，实现警务治理全流程工作机制再造"
            "升级，打造一套包容、全面、快速、高效、精准的网格化融合工作机制。"
        ),
        # the extract has a space after “双网融合”, a glyph gap like the one after “，” in the
        # 年度绩效目标 (which seed 003 prints without it)
        "safeguards": (
            "严格按照市局下发的《2019全市警务网格综治网格“双网融合”考核办法》进行项目规划和建设。"
            "为了保障项目进度，每周由姑苏分局人管支队召开工作进度会议。"
        ),
        # the extract scatters four “0.00” and one “0” among these labels (财政拨付资金 so
        # labelled); all amounts are zero, and the rates are read as 0.00 / 0 like the same
        # template in seed 001
        "last_year": {
            "budget": Decimal("0.00"),
            "appropriated": Decimal("0.00"),
            "spent": Decimal("0.00"),
            "arrival_rate": Decimal("0.00"),
            "execution_rate": Decimal("0"),
        },
        "fund_items": [
            ("姑苏区公安网格联动系统", Decimal("175.00")),
        ],
        "fund_items_total": Decimal("175.00"),
        # the extract keeps only the 本年度计划数 column: its header and two 175.00 (合计 and one
        # source row); the row labels are lost: read as 市级财政资金 (seed 003: 市级预算 年初预算数
        # 175.00). 项目投资总额 and 上年度资金 show nothing.
        "fund_sources": {
            "superior": (None, None, None),
            "municipal": (None, None, Decimal("175.00")),
            "subordinate": (None, None, None),
            "bank_loan": (None, None, None),
            "self_raised": (None, None, None),
            "other": (None, None, None),
        },
        "fund_source_totals": (None, None, Decimal("175.00")),
        # as in the extract, with the tab after each （n）. The last line is one line of the plan
        # cell in the extract (“建设内容” then a space, no colon), not the 项目总目标
        "implementation_plan": (
            "（1）\t项目论证与挂网招标\n"
            "阶段目标：完成项目立项、论证、招标文件挂网\n"
            "建设时间：2020年5月\n"
            "建设内容：通过进行内部和外部研讨，进行项目论证立项等，明确建设内容，制定招标文件。\n"
            "（2）\t完成招标、采购\n"
            "阶段目标：完成招标\n"
            "建设时间：2020年7月\n"
            "建设内容：通过政府采购面向全社会公开招标\n"
            "（3）\t建设实施、验收\n"
            "阶段目标：完成项目建设、验收\n"
            "建设时间：2020年8月-2020年11月\n"
            "建设内容 姑苏区公安网格联动平台网格全面覆盖、联动机制全面优化、工作质态全面提升、群众"
            "满意度全面提升"
        ),
        # the extract has the 项目总目标 label but no value: the only candidate,
        # “姑苏区公安网格联动平台网格全面覆盖…工作质态全面提升…”, sits on the same line as
        # “建设内容” inside the plan cell. Seed 003 (generated from the declaration) gives
        # “网格全面覆盖、联动机制全面优化、工作质效全面提升、群众满意度全面提升”, not copied.
        "overall_goal": "",
        # items 一 to 六 then 八: there is no 七 in the form (nor in seed 003). The extract's space
        # after “联动，” is a glyph gap (seed 003 has none)
        "annual_goal": (
            "一、进一步加强各部门协调联动，依托姑苏区公安网格联动平台，形成汇集综治、消防、社区等"
            "多部门协同核验的长效机制，确保一标多实数据全面、准确、专人维护、定期更新，实现数据从"
            "流入到流出的全程信息化管理，使姑苏区一标多实数据“一次采集，多次使用”，“源头采集，多方"
            "使用”。\n"
            "二、在公安网格联动平台开发“多实”信息采集模块，网格巡查员协助网格警务员对社区人、房、"
            "物、地、事、组织等治安要素进行采集，上传至综合网格平台，并将数据交换至区级公安网格平"
            "台，经数据核验后通过市公安局政务外网数据传输通道，将数据上传至公安部门“江苏省居住证信"
            "息管理系统”和“针眼”系统，跨网络数据传输一律严格按照公安网络安全边界相关要求实施。标准"
            "地址数据采集工作统一在市局“一标多实”信息采集系统开展。\n"
            "三、在综治网格平台嵌入矛盾纠纷信息采集模块，由网格警务员和网格巡查员共同采集各类矛盾"
            "纠纷和当事人信息，实时传送至综治联动平台，通过综治联动平台依情分类推送至职能部门，及"
            "时跟进化解，在本地实现各类矛盾化解业务闭环。\n"
            "四、主要是综治网格平台和公安网格平台对接“苏州市租赁住房信息服务与监管平台”，给网格警"
            "务员、网格巡查员开通用户账号，采集各类安全隐患信息，并上传至监管平台，在本地实现安全"
            "隐患整治闭环。\n"
            "五、在公安网格联动平台开发嵌入社区治安防范模块，通过脱密手段，下发任务派单，网格巡查"
            "员在网格警务员的指导下，开展社区重点人员走访、网格治安信息采集等工作，工作信息通过综"
            "治平台上传公安网格平台，由属地公安部门开展研判，落实“五位一体”管控措施。在本地实现社"
            "会治安防范业务闭环。\n"
            "六、互联网二维码功能不仅为居民提供标准地址核实、信息上报、居住证办理预约等功能，还通"
            "过信息核查推送功能为社区网格员、提供了精准服务，减轻了社区网格员的工作量，提高了核查"
            "效率，提升了人口数据鲜活度。\n"
            "八、科学设计网格员、物业保安、民警等社会治理力量的工作终端，对实现“人、地、事、物、"
            "情”等各类社会治理基础信息脱密后高度共享融合，汇聚线索信息进行统计分析展示。"
        ),
        "indicators": [
            # 投入 rows, in the order of the 2020 template (seed 001). The extract has no 指标名称
            # for the first two rows (nor the column's header): the names are those of the fixed
            # 投入 list that the targets and evidence (合规 / 合同、原始凭证, 健全 /
            # 财务管理制度文件) belong to, as seed 003 confirms. 目标解释 is blank in every 投入
            # row.
            {
                "category": "投入",
                "sub_projects": [],
                "name": "资金使用合规性",
                "target": "合规",
                "explanation": "",
                "evidence": "合同、原始凭证",
            },
            {
                "category": "投入",
                "sub_projects": [],
                "name": "财务制度健全性",
                "target": "健全",
                "explanation": "",
                "evidence": "财务管理制度文件",
            },
            # from here on the extract shows no 目标值 for the 投入 rows (seed 003 has them; not
            # copied); the next two rows keep the two orphan 目标值来源 fragments found after the
            # plan, “提供文件” and “项目方案、合同、” (seed 001, same template: 项目单位提供文件
            # and 项目方案、合同、)
            {
                "category": "投入",
                "sub_projects": [],
                "name": "资产产权明确性",
                "target": "",
                "explanation": "",
                "evidence": "提供文件",
            },
            {
                "category": "投入",
                "sub_projects": [],
                "name": "各级财政应承担资金到位率",
                "target": "",
                "explanation": "",
                "evidence": "项目方案、合同、",
            },
            # no 目标值 and no 目标值来源 in the extract for this row and the nine after it
            {
                "category": "投入",
                "sub_projects": [],
                "name": "预算执行率",
                "target": "",
                "explanation": "",
                "evidence": "",
            },
            {
                "category": "投入",
                "sub_projects": [],
                "name": "专款专用率",
                "target": "",
                "explanation": "",
                "evidence": "",
            },
            {
                "category": "投入",
                "sub_projects": [],
                "name": "资金节约率",
                "target": "",
                "explanation": "",
                "evidence": "",
            },
            {
                "category": "投入",
                "sub_projects": [],
                "name": "配套设施到位率",
                "target": "",
                "explanation": "",
                "evidence": "",
            },
            {
                "category": "投入",
                "sub_projects": [],
                "name": "实际风险事件有效控制率",
                "target": "",
                "explanation": "",
                "evidence": "",
            },
            {
                "category": "投入",
                "sub_projects": [],
                "name": "政府采购规范性",
                "target": "",
                "explanation": "",
                "evidence": "",
            },
            {
                "category": "投入",
                "sub_projects": [],
                "name": "可行研究充分性",
                "target": "",
                "explanation": "",
                "evidence": "",
            },
            {
                "category": "投入",
                "sub_projects": [],
                "name": "工程变更合规性",
                "target": "",
                "explanation": "",
                "evidence": "",
            },
            {
                "category": "投入",
                "sub_projects": [],
                "name": "与预期质量计划差距定期检查率",
                "target": "",
                "explanation": "",
                "evidence": "",
            },
            {
                "category": "投入",
                "sub_projects": [],
                "name": "业务运维体系健全性",
                "target": "",
                "explanation": "",
                "evidence": "",
            },
            # 产出 rows: names (extract lines 268-298) matched to their values (lines 171-220) in
            # order; only the first row's 目标值来源 says “调阅”
            {
                "category": "产出",
                "sub_projects": ["姑苏区公安网格联动系统"],
                "name": "实现抽取标准地址数据功能模块",
                "target": "完成",
                "explanation": "完成数据抽取",
                "evidence": "数据库调阅或平台查看",
            },
            # “抽取取” is doubled in the form (seed 003: 实现抽取实有人口数据功能模块)
            {
                "category": "产出",
                "sub_projects": ["姑苏区公安网格联动系统"],
                "name": "实现抽取取实有人口数据功能模块",
                "target": "完成",
                "explanation": "完成数据抽取",
                "evidence": "数据库查看或平台查看",
            },
            {
                "category": "产出",
                "sub_projects": ["姑苏区公安网格联动系统"],
                "name": "实现抽取实有房屋数据功能模块",
                "target": "完成",
                "explanation": "完成数据抽取",
                "evidence": "数据库查看或平台查看",
            },
            {
                "category": "产出",
                "sub_projects": ["姑苏区公安网格联动系统"],
                "name": "实现抽取实有单位数据功能模块",
                "target": "完成",
                "explanation": "完成数据抽取",
                "evidence": "数据库查看或平台查看",
            },
            {
                "category": "产出",
                "sub_projects": ["姑苏区公安网格联动系统"],
                "name": "与公安一标三实工作平台对接",
                "target": "完成",
                "explanation": "该项目能完成与一标三实接口数据对接",
                "evidence": "现场平台查看",
            },
            {
                "category": "产出",
                "sub_projects": ["姑苏区公安网格联动系统"],
                "name": "实现地址、人、房、单位上图功能",
                "target": "完成",
                "explanation": "人房单位可以点位上图",
                "evidence": "现场平台查看",
            },
            # “满满意度” is doubled in the form (seed 003: 基层所队系统使用满意度)
            {
                "category": "结果",
                "sub_projects": ["姑苏区公安网格联动系统"],
                "name": "基层所队系统使用满满意度",
                "target": ">80%",
                "explanation": "在姑苏分局派出所进行问卷调查",
                "evidence": "问卷调查",
            },
            {
                "category": "结果",
                "sub_projects": ["姑苏区公安网格联动系统"],
                "name": "项目整体验收合格率",
                "target": "=100%",
                "explanation": "验收报告",
                "evidence": "验收报告",
            },
            # 影响力 rows: 对应子项目名称 blank on the form
            {
                "category": "影响力",
                "sub_projects": [],
                "name": "提高社区基础信息采集率",
                "target": ">10%",
                "explanation": "比平台使用前采集量明显提升",
                "evidence": "系统截图",
            },
            # 指标解释 cut off mid-word in the form: “…联动中警情类数”
            {
                "category": "影响力",
                "sub_projects": [],
                "name": "资源共享整合度",
                "target": "=100%",
                "explanation": "公安非警情类数据共享联动中心联动中警情类数",
                "evidence": "系统截图",
            },
        ],
        # the form has a blank 备注 row where others have 需要说明的其它问题
        "other_notes": "",
        # 填报单位负责人（签名）, 填报人 and 填报日期 blank
        "unit_head": "",
        "filled_by": "",
        "filled_on": None,
    },
}
