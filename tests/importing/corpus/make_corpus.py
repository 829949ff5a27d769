# ruff: noqa: E501  (the documents' content: long Chinese literals, one row of a form a line)
"""The 绩效目标申报表 import corpus (issue 18): varied documents and their hand-written expected values.

Run `.venv/bin/python tests/importing/corpus/make_corpus.py` to (re)write every document and its
`NN_….expected.json` next to this file; `--check` also reads each document back with the plain
libraries (python-docx, openpyxl, pdfplumber) and verifies that every expected string is in it
and that each PDF has the pages the README promises. The output is byte-for-byte deterministic:
fixed document dates, fixed zip timestamps, fonts subset the same way every time.

The content of every document is written out literally below, once per document: the expected
dict `E` first (the values an importer must find, in the schema's units: 万元 with two places,
dates ISO, check boxes resolved to the ticked option), then the layout that shows them. Where the
document shows a value differently from the expected one (元 instead of 万元, a target split into
符号/数值/单位 cells, a ★ before a 核心指标, a check box row), the document's wording is written
literally too, never computed from the expected value. See README.md for the layouts' sources and
the mapping decisions.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import json
import logging
import re
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXED = dt.datetime(2024, 1, 2, 9, 0, 0)
ZIP_TIME = (2024, 1, 2, 9, 0, 0)

# ---------------------------------------------------------------------------------------------
# The expected dict
# ---------------------------------------------------------------------------------------------

SCALARS = (
    "unit_name",
    "unit_code",
    "name",
    "year",
    "project_type",
    "project_attribute",
    "government_procurement",
    "government_service_purchase",
    "summary",
    "basis",
    "necessity",
    "safeguards",
    "implementation_plan",
    "overall_goal",
    "annual_goal",
    "other_notes",
    "filled_by",
    "filled_on",
    "unit_head_name",
    "fund_items_total",
    "ly_budget",
    "ly_appropriated",
    "ly_spent",
    "ly_arrival_rate",
    "ly_execution_rate",
)
LISTS = ("leaders", "contacts", "fund_items", "fund_sources", "indicators", "extra")
SOURCES = ("superior", "municipal", "subordinate", "bank_loan", "self_raised", "other", "total")


def expected(**fields) -> dict:
    """Every key of the schema, blank unless given."""
    unknown = set(fields) - set(SCALARS) - set(LISTS)
    assert not unknown, unknown
    e: dict = {key: "" for key in SCALARS}
    e |= {
        "leaders": [],
        "contacts": [],
        "fund_items": [],
        "fund_sources": sources(),
        "indicators": [],
        "extra": {},
    }
    e |= fields
    return e


def sources(**rows: tuple[str, str, str]) -> dict:
    """项目资金来源: key -> (项目投资总额, 上年度资金, 本年度计划数) as 万元 strings."""
    assert set(rows) <= set(SOURCES), rows
    return {
        key: dict(
            zip(("total", "last_year", "this_year"), rows.get(key, ("", "", "")), strict=True)
        )
        for key in SOURCES
    }


def ind(category, subcategory, name, target, explanation="", evidence="", sub_projects=""):
    """One indicator row of the expected dict."""
    return {
        "category": category,
        "subcategory": subcategory,
        "name": name,
        "target": target,
        "explanation": explanation,
        "evidence": evidence,
        "sub_projects": sub_projects,
    }


def people(*names):
    return [{"name": n} for n in names]


def items(*pairs):
    return [{"name": n, "amount": a} for n, a in pairs]


# ---------------------------------------------------------------------------------------------
# Writers: python-docx, openpyxl, WeasyPrint, plain text
# ---------------------------------------------------------------------------------------------


def normalise_zip(path: Path) -> None:
    """Rewrite an OOXML zip with fixed timestamps (python-docx and openpyxl stamp the time of
    writing) so that a re-run writes the same bytes."""
    stamp = FIXED.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(path) as z:
        entries = [(info.filename, z.read(info.filename)) for info in z.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            if name == "docProps/core.xml":
                text = data.decode("utf-8")
                text = re.sub(
                    r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                    rf"\g<1>{stamp}\g<3>",
                    text,
                )
                data = text.encode("utf-8")
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    path.write_bytes(out.getvalue())


# --- python-docx ------------------------------------------------------------------------------


def new_docx():
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    d = Document()
    style = d.styles["Normal"]
    style.font.name = "宋体"
    style.font.size = Pt(10.5)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")
    for section in d.sections:
        section.left_margin = section.right_margin = Cm(2)
        section.top_margin = section.bottom_margin = Cm(2)
    props = d.core_properties
    props.author = props.last_modified_by = "填报人"
    props.created = props.modified = FIXED
    props.revision = 1
    return d


def para(d, text, *, size=None, bold=False, center=False, right=False):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = d.add_paragraph()
    run = p.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif right:
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return p


def set_text(cell, text) -> None:
    """A cell's text, one paragraph per line (a merged cell keeps the merged cells' paragraphs:
    all but the first are dropped first)."""
    for p in cell.paragraphs[1:]:
        p._element.getparent().remove(p._element)
    lines = str(text).split("\n")
    first = cell.paragraphs[0]
    for run in list(first.runs):
        run._element.getparent().remove(run._element)
    first.add_run(lines[0])
    for line in lines[1:]:
        cell.add_paragraph(line)


class DocTable:
    """A python-docx table written row by row: a cell is text or (text, colspan); rowspans are
    merged afterwards with vmerge (the rows below carry "" until then)."""

    def __init__(self, d, ncols: int, widths_cm: tuple[float, ...] | None = None):
        from docx.shared import Cm

        self.n = ncols
        self.t = d.add_table(rows=0, cols=ncols)
        self.t.style = "Table Grid"
        self.widths = [Cm(w) for w in widths_cm] if widths_cm else None

    def row(self, *cells) -> int:
        r = self.t.add_row()
        if self.widths:
            for cell, width in zip(r.cells, self.widths, strict=True):
                cell.width = width
        i = len(self.t.rows) - 1
        c = 0
        for cell in cells:
            text, span = cell if isinstance(cell, tuple) else (cell, 1)
            target = self.t.cell(i, c)
            if span > 1:
                target = target.merge(self.t.cell(i, c + span - 1))
            set_text(target, text)
            c += span
        assert c == self.n, (cells, c, self.n)
        return i

    def vmerge(self, r1: int, r2: int, c: int, text: str, c2: int | None = None) -> None:
        merged = self.t.cell(r1, c).merge(self.t.cell(r2, c if c2 is None else c2))
        set_text(merged, text)


def save_docx(d, name: str) -> Path:
    path = HERE / name
    d.save(path)
    normalise_zip(path)
    return path


# --- openpyxl ---------------------------------------------------------------------------------


class Sheet:
    """An openpyxl worksheet written by cell reference, with merges, borders and wrapping."""

    def __init__(self, ws, widths: dict[str, float]):
        self.ws = ws
        for col, width in widths.items():
            ws.column_dimensions[col].width = width
        self.boxed: list[str] = []

    def put(
        self,
        ref: str,
        value,
        merge_to: str | None = None,
        *,
        box=True,
        bold=False,
        center=False,
        fmt: str | None = None,
    ):
        from openpyxl.styles import Alignment, Font

        cell = self.ws[ref]
        cell.value = value
        cell.alignment = Alignment(
            wrap_text=True, vertical="center", horizontal="center" if center else None
        )
        if bold:
            cell.font = Font(bold=True)
        if fmt:
            cell.number_format = fmt
        if merge_to:
            self.ws.merge_cells(f"{ref}:{merge_to}")
        if box:
            self.boxed.append(f"{ref}:{merge_to or ref}")
        return cell

    def finish(self) -> None:
        from openpyxl.styles import Border, Side

        thin = Side(style="thin")
        border = Border(left=thin, right=thin, top=thin, bottom=thin)
        for area in self.boxed:
            for row in self.ws[area]:
                for cell in row:
                    cell.border = border


def new_workbook():
    from openpyxl import Workbook

    wb = Workbook()
    wb.properties.creator = wb.properties.lastModifiedBy = "填报人"
    wb.properties.created = wb.properties.modified = FIXED
    return wb


def save_xlsx(wb, name: str) -> Path:
    path = HERE / name
    wb.save(path)
    normalise_zip(path)
    return path


# --- WeasyPrint -------------------------------------------------------------------------------

_NOTO = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


def _font_face(text: str) -> str:
    """An @font-face with Noto Sans CJK SC cut down to the characters the page uses: WeasyPrint's
    own subset of the whole CJK font is 150-250 KB a PDF, this one a third of that. ☑ is not in
    Noto CJK: it falls back to DejaVu Sans (a small TrueType subset)."""
    from fontTools import subset
    from fontTools.ttLib import TTCollection

    collection = TTCollection(_NOTO)
    font = next(f for f in collection.fonts if f["name"].getDebugName(1) == "Noto Sans CJK SC")
    font.recalcTimestamp = False  # else the head table carries the time of the run
    options = subset.Options()
    options.desubroutinize = True
    options.hinting = False
    options.layout_features = []
    options.name_IDs = [1, 2]
    subsetter = subset.Subsetter(options)
    chars = set(text) | set(" 0123456789.,:;%()-=+<>/")
    subsetter.populate(text="".join(sorted(chars)))
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    data = base64.b64encode(out.getvalue()).decode("ascii")
    return f'@font-face {{ font-family: "CorpusCJK"; src: url(data:font/otf;base64,{data}); }}'


PDF_CSS = """
@page { size: A4; margin: 16mm 14mm 16mm 14mm;
        @bottom-center { content: "第 " counter(page) " 页，共 " counter(pages) " 页"; font-size: 8pt; } }
body { font-family: "CorpusCJK", "DejaVu Sans"; font-size: 9.5pt; line-height: 1.45; }
h1 { font-size: 15pt; font-weight: normal; text-align: center; margin: 0 0 2mm 0; }
p { margin: 1mm 0; }
.c { text-align: center; } .r { text-align: right; }
.line { display: flex; justify-content: space-between; margin: 2mm 0; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0; }
th, td { border: 0.6pt solid #000; padding: 1.2mm 1.5mm; vertical-align: middle; font-weight: normal; }
th { background: #eee; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; }
.lbl { width: 22%; text-align: center; }
"""


def render_pdf(body: str, name: str) -> Path:
    """A PDF with a real text layer from an HTML body."""
    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    text = html.unescape(re.sub(r"<[^>]+>", "", body)) + "第页共"
    page = (
        f'<html><head><meta charset="utf-8"><style>{_font_face(text)}{PDF_CSS}</style>'
        f"</head><body>{body}</body></html>"
    )
    path = HERE / name
    path.write_bytes(HTML(string=page).write_pdf())
    return path


def td(text="", rs=1, cs=1, cls="", tag="td") -> str:
    attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
    attrs += f' class="{cls}"' if cls else ""
    body = "<br>".join(html.escape(line) for line in str(text).split("\n"))
    return f"<{tag}{attrs}>{body}</{tag}>"


def th(text="", rs=1, cs=1, cls="") -> str:
    return td(text, rs, cs, cls, tag="th")


def tr(*cells) -> str:
    return "<tr>" + "".join(cells) + "</tr>"


def p(text, cls="") -> str:
    return f'<p class="{cls}">' + html.escape(text) + "</p>"


def write_text(name: str, text: str) -> Path:
    path = HERE / name
    path.write_text(text, encoding="utf-8")
    return path


# =============================================================================================
# The documents
# =============================================================================================

DOCUMENTS: list = []


def document(func):
    DOCUMENTS.append(func)
    return func


SUZHOU_TYPES = (
    "公共事业类",
    "政策类",
    "信息化工程及维护类",
    "设备购置及维护类",
    "基本建设及维护类",
)
SUZHOU_ATTRS = ("市立项目", "部门预算项目", "政府性基金项目", "国有资本收益项目")


def boxes(options, ticked, on="☑", off="□", sep="  ", before=False) -> str:
    """A check-box row as forms print it: 「公共事业类□  政策类□  信息化工程及维护类☑」."""
    return sep.join(
        (on if o == ticked else off) + o if before else o + (on if o == ticked else off)
        for o in options
    )


@document
def d01():
    """苏州市 form (the seeds' template) as a Word table: labels left, merged cells everywhere."""
    name = "01_suzhou_classic.docx"
    E = expected(
        unit_name="苏州市城市管理局",
        name="苏州市数字城管平台升级改造项目",
        year="2024",
        project_type="信息化工程及维护类",
        project_attribute="部门预算项目",
        government_procurement="是",
        government_service_purchase="否",
        leaders=people("周建平"),
        contacts=[{"name": "沈丽", "phone": "0512-68717325"}],
        summary=(
            "苏州市数字城管平台自2012年建成运行，现有系统已不能满足城市精细化管理需要。本项目对平台进行"
            "升级改造，主要内容包括：\n"
            "1、开展全市城市部件普查更新，更新部件数据约48万条；\n"
            "2、新增视频智能分析模块，对占道经营、暴露垃圾等8类问题实现自动识别；\n"
            "3、提供平台年度运维服务。"
        ),
        basis=(
            "《苏州市城市管理领域专项规划（2021-2025年）》\n"
            "《关于加快推进城市运行“一网统管”的实施意见》（苏府办〔2021〕112号）"
        ),
        necessity=(
            "现有部件数据普查于2016年完成，与现状差异较大，影响案件派遣准确性；人工巡查发现问题效率低，"
            "亟需引入视频智能分析手段，提升问题发现能力，支撑“一网统管”建设。"
        ),
        safeguards=(
            "1、成立项目建设领导小组，明确分管领导和责任处室；\n"
            "2、严格执行政府采购和合同管理制度；\n"
            "3、按合同约定节点验收、付款。"
        ),
        implementation_plan=(
            "2024年1到3月：完成需求调研和采购文件编制；\n"
            "2024年4到5月：完成公开招标并签订合同；\n"
            "2024年6到10月：完成部件普查和视频智能分析模块开发部署；\n"
            "2024年11月：项目初验；\n"
            "2024年12月：支付合同款的95%，剩余5%质保金于终验起算2年后支付。"
        ),
        overall_goal=(
            "建成覆盖全市建成区、数据鲜活、发现及时、处置高效的数字城管平台，城市管理问题主动发现率"
            "达到90%以上。"
        ),
        annual_goal="完成全市城市部件普查更新和视频智能分析模块建设，平台稳定运行，案件按期结案率不低于95%。",
        filled_by="沈丽",
        filled_on="2023-10-20",
        unit_head_name="顾志刚",
        ly_budget="180.00",
        ly_appropriated="180.00",
        ly_spent="172.56",
        ly_arrival_rate="100",
        ly_execution_rate="95.87",
        fund_items=items(
            ("城市部件普查更新", "96.00"), ("视频智能分析模块", "120.50"), ("平台运维服务", "70.00")
        ),
        fund_items_total="286.50",
        fund_sources=sources(
            municipal=("466.50", "180.00", "286.50"), total=("466.50", "180.00", "286.50")
        ),
        indicators=[
            ind(
                "投入",
                "",
                "预算执行率",
                "=100%",
                "考察实际支出资金占预算到位资金的比率",
                "项目批复文件、原始凭证",
            ),
            ind("投入", "", "资金使用合规性", "合规", "", "合同、原始凭证"),
            ind("投入", "", "政府采购规范性", "规范", "", "政府采购相关制度文件"),
            ind(
                "投入",
                "",
                "资金节约率",
                "15%及以下",
                "考察中标价格与采购预算的偏差情况",
                "项目单位提供文件",
            ),
            ind(
                "产出",
                "",
                "部件普查更新数量",
                "≥48万条",
                "普查更新的城市部件数据条数",
                "普查成果报告",
                "城市部件普查更新",
            ),
            ind(
                "产出",
                "",
                "智能识别问题类型",
                "=8类",
                "视频智能分析模块可自动识别的问题类型数",
                "验收报告",
                "视频智能分析模块",
            ),
            ind("产出", "", "接入视频点位数", "≥1200个", "", "平台接入清单", "视频智能分析模块"),
            ind(
                "产出",
                "",
                "系统验收合格率",
                "=100%",
                "",
                "验收报告",
                "城市部件普查更新\n视频智能分析模块",
            ),
            ind(
                "产出",
                "",
                "运维响应时间",
                "≤2小时",
                "故障报修至运维人员响应的时间",
                "运维记录",
                "平台运维服务",
            ),
            ind(
                "结果",
                "",
                "问题主动发现率",
                "≥90%",
                "主动发现问题数占问题总数的比例",
                "平台统计数据",
                "视频智能分析模块",
            ),
            ind("结果", "", "案件按期结案率", "≥95%", "", "平台统计数据", "平台运维服务"),
            ind("结果", "", "平台年可用率", "≥99.5%", "", "运维报告", "平台运维服务"),
            ind(
                "结果",
                "",
                "使用单位满意度",
                "≥90%",
                "",
                "满意度调查",
                "城市部件普查更新\n视频智能分析模块\n平台运维服务",
            ),
            ind("影响力", "", "长效运维机制", "建立", "", "运维管理制度"),
            ind("影响力", "", "城市精细化管理水平", "显著提升", "", "年度考核结果"),
        ],
    )
    d = new_docx()
    para(d, "苏州市财政支出项目绩效目标申报表", size=16, bold=True, center=True)
    para(d, "（2024年）", center=True)
    para(d, "申报单位名称：苏州市城市管理局（盖章）")
    t = DocTable(d, 7, (3.2, 1.6, 1.6, 2.2, 2.0, 2.2, 2.6))
    t.row("项目名称", (E["name"], 6))
    t.row(
        "项目类型",
        (
            boxes(SUZHOU_TYPES[:3], E["project_type"])
            + "\n"
            + boxes(SUZHOU_TYPES[3:], E["project_type"]),
            6,
        ),
    )
    t.row("是否政府采购", ("是☑  否□", 2), ("是否政府购买服务", 2), ("是□  否☑", 2))
    t.row("项目属性", (boxes(SUZHOU_ATTRS, E["project_attribute"]), 6))
    t.row("项目负责人", ("周建平", 2), ("联系人", 2), ("沈丽", 2))
    t.row("联系电话", ("0512-68717325", 6))
    t.row("项目年度", ("2024", 6))
    t.row("项目概况", (E["summary"], 6))
    t.row("项目设立依据\n（相关批文名称）", (E["basis"], 6))
    t.row("项目设立的必要性", (E["necessity"], 6))
    t.row("保证项目实施的制度、措施", (E["safeguards"], 6))
    r = t.row(
        "本项目上年度市级财政资金使用情况",
        ("预算安排资金（万元）", 2),
        "180.00",
        ("财政拨款资金（万元）", 2),
        "180.00",
    )
    t.row("", ("实际支出资金（万元）", 2), "172.56", ("资金到位率（%）", 2), "100")
    t.row("", ("预算执行率（%）", 2), "95.87", ("", 2), "")
    t.vmerge(r, r + 2, 0, "本项目上年度市级财政资金使用情况")
    r = t.row(
        "项目资金构成（详细列出各子项目名称和金额）", ("子项目名称", 4), ("预算金额（万元）", 2)
    )
    t.row("", ("合计", 4), ("286.50", 2))  # the 合计 first, as on seed 001
    for item in E["fund_items"]:
        t.row("", (item["name"], 4), (item["amount"], 2))
    t.vmerge(r, r + 4, 0, "项目资金构成（详细列出各子项目名称和金额）")
    r = t.row(
        "项目资金来源（万元）", ("资金来源", 2), ("项目投资总额", 2), "上年度资金", "本年度计划数"
    )
    t.row("", ("合  计", 2), ("466.50", 2), "180.00", "286.50")
    for label in ("上级财政资金", "市级财政资金", "下级财政资金", "银行贷款", "单位自筹", "其  他"):
        values = ("466.50", "180.00", "286.50") if label == "市级财政资金" else ("", "", "")
        t.row("", (label, 2), (values[0], 2), values[1], values[2])
    t.vmerge(r, r + 7, 0, "项目资金来源（万元）")
    t.row("项目实施计划", (E["implementation_plan"], 6))
    t.row("项目总目标", (E["overall_goal"], 6))
    t.row("年度绩效目标", (E["annual_goal"], 6))
    first = t.row(
        "分解目标", "类别", "对应子项目名称", ("指标名称", 1), "目标值", "指标解释", "目标值来源"
    )
    groups: dict[str, list[int]] = {}
    for i in E["indicators"]:
        row = t.row(
            "",
            i["category"],
            i["sub_projects"],
            i["name"],
            i["target"],
            i["explanation"],
            i["evidence"],
        )
        groups.setdefault(i["category"], []).append(row)
    for category, rows in groups.items():
        t.vmerge(rows[0], rows[-1], 1, category)
    t.vmerge(first, first + len(E["indicators"]), 0, "分解目标")
    t.row("需要说明的其它问题", ("", 6))
    t.row(
        ("填报单位负责人（签名）：顾志刚", 3), ("填报人：沈丽", 2), ("填报日期：2023年10月20日", 2)
    )
    save_docx(d, name)
    return name, E


@document
def d02():
    """The Ministry's 项目支出绩效目标申报表 (中央部门 / 北京市 style): a header table, then a separate
    indicator table with 中期指标值 and 年度指标值 columns; ★ marks 核心指标."""
    name = "02_beijing_two_tables.docx"
    E = expected(
        unit_name="北京市朝阳区教育委员会",
        name="朝阳区中小学课后服务补助经费",
        year="2024",
        leaders=people("刘振华"),
        contacts=[{"name": "刘振华", "phone": "010-65094512"}],
        overall_goal=(
            "目标1：全区义务教育阶段学校课后服务全覆盖，有需求的学生应参尽参。\n"
            "目标2：建立以学校为主体、校外资源有序参与的课后服务课程体系。\n"
            "目标3：健全课后服务经费保障和质量评价长效机制。"
        ),
        annual_goal=(
            "2024年度为全区112所公办中小学提供课后服务补助，课后服务学生参与率不低于80%，开设科技、"
            "体育、艺术等课程不少于25类，学生和家长满意度均达到90%以上。"
        ),
        fund_sources=sources(municipal=("", "", "4860.00"), total=("", "", "4860.00")),
        indicators=[
            ind("产出", "数量指标", "开展课后服务学校数", "=112所"),
            ind("产出", "数量指标", "课后服务参与学生人数", "≥11万人"),
            ind("产出", "质量指标", "课后服务课程开设门类", "≥25类"),
            ind("产出", "质量指标", "外聘教师资质审核合格率", "100%"),
            ind("产出", "时效指标", "补助资金拨付及时率", "100%"),
            ind("产出", "时效指标", "课程安排完成时间", "每学期开学前"),
            ind("产出", "成本指标", "生均课后服务补助标准", "≤1200元/生·年"),
            ind("效益", "社会效益指标", "学生课后服务参与率", "≥80%"),
            ind("效益", "社会效益指标", "家长接送难问题缓解程度", "有效缓解"),
            ind("效益", "可持续影响指标", "课后服务长效保障机制", "逐步健全"),
            ind("满意度", "服务对象满意度指标", "学生满意度", "≥90%"),
            ind("满意度", "服务对象满意度指标", "家长满意度", "≥90%"),
        ],
        extra={"主管部门": "北京市朝阳区教育委员会"},
    )
    # The 三级指标 as printed (★ = 核心指标) and the 中期指标值 column, which the schema has no place for.
    printed = [
        "★开展课后服务学校数",
        "课后服务参与学生人数",
        "课后服务课程开设门类",
        "外聘教师资质审核合格率",
        "补助资金拨付及时率",
        "课程安排完成时间",
        "生均课后服务补助标准",
        "★学生课后服务参与率",
        "家长接送难问题缓解程度",
        "课后服务长效保障机制",
        "学生满意度",
        "家长满意度",
    ]
    midterm = [
        "全区公办中小学全覆盖",
        "≥12万人",
        "≥30类",
        "100%",
        "100%",
        "每学期开学前",
        "≤1500元/生·年",
        "≥85%",
        "明显缓解",
        "健全",
        "≥92%",
        "≥92%",
    ]
    d = new_docx()
    para(d, "项目支出绩效目标申报表", size=16, bold=True, center=True)
    para(d, "（2024年度）", center=True)
    t = DocTable(d, 5, (3.0, 3.0, 3.6, 3.0, 3.6))
    t.row("项目名称", (E["name"], 4))
    t.row("主管部门", (E["extra"]["主管部门"], 2), "实施单位", "北京市朝阳区教育委员会")
    t.row("项目负责人及电话", ("刘振华  010-65094512", 4))
    r = t.row("资金情况\n（万元）", "年度资金总额：", ("4860.00", 3))
    t.row("", "其中：财政拨款", ("4860.00", 3))
    t.row("", "其他资金", ("", 3))
    t.vmerge(r, r + 2, 0, "资金情况\n（万元）")
    r = t.row("总体目标", ("中长期目标", 2), ("年度目标", 2))
    t.row("", (E["overall_goal"], 2), (E["annual_goal"], 2))
    t.vmerge(r, r + 1, 0, "总体目标")
    para(d, "")
    para(d, "绩效指标", bold=True)
    t2 = DocTable(d, 5, (2.4, 2.8, 5.0, 3.2, 3.2))
    t2.row("一级指标", "二级指标", "三级指标", "中期指标值", "年度指标值")
    spans: dict[tuple, list[int]] = {}
    firsts: dict[str, list[int]] = {}
    raw = {"产出": "产出指标", "效益": "效益指标", "满意度": "满意度指标"}
    for i, label, mid in zip(E["indicators"], printed, midterm, strict=True):
        row = t2.row(raw[i["category"]], i["subcategory"], label, mid, i["target"])
        spans.setdefault((i["category"], i["subcategory"]), []).append(row)
        firsts.setdefault(i["category"], []).append(row)
    for (_, sub), rows in spans.items():
        t2.vmerge(rows[0], rows[-1], 1, sub)
    for category, rows in firsts.items():
        t2.vmerge(rows[0], rows[-1], 0, raw[category])
    save_docx(d, name)
    return name, E


@document
def d03():
    """上海市财政支出项目绩效目标申报表: every header cell holds 「label：value」; the 资金明细 is a
    sentence in one cell; 项目类型 / 资金用途 are Shanghai's own check-box lists (√ after the
    option); the indicator table follows as a second table."""
    name = "03_shanghai_colon_inline.docx"
    types = (
        "市委市政府已确定的新增项目",
        "结转项目",
        "其他一次性项目",
        "经常性专项业务费",
        "其他经常性项目",
    )
    uses = (
        "基本建设工程类",
        "信息化建设类",
        "政策补贴类",
        "政府购买服务",
        "资产购置类",
        "其他事业专业类",
    )
    E = expected(
        unit_name="上海市徐汇区卫生健康委员会",
        name="徐汇区家庭医生签约服务信息平台建设",
        year="2024",
        project_type="其他一次性项目",
        government_procurement="是",
        government_service_purchase="否",
        leaders=people("钱晓峰"),
        contacts=[{"name": "陆佳", "phone": "021-64872310"}],
        summary=(
            "依托区卫生健康信息平台，建设家庭医生签约服务信息平台，实现签约、履约、转诊、健康管理全流程"
            "线上办理，覆盖全区13家社区卫生服务中心。\n"
            "主要内容：签约服务管理系统开发、移动端应用开发、服务器及终端设备购置、网络安全等级保护测评。"
        ),
        basis="《上海市家庭医生签约服务工作规范（2023版）》；《徐汇区卫生健康事业发展“十四五”规划》。",
        necessity=(
            "现有签约数据分散在各中心的业务系统中，居民无法线上查看和续约，考核数据需人工汇总，难以支撑"
            "“1+1+1”签约扩面提质要求。"
        ),
        safeguards="成立项目领导小组；执行区卫生健康委信息化项目管理办法；重要节点组织专家评审和第三方测评。",
        implementation_plan="2024年3月完成招标；4-9月系统开发与设备部署；10月试运行；11月完成等保测评；12月验收。",
        annual_goal=(
            "完成家庭医生签约服务信息平台建设并上线运行，13家社区卫生服务中心全部接入，居民线上签约、续约"
            "功能可用，签约数据实现自动汇总。"
        ),
        filled_by="陆佳",
        filled_on="2023-11-02",
        fund_items=items(("软件开发", "168.00"), ("硬件购置", "52.80"), ("等级保护测评", "25.00")),
        fund_sources=sources(municipal=("", "", "245.80"), total=("", "", "245.80")),
        indicators=[
            ind("产出", "数量指标", "接入社区卫生服务中心数", "13家"),
            ind("产出", "数量指标", "开发功能模块数", "≥8个"),
            ind("产出", "质量指标", "系统验收通过率", "100%"),
            ind("产出", "质量指标", "等级保护测评", "通过三级等保测评"),
            ind("产出", "时效指标", "平台上线时间", "2024年10月底前"),
            ind("产出", "成本指标", "项目总成本", "≤245.8万元"),
            ind("效益", "社会效益指标", "居民线上签约续约占比", "≥30%"),
            ind("效益", "可持续影响指标", "签约数据自动汇总率", "100%"),
            ind("满意度", "服务对象满意度指标", "签约居民满意度", "≥90%"),
        ],
        extra={"资金用途": "信息化建设类", "开始时间": "2024/1/1", "结束时间": "2024/12/31"},
    )
    d = new_docx()
    para(d, "上海市财政支出项目绩效目标申报表", size=16, bold=True, center=True)
    para(d, "（2024年度）", center=True)
    t = DocTable(d, 2, (8.3, 8.3))
    t.row(("申报单位名称：" + E["unit_name"], 2))
    t.row(("项目名称：" + E["name"], 2))
    t.row(
        (
            "项目类型："
            + boxes(types[:3], E["project_type"], on="√")
            + "\n"
            + boxes(types[3:], E["project_type"], on="√"),
            2,
        )
    )
    t.row(("资金用途：" + boxes(uses, "信息化建设类", on="√"), 2))
    t.row("开始时间：2024/1/1", "结束时间：2024/12/31")
    t.row("项目负责人：钱晓峰", "联系人：陆佳    联系电话：021-64872310")
    t.row("是否政府采购：是", "是否政府购买服务：否")
    t.row(("项目概况：" + E["summary"], 2))
    t.row(("立项依据：" + E["basis"], 2))
    t.row(("项目设立的必要性：" + E["necessity"], 2))
    t.row(("保证项目实施的制度、措施：" + E["safeguards"], 2))
    t.row(("项目实施计划：" + E["implementation_plan"], 2))
    t.row("项目资金总额（万元）：245.80", "其中：区级财政资金（万元）：245.80")
    t.row(("资金明细：软件开发168.00万元；硬件购置52.80万元；等级保护测评25.00万元。", 2))
    t.row(("年度绩效目标：" + E["annual_goal"], 2))
    para(d, "")
    t2 = DocTable(d, 4, (3.0, 3.4, 6.0, 4.2))
    t2.row("一级指标", "二级指标", "三级指标", "指标值")
    raw = {"产出": "产出指标", "效益": "效益指标", "满意度": "满意度指标"}
    spans: dict[tuple, list[int]] = {}
    firsts: dict[str, list[int]] = {}
    for i in E["indicators"]:
        row = t2.row(raw[i["category"]], i["subcategory"], i["name"], i["target"])
        spans.setdefault((i["category"], i["subcategory"]), []).append(row)
        firsts.setdefault(i["category"], []).append(row)
    for (_, sub), rows in spans.items():
        t2.vmerge(rows[0], rows[-1], 1, sub)
    for category, rows in firsts.items():
        t2.vmerge(rows[0], rows[-1], 0, raw[category])
    para(d, "填报人：陆佳        填报日期：2023年11月2日")
    save_docx(d, name)
    return name, E


@document
def d04():
    """东莞市财政项目支出绩效目标表: three label/value pairs in one row, 总体目标 as two columns
    (中期滚动目标 | 年度目标), and an indicator table with two parallel blocks of 二级/三级/指标值:
    the 中期 block on the left, the 年度 block (what the year is declared against) on the right."""
    name = "04_dongguan_midterm.pdf"
    E = expected(
        unit_name="东莞市交通运输局",
        name="镇村公交候车亭提升改造工程",
        year="2024",
        leaders=people("黄志明"),
        contacts=[{"name": "邓晓燕", "phone": "0769-22830516"}],
        overall_goal=(
            "2024年—2026年对全市镇村公交线路沿线600座老旧候车亭进行提升改造，新增电子站牌300块，"
            "实现候车亭风格统一、功能完善、信息服务到站。"
        ),
        annual_goal="2024年完成220座候车亭提升改造，新增电子站牌100块，年度预算执行率不低于90%。",
        fund_sources=sources(municipal=("3600.00", "", "1250.00")),
        indicators=[
            ind("产出", "数量指标（或建筑规模指标）", "提升改造候车亭数量", "220座"),
            ind("产出", "数量指标（或建筑规模指标）", "新增电子站牌数量", "100块"),
            ind("产出", "质量指标", "工程验收合格率", "100%"),
            ind(
                "产出",
                "时效指标（工期指标、形象进度指标）",
                "年度改造任务完成时间",
                "2024年12月31日前",
            ),
            ind("产出", "预算（或投资规模）控制指标", "单座候车亭改造成本", "≤6万元"),
            ind("产出", "预算（或投资规模）控制指标", "年度预算执行率", "≥90%"),
            ind("效益", "社会、经济、生态效益指标", "镇村公交候车环境改善情况", "明显改善"),
            ind("效益", "社会、经济、生态效益指标", "电子站牌到站信息准确率", "≥95%"),
            ind("效益", "可持续影响指标", "候车亭日常管养机制", "建立"),
            ind("满意度", "服务对象满意度指标", "乘客满意度", "≥85%"),
        ],
        extra={"中期市财政预算（万元）": "3600.00"},
    )
    # (一级 as printed, 中期 二级, 中期 三级, 中期 指标值) beside each 年度 row.
    midterm = [
        ("预期产出指标", "数量指标（或建筑规模指标）", "提升改造候车亭数量", "600座"),
        ("预期产出指标", "数量指标（或建筑规模指标）", "新增电子站牌数量", "300块"),
        ("预期产出指标", "质量指标", "工程验收合格率", "100%"),
        ("预期产出指标", "时效指标（工期指标）", "工程完工及时性", "2026年底前全部完工"),
        ("预期产出指标", "预算（或投资规模）控制指标", "单座候车亭改造成本", "≤6万元"),
        ("预期产出指标", "预算（或投资规模）控制指标", "年度预算执行率", "≥90%"),
        ("效果指标", "社会、经济、生态效益指标", "镇村公交候车环境改善情况", "明显改善"),
        ("效果指标", "社会、经济、生态效益指标", "电子站牌到站信息准确率", "≥95%"),
        ("效果指标", "可持续影响指标", "候车亭日常管养机制", "建立并有效运行"),
        ("满意度指标", "服务对象满意度指标", "乘客满意度", "≥90%"),
    ]
    head = "".join(
        [
            "<h1>东莞市财政项目支出绩效目标申报表</h1>",
            p("（2024年度）", "c"),
            '<div class="line"><span>预算单位：东莞市交通运输局</span><span>金额单位：万元</span></div>',
            "<table>",
            tr(
                td("项目名称", cls="c"),
                td(E["name"]),
                td("中期市财政预算（万元）", cls="c"),
                td("3600.00"),
                td("本年度申请市财政预算资金（万元）", cls="c"),
                td("1250.00"),
            ),
            tr(
                td("项目负责人", cls="c"),
                td("黄志明"),
                td("联系人", cls="c"),
                td("邓晓燕"),
                td("联系电话", cls="c"),
                td("0769-22830516"),
            ),
            tr(
                td("总体目标", rs=2, cls="c"),
                td("中期滚动目标（2024年—2026年）", cs=3, cls="c"),
                td("年度目标", cs=2, cls="c"),
            ),
            tr(td(E["overall_goal"], cs=3), td(E["annual_goal"], cs=2)),
            "</table>",
        ]
    )
    rows = [
        tr(
            th("一级指标", rs=2),
            th("中期指标（2024年—2026年）", cs=3),
            th("年度指标（2024年）", cs=3),
        ),
        tr(
            th("二级指标"),
            th("三级指标"),
            th("指标值（或计划水平）"),
            th("二级指标"),
            th("三级指标"),
            th("计划指标值（或计划水平）"),
        ),
    ]
    n = len(E["indicators"])
    for k, (i, (level1, msub, mname, mvalue)) in enumerate(
        zip(E["indicators"], midterm, strict=True)
    ):
        cells = []
        if k == 0 or midterm[k - 1][0] != level1:
            cells.append(td(level1, rs=sum(1 for m in midterm if m[0] == level1), cls="c"))
        if k == 0 or midterm[k - 1][1] != msub:
            cells.append(td(msub, rs=sum(1 for m in midterm if m[1] == msub)))
        cells += [td(mname), td(mvalue, cls="c")]
        prev = E["indicators"][k - 1]["subcategory"] if k else None
        if prev != i["subcategory"]:
            cells.append(
                td(
                    i["subcategory"],
                    rs=sum(1 for j in E["indicators"] if j["subcategory"] == i["subcategory"]),
                )
            )
        cells += [td(i["name"]), td(i["target"], cls="c")]
        rows.append(tr(*cells))
    assert n == len(rows) - 2
    table = (
        "<p>绩效指标</p><table>"
        + "<thead>"
        + "".join(rows[:2])
        + "</thead><tbody>"
        + "".join(rows[2:])
        + "</tbody></table>"
    )
    render_pdf(head + table, name)
    return name, E


@document
def d05():
    """浙江 / 杭州 style 项目支出绩效目标表 in Excel: two label/value pairs per row, 实施期 and 年度
    money, and 指标值 split into 符号 | 数值 | 单位 under a two-row header (数值 stored as numbers)."""
    name = "05_hangzhou_split_target.xlsx"
    # (一级 as printed, 二级, 三级, 符号, 数值, 单位, 指标解释): the document's cells, written out.
    rows = [
        (
            "产出指标",
            "数量指标",
            "农村供水工程巡查次数",
            "≥",
            12,
            "次/年",
            "对县级统管工程开展巡查的次数",
        ),
        ("产出指标", "数量指标", "水质检测覆盖行政村数", "≥", 1860, "个", ""),
        ("产出指标", "数量指标", "管网维修改造长度", "≥", 85, "公里", ""),
        ("产出指标", "质量指标", "农村饮用水水质达标率", "≥", 95, "%", "按季度抽检结果计算"),
        ("产出指标", "质量指标", "供水保证率", "≥", 95, "%", ""),
        ("产出指标", "质量指标", "维修工程验收合格率", "=", 100, "%", ""),
        ("产出指标", "时效指标", "故障抢修响应时间", "≤", 24, "小时", "接报至抢修人员到场"),
        ("产出指标", "时效指标", "管网改造完工时间", None, "2024年11月底前", None, ""),
        ("产出指标", "成本指标", "单公里管网改造成本", "≤", 8.5, "万元", ""),
        ("效益指标", "社会效益指标", "受益农村人口", "≥", 120, "万人", ""),
        ("效益指标", "社会效益指标", "农村饮水安全保障水平", None, "显著提升", None, ""),
        ("效益指标", "生态效益指标", "水源地保护范围划定率", "=", 100, "%", ""),
        ("效益指标", "可持续影响指标", "县级统管长效机制", None, "健全", None, ""),
        ("满意度指标", "服务对象满意度指标", "受益群众满意度", "≥", 90, "%", "抽样问卷调查"),
    ]
    targets = [
        "≥12次/年",
        "≥1860个",
        "≥85公里",
        "≥95%",
        "≥95%",
        "=100%",
        "≤24小时",
        "2024年11月底前",
        "≤8.5万元",
        "≥120万人",
        "显著提升",
        "=100%",
        "健全",
        "≥90%",
    ]
    category = {"产出指标": "产出", "效益指标": "效益", "满意度指标": "满意度"}
    E = expected(
        unit_name="杭州市林业水利局",
        name="杭州市农村饮用水达标提标管护项目",
        year="2024",
        project_attribute="延续项目",
        leaders=people("吴建国"),
        contacts=[{"name": "徐晨", "phone": "0571-87051236"}],
        overall_goal=(
            "2023—2025年全面落实农村供水工程县级统管，农村饮用水达标人口覆盖率保持在95%以上，"
            "城乡供水一体化水平持续提升。"
        ),
        annual_goal=(
            "2024年完成85公里老旧管网维修改造，水质检测覆盖全部1860个行政村，农村饮用水水质达标率不低于95%，"
            "受益群众满意度达到90%以上。"
        ),
        fund_sources=sources(
            municipal=("", "", "760.00"), other=("", "", "100.00"), total=("2480.00", "", "860.00")
        ),
        indicators=[
            ind(category[r[0]], r[1], r[2], t, r[6]) for r, t in zip(rows, targets, strict=True)
        ],
        extra={
            "主管部门": "杭州市林业水利局",
            "实施单位": "杭州市农村水利服务中心",
            "项目期": "3年",
        },
    )
    wb = new_workbook()
    ws = wb.active
    ws.title = "绩效目标表"
    s = Sheet(ws, {"A": 12, "B": 16, "C": 26, "D": 7, "E": 14, "F": 9, "G": 26})
    s.put(
        "A1",
        "杭州市级部门项目支出绩效目标申报表（2024年度）",
        "G1",
        box=False,
        bold=True,
        center=True,
    )
    s.put("A2", "填报单位：杭州市林业水利局", "E2", box=False)
    s.put("F2", "单位：万元", "G2", box=False)
    pairs = [
        ("项目名称", E["name"], None, None),
        ("主管部门", "杭州市林业水利局", "实施单位", "杭州市农村水利服务中心"),
        ("项目负责人", "吴建国", "联系人", "徐晨"),
        ("联系电话", "0571-87051236", "项目属性", "延续项目"),
        ("项目期", "3年", "实施期资金总额", 2480),
        ("年度资金总额", 860, "其中：财政拨款", 760),
        ("其他资金", 100, None, None),
    ]
    r = 3
    for label, value, label2, value2 in pairs:
        s.put(f"A{r}", label, center=True)
        if label2 is None:
            s.put(f"B{r}", value, f"G{r}", fmt="0.00" if isinstance(value, int) else None)
        else:
            s.put(f"B{r}", value, f"C{r}", fmt="0.00" if isinstance(value, int) else None)
            s.put(f"D{r}", label2, f"E{r}", center=True)
            s.put(f"F{r}", value2, f"G{r}", fmt="0.00" if isinstance(value2, int) else None)
        r += 1
    s.put(f"A{r}", "实施期目标", center=True)
    s.put(f"B{r}", E["overall_goal"], f"G{r}")
    ws.row_dimensions[r].height = 36
    r += 1
    s.put(f"A{r}", "年度目标", center=True)
    s.put(f"B{r}", E["annual_goal"], f"G{r}")
    ws.row_dimensions[r].height = 36
    r += 1
    s.put(f"A{r}", "一级指标", f"A{r + 1}", center=True)
    s.put(f"B{r}", "二级指标", f"B{r + 1}", center=True)
    s.put(f"C{r}", "三级指标", f"C{r + 1}", center=True)
    s.put(f"D{r}", "指标值", f"F{r}", center=True)
    s.put(f"D{r + 1}", "符号", center=True)
    s.put(f"E{r + 1}", "数值", center=True)
    s.put(f"F{r + 1}", "单位", center=True)
    s.put(f"G{r}", "指标解释", f"G{r + 1}", center=True)
    r += 2
    start = r
    for _level1, _level2, level3, op, value, unit, note in rows:
        s.put(f"C{r}", level3)
        s.put(f"D{r}", op, center=True)
        s.put(f"E{r}", value, center=True)
        s.put(f"F{r}", unit, center=True)
        s.put(f"G{r}", note or None)
        r += 1
    for col, index in (("A", 0), ("B", 1)):
        k = 0
        while k < len(rows):
            j = k
            while (
                j + 1 < len(rows)
                and rows[j + 1][index] == rows[k][index]
                and rows[j + 1][0] == rows[k][0]
            ):
                j += 1
            s.put(
                f"{col}{start + k}",
                rows[k][index],
                f"{col}{start + j}" if j > k else None,
                center=True,
            )
            k = j + 1
    s.finish()
    save_xlsx(wb, name)
    return name, E


@document
def d06():
    """A 无锡 workbook of three sheets: 填表说明 (a decoy that names every label), the declaration on
    sheet 2, and a 测算明细 sheet. The 合计 rows are =SUM(...) formulas with no cached value
    (openpyxl writes none): the expected 合计 is the sum. 填报日期 is a real date cell."""
    name = "06_wuxi_multisheet.xlsx"
    E = expected(
        unit_name="无锡市教育局",
        name="无锡市职业院校智能制造实训基地设备购置项目",
        year="2024",
        project_type="设备购置及维护类",
        project_attribute="部门预算项目",
        government_procurement="是",
        government_service_purchase="否",
        leaders=people("钱伟"),
        contacts=[{"name": "张敏", "phone": "0510-81821360"}],
        summary=(
            "为无锡机电高等职业技术学校等3所市属职业院校建设智能制造公共实训基地，购置工业机器人实训工作站、"
            "数控加工实训设备及虚拟仿真实训软件，年可承担实训教学4.5万人时。"
        ),
        basis=(
            "《江苏省职业教育质量提升行动计划（2021-2025年）》\n"
            "《无锡市“十四五”教育发展规划》\n"
            "江苏省财政厅 江苏省教育厅《关于下达2024年现代职业教育质量提升计划补助资金的通知》"
        ),
        necessity=(
            "现有实训设备购置于2012年前后，已不能满足智能制造专业群教学需要，学生顶岗实习前的技能训练"
            "不足，亟需更新。"
        ),
        safeguards="执行《无锡市市级财政专项资金管理办法》；设备采购实行公开招标；建立设备台账和共享使用制度。",
        implementation_plan=(
            "2024年3月：完成采购需求论证；\n"
            "2024年5月中旬：完成公开招标，签订采购合同；\n"
            "2024年6到8月：设备到货、安装调试；\n"
            "2024年9月：投入教学使用；\n"
            "2024年11月上旬：项目终验；\n"
            "2024年12月：支付合同款的97%，剩余3%质保金于终验合格之日起2年后支付。"
        ),
        overall_goal="建成服务全市职业院校的智能制造公共实训基地，实训开出率达到100%，毕业生双证率95%以上。",
        annual_goal="完成实训基地设备购置、安装调试并投入使用，年内承担实训教学不少于1.5万人时。",
        other_notes="省级补助资金120万元已于2023年12月提前下达。",
        filled_by="张敏",
        filled_on="2023-11-15",
        unit_head_name="孙立",
        fund_items=items(
            ("工业机器人实训工作站", "186.00"),
            ("数控加工实训设备", "142.50"),
            ("虚拟仿真实训软件", "58.00"),
            ("设备安装调试及培训", "13.50"),
        ),
        fund_items_total="400.00",
        fund_sources=sources(
            superior=("120.00", "", "120.00"),
            municipal=("280.00", "", "280.00"),
            total=("400.00", "", "400.00"),
        ),
        indicators=[
            ind("产出", "数量指标", "购置工业机器人实训工作站", "=8套", "按采购合同清单"),
            ind("产出", "数量指标", "购置数控加工实训设备", "=12台"),
            ind("产出", "数量指标", "年度实训教学量", "≥1.5万人时"),
            ind("产出", "质量指标", "设备验收合格率", "100%"),
            ind("产出", "质量指标", "设备完好率", "≥98%"),
            ind("产出", "时效指标", "设备投入使用时间", "2024年9月底前"),
            ind("产出", "成本指标", "设备采购成本控制", "不超过预算"),
            ind("效益", "社会效益指标", "受益学生人数", "≥3600人"),
            ind("效益", "社会效益指标", "相关专业毕业生双证率", "≥95%"),
            ind("效益", "可持续影响指标", "实训基地共享使用机制", "建立"),
            ind("满意度", "服务对象满意度指标", "学生满意度", "≥90%"),
            ind("满意度", "服务对象满意度指标", "合作企业满意度", "≥85%"),
        ],
    )
    wb = new_workbook()
    notes = wb.active
    notes.title = "填表说明"
    notes.column_dimensions["A"].width = 100
    for k, line in enumerate(
        [
            "市级财政支出项目绩效目标申报表填表说明",
            "一、申报单位名称：填写项目主管部门全称，并加盖公章。",
            "二、项目名称：按规范的项目名称填写，与部门预算项目名称一致。",
            "三、项目类型：在公共事业类、政策类、信息化工程及维护类、设备购置及维护类、基本建设及维护类中选择一项。",
            "四、项目资金构成：详细列出各子项目名称和金额（万元），合计应与本年度计划数一致。",
            "五、分解目标：一级指标包括产出指标、效益指标、满意度指标，三级指标由单位根据项目特点设定，指标值应尽量量化。",
            "六、本表一式两份，报送市财政局一份，单位留存一份。",
        ],
        start=1,
    ):
        notes[f"A{k}"] = line
    ws = wb.create_sheet("绩效目标申报表")
    s = Sheet(ws, {"A": 16, "B": 14, "C": 14, "D": 18, "E": 14, "F": 14, "G": 14, "H": 22})
    s.put("A1", "无锡市市级财政支出项目绩效目标申报表", "H1", box=False, bold=True, center=True)
    s.put("A2", "（2024年度）", "H2", box=False, center=True)
    s.put("A3", "申报单位名称：无锡市教育局（盖章）", "H3", box=False)
    s.put("A4", "项目名称", center=True)
    s.put("B4", E["name"], "H4")
    s.put("A5", "项目类型", center=True)
    s.put("B5", "设备购置及维护类", "D5")
    s.put("E5", "项目属性", "F5", center=True)
    s.put("G5", "部门预算项目", "H5")
    s.put("A6", "是否政府采购", center=True)
    s.put("B6", "是", "D6")
    s.put("E6", "是否政府购买服务", "F6", center=True)
    s.put("G6", "否", "H6")
    s.put("A7", "项目负责人", center=True)
    s.put("B7", "钱伟", "D7")
    s.put("E7", "联系人", "F7", center=True)
    s.put("G7", "张敏", "H7")
    s.put("A8", "联系电话", center=True)
    s.put("B8", "0510-81821360", "H8")
    s.put("A9", "项目年度", center=True)
    s.put("B9", 2024, "H9")
    r = 10
    for label, key in (
        ("项目概况", "summary"),
        ("项目设立依据（相关批文名称）", "basis"),
        ("项目设立的必要性", "necessity"),
        ("保证项目实施的制度、措施", "safeguards"),
    ):
        s.put(f"A{r}", label, center=True)
        s.put(f"B{r}", E[key], f"H{r}")
        ws.row_dimensions[r].height = 48
        r += 1
    # 上年度: a new project, the boxes left empty.
    s.put(f"A{r}", "本项目上年度市级财政资金使用情况", f"A{r + 2}", center=True)
    s.put(f"B{r}", "预算安排资金（万元）", f"C{r}")
    s.put(f"D{r}", None)
    s.put(f"E{r}", "财政拨款资金（万元）", f"F{r}")
    s.put(f"G{r}", None, f"H{r}")
    s.put(f"B{r + 1}", "实际支出资金（万元）", f"C{r + 1}")
    s.put(f"D{r + 1}", None)
    s.put(f"E{r + 1}", "资金到位率（%）", f"F{r + 1}")
    s.put(f"G{r + 1}", None, f"H{r + 1}")
    s.put(f"B{r + 2}", "预算执行率（%）", f"C{r + 2}")
    s.put(f"D{r + 2}", None)
    s.put(f"E{r + 2}", None, f"H{r + 2}")
    r += 3
    top = r
    s.put(f"B{r}", "子项目名称", f"F{r}", center=True)
    s.put(f"G{r}", "预算金额（万元）", f"H{r}", center=True)
    r += 1
    first = r
    for label, amount in (
        ("工业机器人实训工作站", 186),
        ("数控加工实训设备", 142.5),
        ("虚拟仿真实训软件", 58),
        ("设备安装调试及培训", 13.5),
    ):
        s.put(f"B{r}", label, f"F{r}")
        s.put(f"G{r}", amount, f"H{r}", fmt="0.00")
        r += 1
    s.put(f"B{r}", "合计", f"F{r}", center=True)
    s.put(f"G{r}", f"=SUM(G{first}:G{r - 1})", f"H{r}", fmt="0.00")
    s.put(f"A{top}", "项目资金构成（详细列出各子项目名称和金额）", f"A{r}", center=True)
    r += 1
    top = r
    s.put(f"B{r}", "资金来源", "C" + str(r), center=True)
    s.put(f"D{r}", "项目投资总额", center=True)
    s.put(f"E{r}", "上年度资金", "F" + str(r), center=True)
    s.put(f"G{r}", "本年度计划数", "H" + str(r), center=True)
    r += 1
    first = r
    for label, total, this_year in (
        ("上级财政资金", 120, 120),
        ("市级财政资金", 280, 280),
        ("下级财政资金", None, None),
        ("银行贷款", None, None),
        ("单位自筹", None, None),
        ("其他", None, None),
    ):
        s.put(f"B{r}", label, f"C{r}")
        s.put(f"D{r}", total, fmt="0.00")
        s.put(f"E{r}", None, f"F{r}")
        s.put(f"G{r}", this_year, f"H{r}", fmt="0.00")
        r += 1
    s.put(f"B{r}", "合计", f"C{r}", center=True)
    s.put(f"D{r}", f"=SUM(D{first}:D{r - 1})", fmt="0.00")
    s.put(f"E{r}", None, f"F{r}")
    s.put(f"G{r}", f"=SUM(G{first}:G{r - 1})", f"H{r}", fmt="0.00")
    s.put(f"A{top}", "项目资金来源（万元）", f"A{r}", center=True)
    r += 1
    for label, key in (
        ("项目实施计划", "implementation_plan"),
        ("项目总目标", "overall_goal"),
        ("年度绩效目标", "annual_goal"),
    ):
        s.put(f"A{r}", label, center=True)
        s.put(f"B{r}", E[key], f"H{r}")
        ws.row_dimensions[r].height = 60 if key == "implementation_plan" else 30
        r += 1
    top = r
    s.put(f"B{r}", "一级指标", center=True)
    s.put(f"C{r}", "二级指标", center=True)
    s.put(f"D{r}", "三级指标", "E" + str(r), center=True)
    s.put(f"F{r}", "指标值", center=True)
    s.put(f"G{r}", "指标解释", f"H{r}", center=True)
    r += 1
    raw = {"产出": "产出指标", "效益": "效益指标", "满意度": "满意度指标"}
    inds = E["indicators"]
    for k, i in enumerate(inds):
        s.put(f"D{r + k}", i["name"], f"E{r + k}")
        s.put(f"F{r + k}", i["target"], center=True)
        s.put(f"G{r + k}", i["explanation"] or None, f"H{r + k}")
    for index, key in ((0, "category"), (1, "subcategory")):
        col = "BC"[index]
        k = 0
        while k < len(inds):
            j = k
            while (
                j + 1 < len(inds)
                and inds[j + 1][key] == inds[k][key]
                and inds[j + 1]["category"] == inds[k]["category"]
            ):
                j += 1
            text = raw[inds[k]["category"]] if key == "category" else inds[k][key]
            s.put(f"{col}{r + k}", text, f"{col}{r + j}" if j > k else None, center=True)
            k = j + 1
    r += len(inds)
    s.put(f"A{top}", "分解目标", f"A{r - 1}", center=True)
    s.put(f"A{r}", "需要说明的其它问题", center=True)
    s.put(f"B{r}", E["other_notes"], f"H{r}")
    r += 1
    s.put(f"A{r}", "填报单位负责人：", center=True)
    s.put(f"B{r}", "孙立")
    s.put(f"C{r}", "填报人：", center=True)
    s.put(f"D{r}", "张敏")
    s.put(f"E{r}", "填报日期：", center=True)
    s.put(f"F{r}", dt.datetime(2023, 11, 15), f"H{r}", fmt="yyyy年m月d日")
    s.finish()
    calc = wb.create_sheet("设备测算明细")
    c = Sheet(calc, {"A": 28, "B": 8, "C": 8, "D": 12, "E": 12, "F": 30})
    for col, head in zip(
        "ABCDEF",
        ("设备名称", "数量", "单位", "单价（万元）", "金额（万元）", "测算依据"),
        strict=True,
    ):
        c.put(f"{col}1", head, center=True)
    for k, (item, qty, unit, price, basis) in enumerate(
        [
            ("工业机器人实训工作站", 8, "套", 23.25, "同类设备近三年中标均价"),
            ("数控加工实训设备", 12, "台", 11.875, "市场询价（三家）"),
            ("虚拟仿真实训软件", 1, "套", 58, "软件开发工作量评估"),
            ("设备安装调试及培训", 1, "项", 13.5, "按设备总价约3.5%计"),
        ],
        start=2,
    ):
        c.put(f"A{k}", item)
        c.put(f"B{k}", qty, center=True)
        c.put(f"C{k}", unit, center=True)
        c.put(f"D{k}", price, fmt="0.000")
        c.put(f"E{k}", f"=B{k}*D{k}", fmt="0.00")
        c.put(f"F{k}", basis)
    c.put("A6", "合计", "D6", center=True)
    c.put("E6", "=SUM(E2:E5)", fmt="0.00")
    c.put("F6", None)
    c.finish()
    # The workbook opens on 填表说明 (sheet 1), as a unit's file usually does.
    save_xlsx(wb, name)
    return name, E


@document
def d07():
    """四川 / 成都 style 项目支出绩效目标申报表 as a PDF: 填报单位（盖章） and 金额单位：元 above the
    table, the signatures and 填报日期 on a line below it; money in 元 with thousands separators
    (the expected values are 万元); 项目属性 as 新增项目□ 延续项目■."""
    name = "07_chengdu_stamp_yuan.pdf"
    E = expected(
        unit_name="成都市武侯区民政局",
        name="武侯区社区居家养老服务补贴项目",
        year="2024",
        project_attribute="延续项目",
        leaders=people("李红梅"),
        contacts=[{"name": "李红梅", "phone": "028-85562371"}],
        summary=(
            "对辖区内经济困难的失能、半失能及高龄老年人发放居家养老服务补贴，由专业机构上门提供生活照料、"
            "助餐、助浴等服务；在43个社区开展老年助餐服务。"
        ),
        basis="《成都市居家和社区养老服务补贴实施办法》（成民发〔2022〕8号）；区政府2023年第18次常务会议纪要。",
        implementation_plan="2024年1-2月完成补贴对象复核；按月核发补贴；6月、12月开展两次服务质量抽查；12月完成第三方绩效评价。",
        annual_goal=(
            "为800名经济困难老年人提供居家养老服务补贴，助餐服务覆盖43个社区，补贴按月足额发放，服务对象"
            "满意度达到90%以上。"
        ),
        filled_by="罗敏",
        filled_on="2023-11-08",
        unit_head_name="何志强",
        fund_items=items(
            ("居家养老服务补贴", "240.00"),
            ("社区助餐服务补贴", "63.60"),
            ("第三方评估及绩效评价", "22.00"),
        ),
        fund_items_total="325.60",
        fund_sources=sources(
            municipal=("", "", "325.60"), other=("", "", "0.00"), total=("", "", "325.60")
        ),
        indicators=[
            ind("产出", "数量指标", "享受居家养老服务补贴老年人数", "≥800人", "", "补贴发放花名册"),
            ind("产出", "数量指标", "助餐服务覆盖社区数", "43个", "", "街道报送台账"),
            ind("产出", "质量指标", "补贴对象认定准确率", "100%", "", "复核记录"),
            ind("产出", "质量指标", "服务质量抽查合格率", "≥95%", "", "抽查报告"),
            ind("产出", "时效指标", "补贴按月发放及时率", "100%", "", "银行代发记录"),
            ind("产出", "成本指标", "人均居家养老服务补贴标准", "250元/人·月", "", "补贴政策文件"),
            ind(
                "效益",
                "社会效益指标",
                "失能半失能老人家庭照护压力",
                "有效缓解",
                "",
                "第三方评估报告",
            ),
            ind("效益", "可持续影响指标", "居家社区养老服务网络", "持续完善", "", "第三方评估报告"),
            ind("满意度", "服务对象满意度指标", "服务对象满意度", "≥90%", "", "满意度问卷"),
        ],
        extra={
            "主管部门": "成都市武侯区民政局",
            "项目实施单位": "武侯区养老服务指导中心",
            "项目起止时间": "2024年1月1日至2024年12月31日",
            "填报人联系电话": "028-85562308",
        },
    )
    yuan = [
        ("居家养老服务补贴", "2,400,000.00", "800人×250元/月×12月"),
        ("社区助餐服务补贴", "636,000.00", "530人×100元/月×12月"),
        ("第三方评估及绩效评价", "220,000.00", "按服务合同"),
    ]
    raw = {"产出": "产出指标", "效益": "效益指标", "满意度": "满意度指标"}
    rows = [
        tr(td("项目名称", cls="lbl"), td(E["name"], cs=3)),
        tr(
            td("主管部门", cls="lbl"),
            td("成都市武侯区民政局"),
            td("项目实施单位", cls="lbl"),
            td("武侯区养老服务指导中心"),
        ),
        tr(
            td("项目负责人", cls="lbl"), td("李红梅"), td("联系电话", cls="lbl"), td("028-85562371")
        ),
        tr(
            td("项目属性", cls="lbl"),
            td("新增项目□　　延续项目■"),
            td("项目起止时间", cls="lbl"),
            td("2024年1月1日至2024年12月31日"),
        ),
        tr(td("项目资金申请（元）", rs=3, cls="lbl"), td("资金总额"), td("3,256,000.00", cs=2)),
        tr(td("其中：财政拨款"), td("3,256,000.00", cs=2)),
        tr(td("其他资金"), td("0.00", cs=2)),
        tr(
            td("项目支出明细（元）", rs=5, cls="lbl"),
            td("支出内容", cls="c"),
            td("金额", cls="c"),
            td("测算依据", cls="c"),
        ),
        *[tr(td(n), td(a, cls="r"), td(b)) for n, a, b in yuan],
        tr(td("合计", cls="c"), td("3,256,000.00", cls="r"), td("")),
        tr(td("项目概况", cls="lbl"), td(E["summary"], cs=3)),
        tr(td("立项依据", cls="lbl"), td(E["basis"], cs=3)),
        tr(td("项目实施进度计划", cls="lbl"), td(E["implementation_plan"], cs=3)),
        tr(td("年度绩效目标", cls="lbl"), td(E["annual_goal"], cs=3)),
    ]
    head = "".join(
        [
            "<h1>项目支出绩效目标申报表</h1>",
            p("（2024年度）", "c"),
            '<div class="line"><span>填报单位（盖章）：成都市武侯区民政局</span><span>金额单位：元</span></div>',
            "<table>",
            *rows,
            "</table>",
        ]
    )
    irows = [tr(th("一级指标"), th("二级指标"), th("三级指标"), th("指标值"), th("数据来源"))]
    inds = E["indicators"]
    for k, i in enumerate(inds):
        cells = []
        if k == 0 or inds[k - 1]["category"] != i["category"]:
            cells.append(
                td(
                    raw[i["category"]],
                    rs=sum(1 for j in inds if j["category"] == i["category"]),
                    cls="c",
                )
            )
        if k == 0 or inds[k - 1]["subcategory"] != i["subcategory"]:
            cells.append(
                td(
                    i["subcategory"],
                    rs=sum(1 for j in inds if j["subcategory"] == i["subcategory"]),
                )
            )
        cells += [td(i["name"]), td(i["target"], cls="c"), td(i["evidence"])]
        irows.append(tr(*cells))
    table = (
        "<table><thead>" + irows[0] + "</thead><tbody>" + "".join(irows[1:]) + "</tbody></table>"
    )
    foot = p(
        "单位负责人：何志强　　　填报人：罗敏　　　联系电话：028-85562308　　　填报日期：2023年11月8日"
    )
    render_pdf(head + table + foot, name)
    return name, E


@document
def d08():
    """湖北 style 项目支出绩效目标申报表 as a two-page PDF: three check-box lists (☑ after the option:
    项目类别 / 项目属性 / 项目类型), a 项目资金构成 table with 上年度 | 本年度 columns, and a 25-row
    indicator table that runs onto page 2, its header repeated there."""
    name = "08_yichang_multipage.pdf"
    S, Q, T, C = "数量指标", "质量指标", "时效指标", "成本指标"
    E = expected(
        unit_name="宜昌市群众艺术馆",
        name="宜昌市公共文化惠民工程",
        year="2024",
        project_type="常年性项目",
        project_attribute="持续性项目",
        leaders=people("杜海涛"),
        contacts=[{"name": "杜海涛", "phone": "0717-6221847"}],
        summary=(
            "公共文化惠民工程是市委、市政府确定的年度民生实事项目，由市群众艺术馆牵头，联合市图书馆、"
            "市非物质文化遗产保护中心及各县市区文化馆组织实施。\n"
            "主要内容包括：一是开展“送戏下乡”演出，组织专业院团和优秀民间文艺团队深入乡镇、村（社区）"
            "演出不少于300场；二是开办公益性文化艺术培训班，面向群众开设声乐、舞蹈、书法、摄影等课程；"
            "三是开展全民阅读推广，补充公共图书馆馆藏并组织阅读活动；四是组织非遗展示展演和数字文化资源"
            "建设，更新“宜昌文化云”平台数字资源。\n"
            "项目实行“菜单式”服务、“订单式”配送，群众点单、文化馆派单、院团接单，全年服务基层群众不少于"
            "50万人次。"
        ),
        basis=(
            "《中华人民共和国公共文化服务保障法》；《湖北省公共文化服务体系建设“十四五”规划》；"
            "《宜昌市基本公共文化服务实施标准（2021—2025年）》；市政府2024年十件民生实事通知。"
        ),
        implementation_plan=(
            "2024年1—2月：征集群众文化需求，编制年度服务菜单；\n"
            "2024年3月：完成演出、培训服务政府采购，签订服务合同；\n"
            "2024年3—11月：按月开展送戏下乡、公益培训、阅读推广和非遗展演；\n"
            "2024年12月：组织服务效果评估和群众满意度调查，完成项目结算。"
        ),
        annual_goal=(
            "全年送戏下乡不少于300场，开办公益培训班120期以上，新增馆藏图书3万册，基层群众参与公共文化"
            "活动50万人次以上，群众满意度达到90%以上。"
        ),
        filled_by="向莉",
        filled_on="2023-10-30",
        unit_head_name="杜海涛",
        fund_sources=sources(
            superior=("", "80.00", "100.00"),
            municipal=("", "520.00", "560.00"),
            self_raised=("", "", "20.00"),
            total=("", "600.00", "680.00"),
        ),
        indicators=[
            ind("产出", S, "送戏下乡演出场次", "≥300场", "全市乡镇、村（社区）演出场次合计"),
            ind("产出", S, "公益性文化培训班期数", "≥120期"),
            ind("产出", S, "培训群众人次", "≥6000人次"),
            ind("产出", S, "公共图书馆新增馆藏图书", "≥3万册"),
            ind("产出", S, "开展全民阅读活动次数", "≥50次"),
            ind("产出", S, "非遗展示展演活动场次", "≥20场"),
            ind("产出", S, "数字文化资源更新量", "≥2TB", "“宜昌文化云”平台新增资源"),
            ind("产出", Q, "演出节目原创率", "≥30%"),
            ind("产出", Q, "培训课程结业率", "≥90%"),
            ind("产出", Q, "文化志愿者服务时长", "≥1.2万小时"),
            ind("产出", Q, "公共文化设施免费开放率", "100%"),
            ind("产出", T, "演出任务完成时限", "2024年11月底前"),
            ind("产出", T, "补助资金拨付及时率", "100%"),
            ind("产出", C, "送戏下乡场均成本", "≤1.5万元"),
            ind("产出", C, "培训人均成本", "≤300元"),
            ind("效益", "社会效益指标", "基层群众参与公共文化活动人次", "≥50万人次"),
            ind("效益", "社会效益指标", "公共文化服务效能", "显著提升"),
            ind("效益", "社会效益指标", "文旅融合发展", "有效促进"),
            ind("效益", "社会效益指标", "人均年接受公共文化服务次数", "较上年提高5%"),
            ind("效益", "经济效益指标", "带动文化消费", "≥500万元"),
            ind("效益", "可持续影响指标", "公共文化服务体系", "持续完善"),
            ind("效益", "可持续影响指标", "文化人才队伍建设", "不断加强"),
            ind("满意度", "服务对象满意度指标", "群众满意度", "≥90%", "第三方抽样调查"),
            ind("满意度", "服务对象满意度指标", "参训学员满意度", "不低于90%"),
            ind("满意度", "服务对象满意度指标", "基层文化站满意度", "≥85%"),
        ],
        extra={
            "主管部门": "宜昌市文化和旅游局",
            "项目实施单位": "宜昌市群众艺术馆",
            "项目类别": "部门预算项目",
            "填报人联系电话": "0717-6221850",
        },
    )
    raw = {"产出": "产出指标", "效益": "效益指标", "满意度": "满意度指标"}
    rows = [
        tr(td("项目名称", cls="lbl"), td(E["name"], cs=3)),
        tr(
            td("主管部门", cls="lbl"),
            td("宜昌市文化和旅游局"),
            td("项目实施单位", cls="lbl"),
            td("宜昌市群众艺术馆"),
        ),
        tr(
            td("项目类别", cls="lbl"), td("部门预算项目☑　　市直专项□　　市对下转移支付项目□", cs=3)
        ),
        tr(td("项目属性", cls="lbl"), td("持续性项目☑　　新增性项目□", cs=3)),
        tr(td("项目类型", cls="lbl"), td("常年性项目☑　　延续性项目□　　一次性项目□", cs=3)),
        tr(
            td("项目负责人", cls="lbl"), td("杜海涛"), td("联系电话", cls="lbl"), td("0717-6221847")
        ),
        tr(
            td("项目资金构成（万元）", rs=5, cls="lbl"),
            td("资金来源", cls="c"),
            td("上年度", cls="c"),
            td("本年度", cls="c"),
        ),
        tr(td("市级财政资金"), td("520.00", cls="r"), td("560.00", cls="r")),
        tr(td("上级补助资金"), td("80.00", cls="r"), td("100.00", cls="r")),
        tr(td("单位自筹"), td("", cls="r"), td("20.00", cls="r")),
        tr(td("合计", cls="c"), td("600.00", cls="r"), td("680.00", cls="r")),
        tr(td("项目概况", cls="lbl"), td(E["summary"], cs=3)),
        tr(td("项目立项依据", cls="lbl"), td(E["basis"], cs=3)),
        tr(td("项目实施计划", cls="lbl"), td(E["implementation_plan"], cs=3)),
        tr(td("年度绩效目标", cls="lbl"), td(E["annual_goal"], cs=3)),
    ]
    head = "".join(
        [
            "<h1>宜昌市市级项目支出绩效目标申报表</h1>",
            p("（2024年度）", "c"),
            p("申报单位（盖章）：宜昌市群众艺术馆"),
            "<table>",
            *rows,
            "</table>",
        ]
    )
    inds = E["indicators"]
    irows = []
    for k, i in enumerate(inds):
        cells = []
        if k == 0 or inds[k - 1]["category"] != i["category"]:
            cells.append(
                td(
                    raw[i["category"]],
                    rs=sum(1 for j in inds if j["category"] == i["category"]),
                    cls="c",
                )
            )
        if k == 0 or inds[k - 1]["subcategory"] != i["subcategory"]:
            cells.append(
                td(
                    i["subcategory"],
                    rs=sum(1 for j in inds if j["subcategory"] == i["subcategory"]),
                )
            )
        cells += [td(i["name"]), td(i["target"], cls="c"), td(i["explanation"])]
        irows.append(tr(*cells))
    thead = tr(th("一级指标"), th("二级指标"), th("三级指标"), th("指标值"), th("指标说明"))
    table = (
        "<p>绩效指标</p><table><thead>"
        + thead
        + "</thead><tbody>"
        + "".join(irows)
        + "</tbody></table>"
    )
    foot = p(
        "填报人：向莉　　联系电话：0717-6221850　　单位负责人：杜海涛　　填报日期：2023年10月30日"
    )
    render_pdf(head + table + foot, name)
    return name, E


@document
def d09():
    """Labels on top: a row of labels, the values in the row below (the layout of 预算管理一体化
    exports, 山东 / 青岛 style); check boxes before the option (■延续项目 □新增项目); money with six
    decimals (「以万元为单位，保留小数点后六位」); the indicator table names each 一级指标 only on the
    first row of its group and leaves the cells below it blank instead of merging them."""
    name = "09_qingdao_labels_on_top.docx"
    E = expected(
        unit_name="青岛市大数据中心",
        name="政务数据共享交换平台运维项目",
        year="2024",
        project_type="信息化工程及维护类",
        project_attribute="延续项目",
        government_procurement="是",
        leaders=people("孙海波"),
        contacts=[{"name": "王璐", "phone": "0532-85911374"}],
        summary=(
            "对市级政务数据共享交换平台提供全年运维保障，包括平台软硬件运维、数据资源目录维护、"
            "共享接口监测和安全防护，保障68个市直部门的数据共享调用。"
        ),
        annual_goal=(
            "平台全年可用率不低于99.9%，68个市直部门全部接入，共享申请平均办理时长不超过3个工作日，"
            "使用部门满意度达到95%以上。"
        ),
        fund_sources=sources(municipal=("", "", "318.60"), total=("", "", "318.60")),
        indicators=[
            ind(
                "产出", "数量指标", "接入共享部门数", "≥68个", "接入平台并开展数据共享的市直部门数"
            ),
            ind("产出", "数量指标", "数据资源目录挂接率", "≥98%"),
            ind("产出", "质量指标", "平台年可用率", "≥99.9%", "（全年时长-故障时长）/全年时长"),
            ind("产出", "时效指标", "共享申请平均办理时长", "≤3个工作日"),
            ind("产出", "成本指标", "年度运维费用", "≤318.6万元"),
            ind("效益", "社会效益指标", "跨部门数据调用量", "较上年增长10%"),
            ind("效益", "可持续影响指标", "数据共享管理制度", "健全"),
            ind("满意度", "服务对象满意度指标", "使用部门满意度", "≥95%"),
        ],
        extra={"主管部门": "青岛市大数据发展管理局"},
    )
    d = new_docx()
    para(d, "青岛市市级项目支出绩效目标申报表", size=16, bold=True, center=True)
    para(d, "（2024年度）", center=True)
    t = DocTable(d, 6, (3.6, 2.8, 3.2, 2.2, 2.2, 2.6))
    t.row("项目名称", "申报单位", "主管部门", "项目负责人", "联系人", "联系电话")
    t.row(
        E["name"], "青岛市大数据中心", "青岛市大数据发展管理局", "孙海波", "王璐", "0532-85911374"
    )
    t.row(
        "项目属性",
        ("项目类型", 2),
        "是否政府采购",
        "年度资金总额（万元）",
        "其中：财政拨款（万元）",
    )
    t.row(
        "■延续项目 □新增项目",
        ("□公共事业类 □政策类 ■信息化工程及维护类 □设备购置及维护类 □基本建设及维护类", 2),
        "■是 □否",
        "318.600000",
        "318.600000",
    )
    t.row(("项目概况", 6))
    t.row((E["summary"], 6))
    t.row(("年度绩效目标", 6))
    t.row((E["annual_goal"], 6))
    para(d, "")
    t2 = DocTable(d, 5, (2.4, 3.0, 4.4, 2.8, 4.0))
    t2.row("一级指标", "二级指标", "三级指标", "指标值", "指标解释")
    raw = {"产出": "产出指标", "效益": "效益指标", "满意度": "满意度指标"}
    previous = None
    for i in E["indicators"]:
        t2.row(
            raw[i["category"]] if i["category"] != previous else "",
            i["subcategory"],
            i["name"],
            i["target"],
            i["explanation"],
        )
        previous = i["category"]
    save_docx(d, name)
    return name, E


@document
def d10():
    """重庆 style 项目支出绩效目标表 (the 2023 framework): 金额单位：万元, three label/value pairs a
    row, 项目总预算 / 当年年度预算 / 其中 rows, and 年度绩效目标 with 成本指标 as the first 一级指标;
    一级 cells carry their point ranges (「成本指标（0-20分）」); 二级 rows without a 三级 are left
    blank (they are no indicators); a 分值 column and a 指标解释 column."""
    name = "10_wulong_cost_first.pdf"
    E = expected(
        unit_name="重庆市武隆区农业农村委员会",
        name="2024年高山蔬菜产地初加工设施建设项目",
        year="2024",
        leaders=people("冉启明"),
        contacts=[{"name": "冉启明", "phone": "13896512378"}],
        summary=(
            "在仙女山街道新建高山蔬菜产地初加工厂房1200平方米、冷藏保鲜库500立方米，配套分拣、清洗、"
            "包装设备，带动周边农户就近务工和蔬菜错季销售。"
        ),
        basis="《关于下达2024年衔接推进乡村振兴补助资金项目计划的通知》（武隆农委发〔2024〕12号）",
        annual_goal=(
            "完成初加工厂房和冷藏保鲜库建设并投入使用，工程验收合格率100%，带动务工农户户均增收3000元以上，"
            "受益群众满意度达到95%以上。"
        ),
        fund_sources=sources(
            municipal=("", "", "150.00"), other=("", "", "30.00"), total=("180.00", "", "180.00")
        ),
        indicators=[
            ind(
                "成本", "经济成本指标", "项目建设成本", "≤180万元", "项目建设总投资控制在批复预算内"
            ),
            ind("产出", "数量指标", "新建初加工厂房面积", "≥1200平方米"),
            ind("产出", "数量指标", "新建冷藏保鲜库容", "≥500立方米"),
            ind("产出", "质量指标", "工程验收合格率", "100%"),
            ind("产出", "时效指标", "项目完工时间", "2024年12月底前"),
            ind("效益", "经济效益指标", "带动务工农户增收", "≥3000元/户"),
            ind("效益", "社会效益指标", "受益脱贫人口和监测对象", "≥60人"),
            ind("效益", "生态效益指标", "尾菜资源化利用率", "≥80%"),
            ind("效益", "可持续影响指标", "设施设计使用年限", "≥15年"),
            ind("满意度", "服务对象满意度指标", "受益群众满意度", "≥95%", "抽样问卷调查"),
        ],
        extra={
            "项目分类": "资产资源类--房屋类",
            "建设周期": "2024年3月-2024年12月",
            "业务主管部门": "武隆区农业农村委员会",
            "实施单位": "武隆区仙女山街道办事处",
            "财政资金预算分类": "一般公共预算",
            "财政资金科目代码": "2130599",
            "年度预算执行率": "100%",
        },
    )
    rows = [
        tr(
            td("项目名称", cls="c"),
            td(E["name"], cs=3),
            td("项目分类", cls="c"),
            td("资产资源类--房屋类"),
        ),
        tr(
            td("建设周期", cls="c"),
            td("2024年3月-2024年12月", cs=3),
            td("业务主管部门", cls="c"),
            td("武隆区农业农村委员会"),
        ),
        tr(
            td("实施单位", cls="c"),
            td("武隆区仙女山街道办事处"),
            td("项目负责人", cls="c"),
            td("冉启明"),
            td("联系电话", cls="c"),
            td("13896512378"),
        ),
        tr(td("项目审批", cls="c"), td(E["basis"], cs=5)),
        tr(td("项目总体概况", cls="c"), td(E["summary"], cs=5)),
        tr(td("年度主要目标和成果", cls="c"), td(E["annual_goal"], cs=5)),
        tr(
            td("项目资金\n预算执行\n10分", rs=5, cls="c"),
            td("项目总预算"),
            td("180", cls="r"),
            td("财政资金预算分类", cs=2),
            td("一般公共预算"),
        ),
        tr(td("当年年度预算"), td("180", cls="r"), td("财政资金科目代码", cs=2), td("2130599")),
        tr(td("其中：财政资金"), td("150", cls="r"), td("", cs=3)),
        tr(td("其中：其它资金"), td("30", cls="r"), td("", cs=3)),
        tr(td("年度预算执行率"), td("100%", cls="r"), td("分值", cs=2), td("10分")),
    ]
    head = "".join(
        [
            f"<h1>{E['name']}支出绩效目标申报表</h1>",
            p("（2024年度）", "c"),
            '<div class="line"><span>预算单位：重庆市武隆区农业农村委员会</span><span>金额单位：万元</span></div>',
            "<table>",
            *rows,
            "</table>",
        ]
    )
    # (一级 as printed, 二级, 三级, 指标值, 分值, 指标解释); the blank rows are printed blank.
    grid = [
        (
            "成本指标（0-20分）",
            "经济成本指标",
            "项目建设成本",
            "≤180万元",
            "10",
            "项目建设总投资控制在批复预算内",
        ),
        ("成本指标（0-20分）", "社会成本指标", "", "", "", ""),
        ("成本指标（0-20分）", "生态环境成本指标", "", "", "", ""),
        ("产出指标（40-50分）", "数量指标", "新建初加工厂房面积", "≥1200平方米", "10", ""),
        ("产出指标（40-50分）", "数量指标", "新建冷藏保鲜库容", "≥500立方米", "10", ""),
        ("产出指标（40-50分）", "质量指标", "工程验收合格率", "100%", "10", ""),
        ("产出指标（40-50分）", "时效指标", "项目完工时间", "2024年12月底前", "10", ""),
        ("效益指标（20-30分）", "经济效益指标", "带动务工农户增收", "≥3000元/户", "5", ""),
        ("效益指标（20-30分）", "社会效益指标", "受益脱贫人口和监测对象", "≥60人", "5", ""),
        ("效益指标（20-30分）", "生态效益指标", "尾菜资源化利用率", "≥80%", "5", ""),
        ("效益指标（20-30分）", "可持续影响指标", "设施设计使用年限", "≥15年", "5", ""),
        (
            "满意度指标（0-10分）",
            "服务对象满意度指标",
            "受益群众满意度",
            "≥95%",
            "10",
            "抽样问卷调查",
        ),
    ]
    assert [g[2] for g in grid if g[2]] == [i["name"] for i in E["indicators"]]
    assert [g[3] for g in grid if g[2]] == [i["target"] for i in E["indicators"]]
    irows = [
        tr(th("年度绩效目标（90分）", cs=6)),
        tr(
            th("一级指标"), th("二级指标"), th("三级指标"), th("指标值"), th("分值"), th("指标解释")
        ),
    ]
    for k, g in enumerate(grid):
        cells = []
        if k == 0 or grid[k - 1][0] != g[0]:
            cells.append(td(g[0], rs=sum(1 for x in grid if x[0] == g[0]), cls="c"))
        if k == 0 or grid[k - 1][1] != g[1] or grid[k - 1][0] != g[0]:
            cells.append(td(g[1], rs=sum(1 for x in grid if x[1] == g[1] and x[0] == g[0])))
        cells += [td(g[2]), td(g[3], cls="c"), td(g[4], cls="c"), td(g[5])]
        irows.append(tr(*cells))
    table = (
        "<table><thead>"
        + "".join(irows[:2])
        + "</thead><tbody>"
        + "".join(irows[2:])
        + "</tbody></table>"
    )
    render_pdf(head + table, name)
    return name, E


@document
def d11():
    """The 苏州市 form as a PDF text extract (like seed 000): labels wrapped over several lines
    (「项目设立依\\n据（相关批\\n文名称）」), the unit code printed twice before the unit, two
    leaders and two contacts with their phones in one line, the 上年度 figures interleaved with
    their labels, and one indicator a line, cells separated by single spaces."""
    name = "11_suzhou_wrapped.txt"
    E = expected(
        unit_name="苏州市急救中心",
        unit_code="001533",
        name="苏州市120急救指挥调度系统升级项目",
        year="2024",
        project_type="信息化工程及维护类",
        project_attribute="部门预算项目",
        government_procurement="是",
        government_service_purchase="否",
        leaders=people("王建军", "许丽"),
        contacts=[
            {"name": "陈思远", "phone": "13812765430"},
            {"name": "刘倩", "phone": "0512-65237801"},
        ],
        summary=(
            "现有120急救指挥调度系统于2016年建成，受理席位、车辆定位和院前院内信息衔接能力已不能满足"
            "全市日均600余次急救呼叫的调度需要。本项目主要建设内容：\n"
            "1、升级急救调度系统软件，实现智能分级调度、电话指导和与110、119联动；\n"
            "2、更新全市136台救护车车载终端，实现车辆实时定位和生命体征数据回传。"
        ),
        basis=(
            "《江苏省院前医疗急救管理办法》（省政府令第148号）；《苏州市“十四五”卫生健康发展规划》；\n"
            "市政府办公室《关于进一步提升院前医疗急救服务能力的实施意见》。"
        ),
        necessity=(
            "1、急救呼叫量逐年上升，现有调度系统并发受理能力不足，高峰时段出现呼叫排队；\n"
            "2、车载终端已超过使用年限，故障率高，定位漂移影响就近派车；\n"
            "3、院前急救与医院急诊之间信息不通，影响胸痛、卒中等急危重症救治效率。"
        ),
        safeguards="1、按规定流程签订合同；\n2、按合同约定支付款项；\n3、实行项目监理和第三方测评。",
        implementation_plan=(
            "1、2024年1到3月：需求确认、系统设计和方案论证；\n"
            "2、2024年4到5月：项目招标阶段；\n"
            "3、2024年6到9月：软件开发、车载终端安装；\n"
            "4、2024年10到11月：系统试运行及完善；\n"
            "5、2024年12月项目上线、验收。"
        ),
        overall_goal="建成智能、高效、协同的院前急救指挥调度体系，急救呼叫10秒内接听率达到98%以上。",
        annual_goal="完成调度系统软件升级和136台车载终端更新，系统上线运行，平均派车时间缩短至1分钟以内。",
        filled_by="刘倩",
        filled_on="2023-10-12",
        ly_budget="85.00",
        ly_appropriated="85.00",
        ly_spent="84.20",
        ly_arrival_rate="100",
        ly_execution_rate="99.06",
        fund_items=items(("调度系统软件升级", "168.00"), ("车载终端更新", "96.00")),
        fund_items_total="264.00",
        fund_sources=sources(
            municipal=("349.00", "85.00", "264.00"), total=("349.00", "85.00", "264.00")
        ),
        indicators=[
            ind("投入", "", "预算执行率", "100%", "考察预算资金执行情况", "项目批复文件、原始凭证"),
            ind("投入", "", "资金使用合规性", "合规", "考察资金使用是否符合规定", "合同、原始凭证"),
            ind(
                "投入", "", "政府采购规范性", "规范", "考察采购程序是否规范", "政府采购相关制度文件"
            ),
            ind(
                "投入", "", "资金节约率", "15%及其以下", "考察中标价与预算偏差", "项目单位提供文件"
            ),
            ind(
                "产出",
                "",
                "车载终端更新数量",
                "=136台",
                "更新的救护车车载终端数",
                "采购合同",
                "车载终端更新",
            ),
            ind(
                "产出",
                "",
                "调度席位升级数量",
                "=24个",
                "升级的调度受理席位数",
                "验收报告",
                "调度系统软件升级",
            ),
            ind(
                "产出",
                "",
                "系统验收合格率",
                "=100%",
                "考察系统建设质量",
                "验收报告",
                "调度系统软件升级\n车载终端更新",
            ),
            ind(
                "结果",
                "",
                "急救呼叫10秒内接听率",
                "≥98%",
                "10秒内接听呼叫数占呼叫总数比例",
                "调度系统统计",
                "调度系统软件升级",
            ),
            ind(
                "结果",
                "",
                "平均派车时间",
                "≤60秒",
                "从受理到派车指令发出的平均时间",
                "调度系统统计",
                "调度系统软件升级\n车载终端更新",
            ),
            ind(
                "结果",
                "",
                "车辆定位准确率",
                "≥99%",
                "定位误差小于20米的比例",
                "运维报告",
                "车载终端更新",
            ),
            ind(
                "影响力",
                "",
                "院前院内信息衔接机制",
                "建立",
                "考察急救与急诊信息互通",
                "工作制度文件",
            ),
            ind("影响力", "", "系统运维管理制度", "健全", "考察后期运维管理", "运维管理制度"),
        ],
    )
    text = """
苏州市级财政支出项目绩效目标申报表
申报单位名称 001533001533 苏州市急救中心

项目名称 苏州市120急救指挥调度系统升级项目
项目类型 信息化工程及维护类 项目属性 部门预算项目
是否政府采

购
是

是否政府购
买服务

否

项目负责人 王建军、许丽 联系人 陈思远、刘倩
联系电话 陈思远：13812765430、刘倩：0512-65237801
项目年度 2024

项目概况
现有120急救指挥调度系统于2016年建成，受理席位、车辆定位和院前院内信息衔接能力已不能满足
全市日均600余次急救呼叫的调度需要。本项目主要建设内容：
1、升级急救调度系统软件，实现智能分级调度、电话指导和与110、119联动；
2、更新全市136台救护车车载终端，实现车辆实时定位和生命体征数据回传。

项目设立依
据（相关批
文名称）

《江苏省院前医疗急救管理办法》（省政府令第148号）；《苏州市“十四五”卫生健康发展规划》；
市政府办公室《关于进一步提升院前医疗急救服务能力的实施意见》。

项目设立的
必要性

1、急救呼叫量逐年上升，现有调度系统并发受理能力不足，高峰时段出现呼叫排队；
2、车载终端已超过使用年限，故障率高，定位漂移影响就近派车；
3、院前急救与医院急诊之间信息不通，影响胸痛、卒中等急危重症救治效率。

保证项目实
施的制度、

措施

1、按规定流程签订合同；
2、按合同约定支付款项；
3、实行项目监理和第三方测评。

本项目上年
度市级财政
资金使用情

况

预算安排资
金

（万元）

85.00

财政拨付资金（万元） 85.00

实际支出资
金

（万元）

84.20

资金到位率（%） 100

预算执行率
（%）

99.06

项目资金构
成（详细列
出各子项目
名称和金额

）

子项目名称 预算金额（万元）
调度系统软件升级 168.00
车载终端更新 96.00

合计： 264.00

项目资金来
源（万元）

资金来源 项目投资总额 上年度资金 本年度计划数
市级财政资金 349.00 85.00 264.00
下级财政资金

其他
上级财政资金

合计 349.00 85.00 264.00

项目实施计
划

1、2024年1到3月：需求确认、系统设计和方案论证；
2、2024年4到5月：项目招标阶段；
3、2024年6到9月：软件开发、车载终端安装；
4、2024年10到11月：系统试运行及完善；
5、2024年12月项目上线、验收。

项目总目标 建成智能、高效、协同的院前急救指挥调度体系，急救呼叫10秒内接听率达到98%以上。

年度绩效目
标

完成调度系统软件升级和136台车载终端更新，系统上线运行，平均派车时间缩短至1分钟以内。

类别
对应子项目

名称
指标名称 目标值 指标解释 目标值来源

分解目标

投入 预算执行率 100% 考察预算资金执行情况 项目批复文件、原始凭证
资金使用合规性 合规 考察资金使用是否符合规定 合同、原始凭证
政府采购规范性 规范 考察采购程序是否规范 政府采购相关制度文件
资金节约率 15%及其以下 考察中标价与预算偏差 项目单位提供文件
产出 车载终端更新 车载终端更新数量 =136台 更新的救护车车载终端数 采购合同
调度系统软件升级 调度席位升级数量 =24个 升级的调度受理席位数 验收报告
调度系统软件升级、车载终端更新 系统验收合格率 =100% 考察系统建设质量 验收报告
结果 调度系统软件升级 急救呼叫10秒内接听率 ≥98% 10秒内接听呼叫数占呼叫总数比例 调度系统统计
调度系统软件升级、车载终端更新 平均派车时间 ≤60秒 从受理到派车指令发出的平均时间 调度系统统计
车载终端更新 车辆定位准确率 ≥99% 定位误差小于20米的比例 运维报告
影响力 院前院内信息衔接机制 建立 考察急救与急诊信息互通 工作制度文件
系统运维管理制度 健全 考察后期运维管理 运维管理制度

需要说明的其它问题
填报单位负责人: 填报人: 刘倩 填报日期: 2023年10月12日
"""
    write_text(name, text)
    return name, E


@document
def d12():
    """The 苏州市 form as a tab-separated extract (like seed 002): HTML <p> paragraphs inside cells,
    the 分解目标 label on the row after the column heads, the category written only on the first
    row of its group, several 子项目 in one cell separated by 「, 」, blank signature cells."""
    name = "12_suzhou_tabs.tsv"
    three = "电梯物联网监测终端接入\n维保质量智能评价模块\n应急处置联动模块"
    E = expected(
        unit_name="苏州市市场监督管理局",
        unit_code="002108",
        name="苏州市电梯安全智慧监管平台（二期）",
        year="2025",
        project_type="信息化工程及维护类",
        project_attribute="市立项目",
        government_procurement="是",
        government_service_purchase="是",
        leaders=people("顾文斌"),
        contacts=[{"name": "朱晓燕", "phone": "0512-68325117"}],
        summary=(
            "电梯安全智慧监管平台一期已于2024年建成，汇聚全市电梯基础信息和维保记录。\n"
            "二期在一期基础上接入电梯物联网监测终端，建设维保质量智能评价和应急处置联动模块，实现困人故障"
            "自动报警、维保质量量化评价和应急救援一键派单。"
        ),
        basis="《特种设备安全监督检查办法》（市场监管总局令第57号）\n《江苏省电梯安全管理办法》",
        necessity=(
            "全市在用电梯超过11万台，老旧电梯比例逐年上升，依靠人工检查难以及时发现困人、冲顶等安全隐患；"
            "维保单位“保而不养”问题突出，需要以数据手段实施精准监管。"
        ),
        safeguards="关于印发苏州市级政务信息化项目管理办法的通知（苏府办〔2022〕56号）\n项目建设单位信息化项目管理制度",
        implementation_plan=(
            "2025年一季度：完成招标和合同签订；2025年二、三季度：完成终端接入和模块开发；2025年10月试运行；"
            "2025年12月完成验收，按合同支付尾款。"
        ),
        overall_goal=(
            "建成覆盖全市在用电梯的智慧监管平台，困人故障自动报警率达到90%以上，电梯万台事故率持续下降。"
        ),
        annual_goal="完成1.2万台电梯物联网监测终端接入和两个功能模块建设，平台稳定运行。",
        ly_budget="120.00",
        ly_appropriated="120.00",
        ly_spent="118.45",
        ly_arrival_rate="100",
        ly_execution_rate="98.71",
        fund_items=items(
            ("电梯物联网监测终端接入", "96.00"),
            ("维保质量智能评价模块", "38.50"),
            ("应急处置联动模块", "25.30"),
        ),
        fund_items_total="159.80",
        fund_sources=sources(
            municipal=("279.80", "120.00", "159.80"), total=("279.80", "120.00", "159.80")
        ),
        indicators=[
            ind(
                "投入",
                "",
                "预算执行率",
                "100%",
                "考察实际支出资金额占预算到位资金额的比率",
                "项目批复文件、原始凭证",
            ),
            ind(
                "投入",
                "",
                "专款专用率",
                "100%",
                "考察资金是否按计划使用在指定项目上",
                "项目批复文件、原始凭证",
            ),
            ind(
                "投入", "", "财务制度健全性", "健全", "考察财务管理制度是否健全", "财务管理制度文件"
            ),
            ind(
                "投入",
                "",
                "政府采购规范性",
                "规范",
                "考察政府采购程序是否规范",
                "政府采购相关制度文件、中标通知书",
            ),
            ind(
                "投入",
                "",
                "资金节约率",
                "15%及其以下",
                "考察中标价格与采购预算的偏差情况",
                "项目单位提供文件",
            ),
            ind(
                "产出",
                "",
                "接入电梯数量",
                "=12000台",
                "接入物联网监测终端的电梯数",
                "平台接入清单",
                "电梯物联网监测终端接入",
            ),
            ind(
                "产出",
                "",
                "新建功能模块数",
                "=2个",
                "新建的功能模块数",
                "验收报告",
                "维保质量智能评价模块\n应急处置联动模块",
            ),
            ind("产出", "", "验收合格率", "=100%", "验收合格率", "验收报告", three),
            ind(
                "结果",
                "",
                "困人故障自动报警率",
                "≥90%",
                "自动报警的困人故障占全部困人故障的比例",
                "平台统计数据",
                "电梯物联网监测终端接入",
            ),
            ind(
                "结果",
                "",
                "应急救援平均到场时间",
                "≤30分钟",
                "派单至救援人员到场的平均时间",
                "平台统计数据",
                "应急处置联动模块",
            ),
            ind(
                "结果", "", "业务系统投诉率", "=5%", "业务系统投诉率", "业务系统投诉情况统计", three
            ),
            ind(
                "结果",
                "",
                "使用单位满意度",
                "=95%",
                "使用单位满意度",
                "使用单位满意情况调查",
                three,
            ),
            ind(
                "影响力",
                "",
                "后期运行维护管理制度建设",
                "建立",
                "后期运行维护管理制度建设",
                "运维管理制度",
            ),
            ind("影响力", "", "数据共享机制", "建立", "与住建、应急部门的数据共享机制", "资料文件"),
        ],
    )

    def html_p(text):
        return " ".join(f"<p>{line}</p>" for line in text.split("\n"))

    rows = [
        ["苏州市级财政支出项目绩效目标申报表"],
        [],
        ["申报单位名称", "002108002108 苏州市市场监督管理局", "", "", ""],
        ["项目名称", E["name"], "", "", ""],
        ["项目类型", "信息化工程及维护类", "项目属性", "市立项目", ""],
        ["是否政府采购", "是", "是否政府购买服务", "是", ""],
        ["项目负责人", "顾文斌", "联系人", "朱晓燕", ""],
        ["联系电话", "0512-68325117", "", "", ""],
        ["项目年度", "2025", "", "", ""],
        ["项目概况", html_p(E["summary"]), "", "", ""],
        ["项目设立依据（相关批文名称）", E["basis"].replace("\n", " "), "", "", ""],
        ["项目设立的必要性", E["necessity"], "", "", ""],
        ["保证项目实施的制度、措施", E["safeguards"].replace("\n", " "), "", "", ""],
        [
            "本项目上年度市级财政资金使用情况",
            "预算安排资金（万元）",
            "120.00",
            "财政拨款资金（万元）",
            "120.00",
        ],
        ["", "实际支出资金（万元）", "118.45", "资金到位率（%）", "100"],
        ["", "预算执行率（%）", "98.71", "", ""],
        ["项目资金构成（详细列出各子项目名称和金额）", "子项目名称", "", "预算金额（万元）", ""],
        ["", "电梯物联网监测终端接入", "", "96.00", ""],
        ["", "维保质量智能评价模块", "", "38.50", ""],
        ["", "应急处置联动模块", "", "25.30", ""],
        ["", "合计：", "", "159.80", ""],
        ["项目资金来源（万元）", "资金来源", "项目投资总额", "上年度资金", "本年度计划数"],
        ["", "市级财政资金", "279.80", "120.00", "159.80"],
        ["", "下级财政资金", "", "", ""],
        ["", "其他", "", "", ""],
        ["", "上级财政资金", "", "", ""],
        ["", "合计", "279.80", "120.00", "159.80"],
        ["项目实施计划", E["implementation_plan"], "", "", ""],
        ["项目总目标", html_p(E["overall_goal"]), "", "", ""],
        [],
        ["年度绩效目标", E["annual_goal"], "", "", "", ""],
        ["", "类别", "对应子项目名称", "指标名称", "目标值", "指标解释", "目标值来源"],
    ]
    previous = None
    for k, i in enumerate(E["indicators"]):
        rows.append(
            [
                "分解目标" if k == 0 else "",
                i["category"] if i["category"] != previous else "",
                i["sub_projects"].replace("\n", ", "),
                i["name"],
                i["target"],
                i["explanation"],
                i["evidence"],
            ]
        )
        previous = i["category"]
    rows += [
        ["需要说明的其它问题", "", "", "", "", ""],
        ["填报单位负责人:", "", "填报人:", "", "填报日期:", ""],
    ]
    write_text(name, "\n".join("\t".join(r) for r in rows) + "\n")
    return name, E


@document
def d13():
    """The 苏州市 form as the Markdown a PDF converter makes (like seed 001): HTML check boxes, the
    table cut into pieces at page ends, 「<br>」 where a narrow cell wrapped (no break in the value)
    and 「<br/>」 inside a paragraph (a line break the author typed), the 合计 row first, and one
    option label split across two cells (「项目」…「政府性基金」). The 资金构成 合计 as written
    (128.00) differs from the sum of its rows (130.00): the expected value is what is written."""
    name = "13_suzhou_checkboxes.md"
    on, off = '<input checked="" type="checkbox"/>', '<input type="checkbox"/>'
    E = expected(
        unit_name="苏州市水务局",
        name="苏州市防汛防旱指挥系统运维项目",
        year="2025",
        project_type="信息化工程及维护类",
        project_attribute="市立项目",
        government_procurement="是",
        government_service_purchase="是",
        leaders=people("蒋卫国"),
        contacts=[{"name": "冯婷", "phone": "65226093"}],
        summary=(
            "对市防汛防旱指挥系统进行年度运维，包括指挥系统软件、328个水情监测站点设备和防汛视频会商系统，"
            "保障汛期监测数据实时上报和会商调度畅通。\n"
            "运维服务实行7×24小时响应，汛期（5月至10月）安排驻场人员。"
        ),
        basis="《中华人民共和国防洪法》\n《江苏省防汛防旱指挥系统运行维护管理办法》\n《苏州市防汛防旱应急预案》",
        necessity="防汛防旱指挥系统是全市防汛调度的核心支撑，系统设备全年在线运行，需持续运维保障其安全稳定。",
        safeguards=(
            "（1）落实运维合同管理\n按合同约定开展运维考核，考核结果与运维费支付挂钩。\n"
            "（2）建立汛期值守制度\n汛期实行运维人员24小时驻场。"
        ),
        implementation_plan=(
            "2025年1到2月完成运维服务政府采购，3月签订合同；4月支付运维费用的50%；"
            "11月组织运维考核验收，12月支付剩余50%运维费用。"
        ),
        overall_goal="保障防汛防旱指挥系统全年稳定运行，为全市防汛调度提供及时准确的数据和会商支撑。",
        annual_goal="系统年可用率不低于99%，监测数据到报率不低于98%，汛期会商调度零中断。",
        fund_items=items(
            ("防汛指挥系统软件运维", "62.00"),
            ("水情监测站点设备维护", "48.60"),
            ("防汛视频会商系统维护", "19.40"),
        ),
        fund_items_total="128.00",
        ly_budget="126.00",
        ly_appropriated="126.00",
        ly_spent="125.10",
        ly_arrival_rate="100",
        ly_execution_rate="99.29",
        fund_sources=sources(municipal=("130.00", "", "130.00"), total=("130.00", "", "130.00")),
        indicators=[
            ind("投入", "", "预算执行率", "=100%", "", "项目批复文件、原始凭证"),
            ind("投入", "", "专款专用率", "=100%", "", "项目批复文件、原始凭证"),
            ind("投入", "", "与预期质量计划差距定期检查率", "=100%", "", "项目管理制度文件"),
            ind("投入", "", "业务运维体系健全性", "健全", "", "可行性研究文件、项目管理文件"),
            ind(
                "产出",
                "",
                "运维监测站点数",
                "=328个",
                "纳入运维的水情监测站点数",
                "运维合同",
                "水情监测站点设备维护",
            ),
            ind(
                "产出",
                "",
                "汛期驻场运维时长",
                "≥184天",
                "5月1日至10月31日驻场",
                "驻场记录",
                "防汛指挥系统软件运维",
            ),
            ind(
                "产出",
                "",
                "故障修复时限",
                "≤24小时",
                "故障报修至修复的时间",
                "运维工单",
                "防汛指挥系统软件运维\n水情监测站点设备维护\n防汛视频会商系统维护",
            ),
            ind(
                "结果",
                "",
                "系统年可用率",
                "≥99%",
                "系统可用时长占全年时长比例",
                "运维报告",
                "防汛指挥系统软件运维",
            ),
            ind(
                "结果",
                "",
                "监测数据到报率",
                "≥98%",
                "按时到报数据占应到报数据比例",
                "系统统计",
                "水情监测站点设备维护",
            ),
            ind(
                "结果",
                "",
                "汛期会商调度中断次数",
                "0次",
                "因系统故障导致会商中断的次数",
                "值班记录",
                "防汛视频会商系统维护",
            ),
            ind("影响力", "", "防汛调度信息化水平", "稳定", "", "年度考核结果"),
            ind("影响力", "", "运维考核制度", "落实", "", "考核记录"),
        ],
    )

    def para_html(text):
        return " ".join(f"<p>{line.replace(chr(10), '<br/>')}</p>" for line in text.split("\n\n"))

    safeguards_md = (
        "<p>（1）落实运维合同管理<br/>按合同约定开展运维考核，考核结果与运维费支付挂钩。</p> "
        "<p>（2）建立汛期值守制度<br/>汛期实行运维人员24小时驻场。</p>"
    )
    types = (
        " ".join(f"{t} {on if t == E['project_type'] else off}" for t in SUZHOU_TYPES[:3])
        + "<br>"
        + " ".join(f"{t} {on if t == E['project_type'] else off}" for t in SUZHOU_TYPES[3:])
    )
    wrap = {  # narrow cells as the converter wrapped them
        "与预期质量计划差距定期检查率": "与预期质量计划<br>差距定期检查率",
        "业务运维体系健全性": "业务运维体系健<br>全性",
        "汛期会商调度中断次数": "汛期会商调度中<br>断次数",
        "防汛指挥系统软件运维": "防汛指挥系统<br>软件运维",
        "水情监测站点设备维护": "水情监测站点<br>设备维护",
        "防汛视频会商系统维护": "防汛视频会商<br>系统维护",
    }

    def cell(text):
        return wrap.get(text, text)

    lines = [
        "",
        "",
        "# 苏州市财政支出项目绩效目标申报表",
        "",
        "(2025年 )",
        "",
        "申报单位名称：苏州市水务局（盖章）",
        "",
        "|                    |   |     |       |",
        "|--------------------|---|-----|-------|",
        f"| 项目名称               | {E['name']}   |     |       |",
        f"| 项目类型               | {types}  |     |       |",
        f"| 是否政府采购             | 是 {on} 否 {off}  |     |       |",
        f"| 是否政府购买服务           | 是 {on} 否 {off}  |     |       |",
        f"| 项目属性               | 市立项目 {on} 部门预算项目 {off} 项目 {off} 国有资本收益项目 {off}  |     | 政府性基金 |",
        "| 项目负责人              | 蒋卫国   | 联系人 | 冯婷    |",
        "| 联系电话               | 65226093  |     |       |",
        "| 项目年度               | 2025  |     |       |",
        f"| 项目概况               | {para_html(E['summary'].replace(chr(10), chr(10) * 2))} |     |       |",
        f"| 项目设立依据<br>(相关批文名称) | {para_html(E['basis'].replace(chr(10), chr(10) * 2))}   |     |       |",
        "",
        "|                       |   |      |            |          |",
        "|-----------------------|---|------|------------|----------|",
        f"| 项目设立的必要性              | <p>{E['necessity']}</p> |      |            |          |",
        f"| 保证项目实施的制度、措施          | {safeguards_md}   |      |            |          |",
        "| 本项目上年度市级财政资金使用情况      | 预算安排资金（万元）  | 126.00 | 财政拨款资金（万元） | 126.00     |",
        "|                       | 实际支出资金（万元）  | 125.10 | 资金到位率（%）   | 100     |",
        "|                       | 预算执行率（%）  | 99.29    |            |          |",
        "| 项目资金构成（详细列出各子项目名称和金额） | 子项目名称   |      |            | 预算金额（万元） |",
        "|                       | 合计  |      |            | 128.00  |",
        *[
            f"|                       | {i['name']}   |      |            | {i['amount']}  |"
            for i in E["fund_items"]
        ],
        "| 项目资金来源                | 项目投资总额  |      | 上年度资金      | 本年度计划数   |",
        "",
        "|           |   |         |              |         |      |         |              |  |",
        "|-----------|---|---------|--------------|---------|------|---------|--------------|--|",
        "| 源<br>(万元) | 合 计*  | 130.00 |              |         |      | 130.00 |              |  |",
        "|           | 上级财政资金  |         |              |         |      |         |              |  |",
        "|           | 市级财政资金  | 130.00 |              |         |      | 130.00 |              |  |",
        "|           | 下级财政资金  |         |              |         |      |         |              |  |",
        "|           | 银行贷款  |         |              |         |      |         |              |  |",
        "|           | 单位自筹  |         |              |         |      |         |              |  |",
        "|           | 其 他   |         |              |         |      |         |              |  |",
        f"| 项目实施计划    | {E['implementation_plan']}   |         |              |         |      |         |              |  |",
        f"| 项目总目标     | {E['overall_goal']} |         |              |         |      |         |              |  |",
        f"| 年度绩效目     | {E['annual_goal']}   |         |              |         |      |         |              |  |",
        "| 分解目标      | 类别  | 对应子项目名称 | 指标名称         | 指标目标值   | 目标解释 | 指标目标值来源 | 历史数据查看       |  |",
    ]
    inds = E["indicators"]
    split_at = 6  # the page ends after the sixth indicator: a new table starts
    previous = None
    for k, i in enumerate(inds):
        if k == split_at:
            lines += [
                "",
                "|     |                     |                           |         |                            |                      |  |",
                "|-----|---------------------|---------------------------|---------|----------------------------|----------------------|--|",
            ]
        category = i["category"] if i["category"] != previous else ""
        previous = i["category"]
        subs = (
            "、".join(cell(s) for s in i["sub_projects"].split("\n")) if i["sub_projects"] else ""
        )
        if k < split_at:
            lines.append(
                f"|           | {category}  | {subs} | {cell(i['name'])} | {i['target']} | {i['explanation']} | {i['evidence']} |  |  |"
            )
        else:
            label = " ".join(category) if len(category) == 2 else category  # 「产 出」 as seed 001
            lines.append(
                f"| {label} | {subs} | {cell(i['name'])} | {i['target']} | {i['explanation']} | {i['evidence']} |  |"
            )
    lines += [
        "",
        "|              |  |  |  |       |  |  |",
        "|--------------|--|--|--|-------|--|--|",
        "| 备注           |  |  |  |       |  |  |",
        "| 填报单位负责人（签名）： |  |  |  | 填报人：  |  |  |",
        "|              |  |  |  | 填报日期： |  |  |",
        "",
    ]
    write_text(name, "\n".join(lines))
    return name, E


@document
def d14():
    """阳泉 / 大庆 市级部门预算项目支出绩效目标申报表 in Excel: 编制单位（盖章） above the table, a
    19-option 项目类别 list (■ marks the choice), 资金来源 and 项目支出内容及明细预算 tables with
    上年度预算安排 | 上年度实际执行 | 本年度申请金额 columns and =SUM 合计 rows (no cached values),
    numbered item names (「1.公厕提标改造」), 预期目标 in two parts, and an indicator table with no
    一级指标: 二级 (目标完成程度 / 项目实施效益) and 三级, 上年度实际水平 beside 本年度计划水平."""
    name = "14_yangquan_fund_columns.xlsx"
    kinds = [
        "重大课题(规划)",
        "网络运行维护",
        "考核奖励",
        "大型培训",
        "重大宣传活动",
        "执法办案",
        "大宗印刷",
        "奖学助学",
        "庆典、节会、论坛、商业演出",
        "房租",
        "设备购置",
        "交通工具购置",
        "专用材料购置",
        "房屋建筑物购建",
        "大型修缮",
        "信息网络购建",
        "物资储备",
        "转移支付",
        "其他",
    ]
    E = expected(
        unit_name="阳泉市城市管理局",
        name="城区公厕提标改造及运营维护项目",
        year="2024",
        project_attribute="延续项目",
        leaders=people("郭永刚"),
        contacts=[{"name": "郭永刚", "phone": "0353-2023316"}],
        necessity=(
            "依据《城市公共厕所管理办法》和《阳泉市城市公厕建设管理三年行动方案》，城区现有公厕115座，"
            "其中30座建成于2005年以前，设施老化、无障碍设施缺失，群众投诉较多。项目已列入市政府2024年"
            "民生实事，改造方案经专家论证可行，实施提标改造和专业化保洁运营十分必要。"
        ),
        annual_goal=(
            "完成城区30座公厕提标改造，保障115座公厕日常保洁和运营维护。\n"
            "城区公厕服务水平明显提升，群众如厕难问题有效缓解。"
        ),
        safeguards=(
            "组织机构：成立项目工作专班，由分管副局长牵头。\n"
            "管理制度：执行《阳泉市城市公厕管理办法》，实行保洁质量月考核。\n"
            "质量控制：改造工程实行监理制，竣工后组织联合验收。"
        ),
        ly_budget="260.00",
        ly_spent="248.60",
        fund_items=items(
            ("公厕提标改造", "210.00"),
            ("公厕保洁运营维护", "138.00"),
            ("智慧公厕管理系统", "12.00"),
        ),
        fund_items_total="360.00",
        fund_sources=sources(
            municipal=("", "260.00", "310.00"),
            superior=("", "", "50.00"),
            total=("", "260.00", "360.00"),
        ),
        indicators=[
            ind("", "目标完成程度", "公厕提标改造数量", "30座", "完成提标改造的公厕数量"),
            ind("", "目标完成程度", "公厕保洁覆盖率", "100%", "日常保洁公厕数/城区公厕总数"),
            ind("", "目标完成程度", "改造工程验收合格率", "100%"),
            ind("", "目标完成程度", "改造工程完工时间", "2024年11月底前"),
            ind("", "项目实施效益", "公厕环境卫生投诉件数", "较上年下降30%", "12345热线投诉统计"),
            ind("", "项目实施效益", "群众如厕满意度", "≥90%", "问卷调查"),
        ],
        extra={
            "项目类别": "大型修缮",
            "项目计划实施时间": "2024年3月1日——2024年11月30日",
            "以前年度项目绩效情况": "2023年保洁运营维护经费260万元，实际执行248.6万元，公厕保洁考核平均得分92分。",
        },
    )
    wb = new_workbook()
    ws = wb.active
    ws.title = "申报表"
    s = Sheet(ws, {"A": 8, "B": 14, "C": 22, "D": 13, "E": 13, "F": 13, "G": 14, "H": 20})
    s.put("A1", "阳泉市市级部门预算项目支出绩效目标申报表", "H1", box=False, bold=True, center=True)
    s.put("A2", "（2024年度）", "H2", box=False, center=True)
    s.put("A3", "编制单位（盖章）：阳泉市城市管理局", "E3", box=False)
    s.put("G3", "单位：万元", "H3", box=False)
    s.put("B4", "项目名称", center=True)
    s.put("C4", E["name"], "D4")
    s.put("E4", "项目负责人", center=True)
    s.put("F4", "郭永刚")
    s.put("G4", "联系电话", center=True)
    s.put("H4", "0353-2023316")
    s.put("B5", "项目类别", center=True)
    s.put(
        "C5",
        " ".join(f"{k}.{v}{'■' if v == '大型修缮' else '□'}" for k, v in enumerate(kinds, start=1)),
        "H5",
    )
    ws.row_dimensions[5].height = 48
    s.put("B6", "项目属性", center=True)
    s.put("C6", "新增项目□　　延续项目■", "H6")
    s.put("B7", "项目计划实施时间", center=True)
    s.put("C7", "2024年3月1日——2024年11月30日", "H7")
    s.put("B8", "项目申请原因（包括设立依据、可行性、必要性）", center=True)
    s.put("C8", E["necessity"], "H8")
    ws.row_dimensions[8].height = 60
    s.put("B9", "以前年度项目绩效情况", center=True)
    s.put("C9", E["extra"]["以前年度项目绩效情况"], "H9")
    s.put("A4", "项目基本情况", "A9", center=True)
    # 资金来源
    s.put("C10", "项目", center=True)
    s.put("D10", "上年度预算安排", center=True)
    s.put("E10", "上年度实际执行", center=True)
    s.put("F10", "本年度申请金额", center=True)
    s.put("G10", "备注", "H10", center=True)
    s.put("C11", "合计", center=True)
    for col in "DEF":
        s.put(f"{col}11", f"=SUM({col}12:{col}16)", fmt="0.00")
    s.put("G11", None, "H11")
    for r, (label, a, b, c) in enumerate(
        [
            ("本级财政拨款", 260, 248.6, 310),
            ("上级财政拨款", None, None, 50),
            ("上年结转", None, None, None),
            ("自筹资金", None, None, None),
            ("其他资金", None, None, None),
        ],
        start=12,
    ):
        s.put(f"C{r}", label)
        s.put(f"D{r}", a, fmt="0.00")
        s.put(f"E{r}", b, fmt="0.00")
        s.put(f"F{r}", c, fmt="0.00")
        s.put(f"G{r}", "省级城市管理专项补助" if label == "上级财政拨款" else None, f"H{r}")
    s.put("B10", "资金来源（万元）", "B16", center=True)
    # 明细预算
    s.put("C17", "项目", center=True)
    s.put("D17", "上年度预算安排", center=True)
    s.put("E17", "上年度实际执行", center=True)
    s.put("F17", "本年度申请金额", center=True)
    s.put("G17", "资金测算依据及说明", "H17", center=True)
    s.put("C18", "合计", center=True)
    for col in "DEF":
        s.put(f"{col}18", f"=SUM({col}19:{col}21)", fmt="0.00")
    s.put("G18", None, "H18")
    for r, (label, a, b, c, why) in enumerate(
        [
            ("1.公厕提标改造", None, None, 210, "改造公厕30座×7万元/座"),
            ("2.公厕保洁运营维护", 260, 248.6, 138, "115座×1.2万元/座·年"),
            ("3.智慧公厕管理系统", None, None, 12, "按三家询价平均价"),
        ],
        start=19,
    ):
        s.put(f"C{r}", label)
        s.put(f"D{r}", a, fmt="0.00")
        s.put(f"E{r}", b, fmt="0.00")
        s.put(f"F{r}", c, fmt="0.00")
        s.put(f"G{r}", why, f"H{r}")
    s.put("B17", "项目支出内容及明细预算（万元）", "B21", center=True)
    s.put("A10", "项目资金情况", "A21", center=True)
    # 绩效目标
    s.put("B22", "预期目标", "B23", center=True)
    s.put("C22", "预期提供的公共产品和服务的数量")
    s.put("D22", E["annual_goal"].split("\n")[0], "H22")
    s.put("C23", "预期效果")
    s.put("D23", E["annual_goal"].split("\n")[1], "H23")
    s.put("B24", "保障绩效目标实现的措施", center=True)
    s.put("C24", E["safeguards"], "H24")
    ws.row_dimensions[24].height = 60
    s.put("B25", "绩效指标", "B27", center=True)
    s.put("C25", "指标名称", "D25", center=True)
    s.put("C26", "二级指标", "C27", center=True)
    s.put("D26", "三级指标", "D27", center=True)
    s.put("E25", "上年度实际水平", "E27", center=True)
    s.put("F25", "本年度计划水平", "F27", center=True)
    s.put("G25", "指标内容/计算公式", "H27", center=True)
    last_year = ["—", "100%", "—", "—", "46件", "86%"]
    r = 28
    for k, (i, ly) in enumerate(zip(E["indicators"], last_year, strict=True)):
        s.put(f"D{r + k}", i["name"])
        s.put(f"E{r + k}", ly, center=True)
        s.put(f"F{r + k}", i["target"], center=True)
        s.put(f"G{r + k}", i["explanation"] or None, f"H{r + k}")
    s.put(f"C{r}", "目标完成程度", f"C{r + 3}", center=True)
    s.put(f"C{r + 4}", "项目实施效益", f"C{r + 5}", center=True)
    s.put(f"B{r}", None, f"B{r + 5}")
    s.put("A22", "绩效目标情况", f"A{r + 5}", center=True)
    s.finish()
    save_xlsx(wb, name)
    return name, E


@document
def d15():
    """陕西 佳县 财政支出项目绩效目标申报表: 填报单位（盖章） as a line above the table; all the money
    pairs in one cell (「资金总额：420.00」「财政拨款：380.00」… one a line, some left blank); a
    项目实施进度计划 sub-table; 长期目标 | 年度目标 side by side; then two indicator tables, 长期绩效
    指标 and 年度绩效指标 (only the second is the year's); the signatures on a line below."""
    name = "15_jiaxian_long_annual.docx"
    E = expected(
        unit_name="佳县农业农村局",
        name="佳县红枣标准化生产示范基地建设项目",
        year="2024",
        project_attribute="延续项目",
        leaders=people("白振华"),
        contacts=[{"name": "白振华", "phone": "0912-6721352"}],
        summary=(
            "在朱家坬、坑镇等4个镇建设红枣标准化生产示范基地3000亩，推广矮化密植、水肥一体化和病虫害"
            "绿色防控技术，配套建设滴灌设施，开展枣农技术培训。"
        ),
        basis="《陕西省红枣产业高质量发展实施方案》；《佳县“十四五”农业农村发展规划》；县政府常务会议纪要〔2023〕21号。",
        necessity=(
            "红枣是我县农民增收的主导产业，现有枣园管理粗放、裂果率高、效益下滑，亟需通过标准化示范带动"
            "全县枣园提质增效。"
        ),
        implementation_plan=(
            "1、示范基地规划设计和苗木采购 2024年3月 2024年4月\n"
            "2、标准化栽植、水肥一体化设施建设 2024年4月 2024年8月\n"
            "3、技术培训、验收 2024年9月 2024年11月"
        ),
        overall_goal="到2026年建成标准化示范基地1万亩，带动全县红枣亩均增收300元以上。",
        annual_goal="2024年建成示范基地3000亩，培训枣农500人次以上，苗木成活率不低于90%。",
        other_notes="无",
        filled_by="白雪梅",
        filled_on="2023-09-26",
        unit_head_name="高建军",
        fund_sources=sources(
            municipal=("", "", "380.00"), self_raised=("", "", "40.00"), total=("", "", "420.00")
        ),
        indicators=[
            ind("产出", "数量指标", "建设标准化示范基地面积", "3000亩"),
            ind("产出", "数量指标", "培训枣农人次", "≥500人次"),
            ind("产出", "质量指标", "苗木成活率", "≥90%", "按抽样调查"),
            ind("产出", "时效指标", "建设任务完成时间", "2024年11月底前"),
            ind("产出", "成本指标", "亩均建设成本", "≤1400元/亩"),
            ind("效益", "经济效益指标", "示范基地亩均增收", "≥500元"),
            ind("效益", "社会效益指标", "带动脱贫户参与", "≥120户"),
            ind("效益", "环境效益指标", "化肥使用量", "较上年减少10%"),
            ind("效益", "可持续影响指标", "红枣标准化生产技术推广", "持续推广"),
            ind("满意度", "服务对象满意度指标", "参与农户满意度", "≥90%"),
        ],
        extra={
            "主管部门": "佳县农业农村局",
            "主管部门编码": "612728",
            "项目实施单位": "佳县红枣产业发展中心",
            "项目起止时间": "2024年3月—2024年11月",
            "单位职能概述": "负责全县农业农村经济发展规划、农业产业化和农业技术推广等工作。",
            "项目申报的可行性": "项目区土地已完成流转，群众参与意愿强，县红枣产业发展中心具备技术服务能力。",
        },
    )
    x = E["extra"]
    d = new_docx()
    para(d, "佳县财政支出项目绩效目标申报表", size=16, bold=True, center=True)
    para(d, "（2024年度）", center=True)
    para(d, "填报单位（盖章）：佳县农业农村局")
    t = DocTable(d, 4, (3.2, 5.2, 3.2, 5.0))
    t.row("项目名称", (E["name"], 3))
    t.row("项目属性", ("新增项目 □      延续项目 √", 3))
    t.row("主管部门", x["主管部门"], "主管部门编码", x["主管部门编码"])
    t.row("项目实施单位", x["项目实施单位"], "项目负责人", "白振华")
    t.row("联系电话", "0912-6721352", "项目起止时间", x["项目起止时间"])
    t.row(
        "项目资金申请\n（万元）",
        (
            "资金总额：420.00\n财政拨款：380.00\n自有资金：40.00\n事业收入：\n经营性收入：\n其他：",
            3,
        ),
    )
    t.row("单位职能概述", (x["单位职能概述"], 3))
    t.row("项目概况", (E["summary"], 3))
    r = t.row("项目立项情况", "项目立项的依据", (E["basis"], 2))
    t.row("", "项目申报的可行性", (x["项目申报的可行性"], 2))
    t.row("", "项目申报的必要性", (E["necessity"], 2))
    t.vmerge(r, r + 2, 0, "项目立项情况")
    r = t.row("项目实施进度计划", "项目实施内容", "开始时间", "完成时间")
    for line in E["implementation_plan"].split("\n"):
        what, start, end = line.rsplit(" ", 2)
        t.row("", what, start, end)
    t.vmerge(r, r + 3, 0, "项目实施进度计划")
    r = t.row("项目绩效目标", ("长期目标", 2), "年度目标")
    t.row("", (E["overall_goal"], 2), E["annual_goal"])
    t.vmerge(r, r + 1, 0, "项目绩效目标")
    raw = {"产出": "产出指标", "效益": "效益指标", "满意度": "满意度指标"}

    def indicator_table(title, rows):
        para(d, "")
        t2 = DocTable(d, 5, (2.6, 3.0, 5.0, 3.0, 3.0))
        t2.row((title, 5))
        t2.row("一级指标", "二级指标", "指标内容", "指标值", "备注")
        spans: dict[str, list[int]] = {}
        for level1, level2, content, value, note in rows:
            spans.setdefault(level1, []).append(t2.row(level1, level2, content, value, note))
        for level1, rs in spans.items():
            t2.vmerge(rs[0], rs[-1], 0, level1)

    indicator_table(
        "长期绩效指标",
        [
            ("产出指标", "数量指标", "建设标准化示范基地面积", "1万亩", ""),
            ("产出指标", "质量指标", "示范基地优质果率", "≥80%", ""),
            ("效益指标", "经济效益指标", "带动全县红枣亩均增收", "≥300元", ""),
            ("满意度指标", "服务对象满意度指标", "参与农户满意度", "≥90%", ""),
        ],
    )
    indicator_table(
        "年度绩效指标",
        [
            (raw[i["category"]], i["subcategory"], i["name"], i["target"], i["explanation"])
            for i in E["indicators"]
        ],
    )
    para(d, "")
    para(d, "其他说明的问题：无")
    para(d, "填报人：白雪梅　　　　单位负责人：高建军　　　　填报日期：2023年9月26日")
    save_docx(d, name)
    return name, E


@document
def d16():
    """广西 财政支出绩效目标申报表 (an Excel sheet saved as Word): labels carrying their length limits
    (「项目概况(450字内)」), 项目起止时间 as 「20240101 到 20241231」, seven money rows of which two
    are filled, and an indicator table with 一级 投入/过程/产出/效益, the indicator's name in the
    二级指标 column (there is no 三级), 分值, 指标内容 (→ explanation), 指标值 and 评分细则."""
    name = "16_guilin_scored.docx"
    rules = [
        "到位率100%得5分，每少10个百分点扣1分，扣完为止。",
        "执行率达到90%以上（含）得10分，每少1个百分点扣1分。",
        "发现一处不合规扣2分，扣完为止。",
        "采购程序不规范的不得分。",
        "每少建成1个站点扣2.5分。",
        "有效率每低1个百分点扣1分。",
        "每延后10天扣2分。",
        "超过2小时的每次扣1分。",
        "出现一个断面不达标扣5分。",
        "满意度每低1个百分点扣0.5分。",
    ]
    points = ["5", "10", "10", "5", "15", "10", "10", "10", "15", "10"]
    E = expected(
        unit_name="桂林市生态环境局",
        name="漓江流域水环境质量自动监测能力提升项目",
        year="2024",
        project_type="专项业务类",
        leaders=people("蒋春林"),
        contacts=[{"name": "蒋春林", "phone": "0773-2826071"}],
        summary="在漓江干流及桃花江、良丰河等主要支流新建水质自动监测站6个，升级现有站点数据传输系统，建成漓江流域水质自动监测网。",
        basis="《广西壮族自治区生态环境监测网络建设方案》；《桂林市“十四五”生态环境保护规划》。",
        necessity="漓江支流入江口缺少自动监测手段，水质异常难以及时发现，需补齐监测站点，支撑漓江流域生态环境保护。",
        implementation_plan="2024年1-3月完成站点选址和设计；4-5月完成政府采购；6-9月站房建设和设备安装；10月完成联网调试并验收。",
        overall_goal="建成覆盖漓江干流和主要支流的水质自动监测网络，实现流域水质实时监控和预警。",
        annual_goal="新建6个水质自动监测站并联网运行，监测数据有效率不低于90%，漓江干流断面水质达标率100%。",
        filled_by="唐敏",
        filled_on="2023-12-05",
        fund_sources=sources(municipal=("", "", "296.00"), total=("", "", "296.00")),
        indicators=[
            ind(
                "投入",
                "",
                "资金到位率",
                "资金到位率达100%",
                "资金到位率=（实际到位资金/计划投入资金）×100%。",
            ),
            ind("投入", "", "预算执行率", "≥90%", "年度实际支出占年度预算的比例。"),
            ind(
                "过程",
                "",
                "资金使用合规性",
                "合规",
                "是否符合国家财经法规和财务管理制度以及专项资金管理办法的规定。",
            ),
            ind("过程", "", "政府采购规范性", "规范", "是否按规定履行政府采购程序。"),
            ind(
                "产出", "", "新建水质自动监测站", "6个", "在漓江干流及主要支流新建自动监测站数量。"
            ),
            ind("产出", "", "监测数据有效率", "≥90%", "有效监测数据占应获取数据的比例。"),
            ind("产出", "", "站点建成时间", "2024年10月31日前", "全部站点建成并联网的时间。"),
            ind(
                "效益",
                "",
                "水质异常预警响应时间",
                "≤2小时",
                "自动监测数据异常至预警信息发布的时间。",
            ),
            ind(
                "效益",
                "",
                "漓江干流断面水质达标率",
                "100%",
                "干流国控、区控断面水质达到Ⅱ类标准的比例。",
            ),
            ind("效益", "", "周边群众对水环境满意度", "≥90%", "问卷调查。"),
        ],
        extra={
            "主管部门编码": "405",
            "主管部门名称": "桂林市生态环境局",
            "项目实施单位": "桂林市生态环境监测中心",
            "项目起止时间": "20240101到20241231",
            "单位职能概述": "负责全市生态环境监督管理、生态环境监测和污染防治等工作。",
            "项目申报的可行性": "站点选址已征得属地政府同意，供电、通信条件具备。",
            "填报人联系电话": "0773-2826075",
        },
    )
    x = E["extra"]
    raw = {"投入": "投入指标", "过程": "过程指标", "产出": "产出指标", "效益": "效益指标"}
    d = new_docx()
    para(d, "财政支出绩效目标申报表", size=16, bold=True, center=True)
    para(d, "（2024年度）", center=True)
    t = DocTable(d, 6, (2.6, 2.2, 1.4, 4.4, 3.0, 3.0))
    t.row("填报单位：", (E["unit_name"], 5))
    t.row("项目名称", (E["name"], 5))
    t.row("项目类型", (E["project_type"], 5))
    t.row("主管部门编码", (x["主管部门编码"], 5))
    t.row("主管部门名称", (x["主管部门名称"], 5))
    t.row("项目实施单位", (x["项目实施单位"], 5))
    t.row("项目负责人", (E["leaders"][0]["name"], 5))
    t.row("联系电话", ("0773-2826071", 5))
    t.row("项目起止时间（如20190101）", ("20240101", 2), "到", ("20241231", 2))
    r = t.row("项目资金申请（万元）", ("资金总额：", 3), ("296.00", 2))
    for label, value in (
        ("一般公共预算拨款：", "296.00"),
        ("政府性基金预算拨款：", ""),
        ("国有资本经营预算拨款：", ""),
        ("纳入财政专户管理的收入：", ""),
        ("未纳入财政专户管理的收入：", ""),
        ("上年结余收入：", ""),
    ):
        t.row("", (label, 3), (value, 2))
    t.vmerge(r, r + 6, 0, "项目资金申请（万元）")
    t.row("单位职能概述(450字内)", (x["单位职能概述"], 5))
    t.row("项目概况(450字内)", (E["summary"], 5))
    r = t.row("项目立项情况", ("项目立项的依据(450字内)", 2), (E["basis"], 3))
    t.row("", ("项目申报的可行性(450字内)", 2), (x["项目申报的可行性"], 3))
    t.row("", ("项目申报的必要性(450字内)", 2), (E["necessity"], 3))
    t.vmerge(r, r + 2, 0, "项目立项情况")
    t.row("项目实施进度计划(450字内)", (E["implementation_plan"], 5))
    r = t.row("项目绩效目标", ("长期目标(450字内)", 3), ("年度目标(450字内)", 2))
    t.row("", (E["overall_goal"], 3), (E["annual_goal"], 2))
    t.vmerge(r, r + 1, 0, "项目绩效目标")
    r = t.row(("项目年度绩效目标衡量指标", 6))
    t.row(
        "一级指标", "二级指标", "分值", "指标内容(150字内)", "指标值(150字内)", "评分细则(150字内)"
    )
    spans: dict[str, list[int]] = {}
    for i, point, rule in zip(E["indicators"], points, rules, strict=True):
        row = t.row(raw[i["category"]], i["name"], point, i["explanation"], i["target"], rule)
        spans.setdefault(i["category"], []).append(row)
    for category, rs in spans.items():
        t.vmerge(rs[0], rs[-1], 0, raw[category])
    t.row("填报人：", "唐敏", "联系电话", "0773-2826075", "填报日期", "2023年12月5日")
    save_docx(d, name)
    return name, E


# =============================================================================================
# Writing and checking
# =============================================================================================

MONEY_KEYS = ("fund_items_total", "ly_budget", "ly_appropriated", "ly_spent")
SKIP_KEYS = {"category", "filled_on", "year", "amount", *MONEY_KEYS}


def document_text(path: Path) -> tuple[str, list[str]]:
    """All the text of a document as the plain libraries read it, and the text of each PDF page."""
    pages: list[str] = []
    if path.suffix == ".docx":
        from docx import Document

        doc = Document(path)
        parts = [p.text for p in doc.paragraphs]
        for table in doc.tables:
            for row in table.rows:
                parts += [cell.text for cell in row.cells]
        text = "\n".join(parts)
    elif path.suffix == ".xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(path)
        text = "\n".join(
            str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None
        )
    elif path.suffix == ".pdf":
        import pdfplumber

        with pdfplumber.open(path) as pdf:
            pages = [page.extract_text() or "" for page in pdf.pages]
            # a wrapped cell's lines interleave with its neighbours' in the page text: the cells too
            cells = [
                cell or ""
                for page in pdf.pages
                for table in page.extract_tables()
                for row in table
                for cell in row
            ]
        text = "\n".join(pages + cells)
    else:
        text = path.read_text(encoding="utf-8")
    return text, pages


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", text))


def _atoms(value, key=""):
    """The strings of an expected dict that must be found verbatim in the document."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k not in SKIP_KEYS and key != "fund_sources":
                yield from _atoms(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _atoms(v, key)
    elif isinstance(value, str) and value:
        yield from (line for line in value.split("\n") if line.strip())


def _money(E) -> list[str]:
    found = [E[k] for k in MONEY_KEYS if E[k]] + [i["amount"] for i in E["fund_items"]]
    found += [v for row in E["fund_sources"].values() for v in row.values() if v]
    return found


def check(name: str, E: dict) -> list[str]:
    """What of E the document does not show: strings missing, amounts in neither 万元 nor 元."""
    from decimal import Decimal

    path = HERE / name
    text, pages = document_text(path)
    flat = _squash(text)
    problems = [f"missing {atom!r}" for atom in _atoms(E) if _squash(atom) not in flat]
    numbers = {Decimal(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text)}
    for amount in _money(E):
        formula_sum = path.suffix == ".xlsx" and "=SUM(" in text  # the sum is not in the file
        if (
            Decimal(amount) not in numbers
            and Decimal(amount) * 10000 not in numbers
            and not formula_sum
        ):
            problems.append(f"amount {amount} not shown (a formula's sum?)")
    if path.stat().st_size > 200_000:
        problems.append(f"{path.stat().st_size} bytes")
    continues = len(pages) > 1 and _squash(pages[1]).startswith("一级指标二级指标三级指标")
    if name.startswith("08_") and not continues:
        problems.append("the indicator table does not continue on page 2 under a repeated header")
    return problems


def main(argv: list[str]) -> int:
    written = []
    for make in DOCUMENTS:
        name, E = make()
        stem = name.rsplit(".", 1)[0]
        (HERE / f"{stem}.expected.json").write_text(
            json.dumps(E, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        written.append((name, E))
        print(f"{name}: {len(E['indicators'])} indicators, {(HERE / name).stat().st_size} bytes")
    if "--check" in argv:
        bad = 0
        for name, E in written:
            for problem in check(name, E):
                bad += 1
                print(f"  {name}: {problem}")
        print("check:", "ok" if not bad else f"{bad} findings")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
