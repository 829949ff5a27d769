"""Every format a unit's form arrives in, read into one grid: the document's blocks in reading
order, each a table of cells (row, column, spans, text) or a line of text outside any table.

Word through python-docx (a merged cell once, with its spans: python-docx repeats it at every
grid position it covers), Excel through openpyxl (merged ranges filled from their top-left cell,
every sheet in turn, a formula's cached value when Excel saved one), PDFs with a text layer
through pdfplumber (its tables, and the lines outside them, by their place on the page), and
text extracts as they come (Markdown tables with HTML check boxes, tab-separated lines, plain
lines). Check boxes of every spelling become ☑ and □.

The work is bounded before anything is parsed: the file's size, a zip's entries and their
inflated size (a zip bomb is refused unread), macros (.xlsm) and encrypted PDFs are refused,
pages, sheets, rows, columns and cells are capped. Whatever cannot be read raises `Unreadable`
with the Chinese sentence the user is shown; nothing else escapes."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

MAX_BYTES = 10 * 1024 * 1024  # an upload larger than this is refused unread
MAX_INFLATED = 60 * 1024 * 1024  # the parts of a .docx or .xlsx, unzipped
MAX_ENTRIES = 2_000  # parts in one .docx or .xlsx
MAX_RATIO = 200  # a part inflating more than this many times is a zip bomb
MAX_PAGES = 40  # of a PDF
MAX_SHEETS = 10
MAX_ROWS = 2_000  # of one table or sheet
MAX_COLS = 60
MAX_CELLS = 40_000  # in the whole document
MAX_TEXT = 400_000  # characters of text in the whole document

CHECKED, UNCHECKED = "☑", "□"
KINDS = {"docx": "Word 文档", "xlsx": "Excel 工作簿", "pdf": "PDF", "text": "文本"}


class Unreadable(ValueError):
    """The file cannot be read; the message says why, in Chinese, for the user."""


@dataclass(frozen=True)
class Cell:
    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    formula: bool = False  # an Excel formula with no value saved (its text left empty)


@dataclass
class Table:
    cells: list[Cell]
    where: str  # 「第2个表格」「工作表“项目申报”」「第1页的表格」
    # tab-separated text: how many cells each line has, empty ones included (an extract drops a
    # merged cell's place at a line's start; the line is then shorter than its headings)
    widths: dict[int, int] = field(default_factory=dict)

    @property
    def rows(self) -> list[list[Cell]]:
        """The cells row by row (a merged cell in the row where it starts), left to right."""
        out: dict[int, list[Cell]] = {}
        for cell in sorted(self.cells, key=lambda c: (c.row, c.col)):
            out.setdefault(cell.row, []).append(cell)
        return [out[r] for r in sorted(out)]


@dataclass
class Block:
    """A table, or a line of text outside tables."""

    where: str
    table: Table | None = None
    text: str = ""


@dataclass
class Document:
    kind: str  # a key of KINDS
    blocks: list[Block] = field(default_factory=list)

    @property
    def cell_count(self) -> int:
        return sum(len(b.table.cells) if b.table else 1 for b in self.blocks)


def read(data: bytes, filename: str = "") -> Document:
    """The document in `data`, whatever its format (told by its content, the name's extension
    only for what content cannot tell: .xlsm)."""
    if len(data) > MAX_BYTES:
        raise Unreadable(
            f"文件超过 {MAX_BYTES // 1024 // 1024} MB，无法导入；请删去图片等附件后再试"
        )
    if not data.strip():
        raise Unreadable("文件是空的")
    if data[:4] == b"PK\x03\x04":
        return _zipped(data, filename)
    if data[:5] == b"%PDF-":
        return _pdf(data)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise Unreadable(
            "这是旧版 Word/Excel 文件（.doc/.xls），"
            "请在 Word 或 Excel 中另存为 .docx 或 .xlsx 后再导入"
        )
    return _text(data)


# ------------------------------------------------------------------ zips: .docx and .xlsx


def _zipped(data: bytes, filename: str) -> Document:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise Unreadable("文件已损坏，无法打开（不是完整的 Word 或 Excel 文件）") from None
    names = {e.filename for e in entries}
    if (
        len(entries) > MAX_ENTRIES
        or sum(e.file_size for e in entries) > MAX_INFLATED
        or any(e.compress_size and e.file_size / e.compress_size > MAX_RATIO for e in entries)
    ):
        raise Unreadable("文件解压后过大，疑似压缩炸弹，已拒绝导入")
    if any(n.lower().endswith("vbaproject.bin") for n in names) or filename.lower().endswith(
        (".xlsm", ".docm")
    ):
        raise Unreadable(
            "文件含有宏（.xlsm/.docm），为安全起见不予导入；请另存为不含宏的 .xlsx 或 .docx"
        )
    if "EncryptedPackage" in names or "EncryptionInfo" in names:
        raise Unreadable("文件设有打开密码，请取消密码后再导入")
    if "word/document.xml" in names:
        return _docx(data)
    if "xl/workbook.xml" in names:
        return _xlsx(data)
    raise Unreadable("无法识别的文件格式；请上传 .docx、.xlsx、.pdf、.txt、.md 或 .tsv 文件")


def _docx(data: bytes) -> Document:
    import docx
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # python-docx raises what lxml and zipfile raise on a damaged part
        raise Unreadable("Word 文件已损坏，无法打开") from None
    out, budget = Document("docx"), _Budget()
    tables = 0
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = _clean(Paragraph(child, document).text)
            if text:
                budget.take(1, len(text))
                out.blocks.append(Block(f"第{len(out.blocks) + 1}段", text=text))
        elif tag == "tbl":
            tables += 1
            table = _docx_table(DocxTable(child, document), f"第{tables}个表格", budget)
            out.blocks.append(Block(table.where, table=table))
    return out


def _docx_table(table, where: str, budget: _Budget) -> Table:
    """python-docx gives a merged cell at every grid position it covers: keep it once, where it
    starts, with the rows and columns it spans."""
    # the cell's XML element -> [row, col, last row, last col]; the elements themselves are the
    # keys (held, so that lxml hands back the same proxy: an id() of a dropped one is reused)
    seen: dict[object, list[int]] = {}
    texts: dict[object, str] = {}
    for r, row in enumerate(table.rows):
        if r >= MAX_ROWS:
            break
        for c, cell in enumerate(row.cells[:MAX_COLS]):
            key = cell._tc
            if key not in seen:
                seen[key] = [r, c, r, c]
                texts[key] = _clean(cell.text)
                budget.take(1, len(texts[key]))
            else:
                span = seen[key]
                span[2], span[3] = max(span[2], r), max(span[3], c)
    cells = [Cell(r, c, texts[k], r2 - r + 1, c2 - c + 1) for k, (r, c, r2, c2) in seen.items()]
    return Table(cells, where)


def _xlsx(data: bytes) -> Document:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=False, read_only=False)
    except Exception:  # openpyxl raises what zipfile, lxml and its readers raise
        raise Unreadable("Excel 文件已损坏，无法打开") from None
    cached = None  # the values Excel saved for formulas, read only if there is a formula
    out, budget = Document("xlsx"), _Budget()
    for n, sheet in enumerate(book.worksheets):
        if n >= MAX_SHEETS:
            break
        if sheet.sheet_state != "visible":
            continue
        spans = {}
        covered = set()
        for merged in sheet.merged_cells.ranges:
            rows, cols = merged.max_row - merged.min_row + 1, merged.max_col - merged.min_col + 1
            spans[(merged.min_row, merged.min_col)] = (rows, cols)
            covered |= {(r, c) for r in range(merged.min_row, merged.max_row + 1)
                        for c in range(merged.min_col, merged.max_col + 1)} - {
                (merged.min_row, merged.min_col)}  # fmt: skip
        cells = []
        for row in sheet.iter_rows(max_row=min(sheet.max_row, MAX_ROWS),
                                   max_col=min(sheet.max_column, MAX_COLS)):  # fmt: skip
            for cell in row:
                if cell.value is None or (cell.row, cell.column) in covered:
                    continue
                value, formula = cell.value, False
                if isinstance(value, str) and value.startswith("=") and cell.data_type == "f":
                    if cached is None:
                        cached = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
                    saved = cached[sheet.title].cell(cell.row, cell.column).value
                    value = saved if saved is not None else _literal_formula(value)
                    formula = saved is None and not value
                text = _clean(_xlsx_text(value, cell.number_format))
                if not text and not formula:
                    continue
                budget.take(1, len(text))
                rows, cols = spans.get((cell.row, cell.column), (1, 1))
                cells.append(Cell(cell.row - 1, cell.column - 1, text, rows, cols, formula))
        if cells:
            where = f"工作表“{sheet.title}”"
            out.blocks.append(Block(where, table=Table(cells, where)))
    return out


def _literal_formula(formula: str) -> str:
    """A formula Excel never computed: a typed target such as 「=100%」 is what the user meant
    to write (kept as typed); a computation (=SUM(B3:B5)) is left out, the reader recomputes."""
    return formula if re.fullmatch(r"=\s*[\d.]+\s*%?", formula) else ""


def _xlsx_text(value, number_format: str) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float):
        if "%" in (number_format or ""):
            return _number(Decimal(repr(value)) * 100) + "%"
        return _number(Decimal(repr(value)))
    return str(value)


def _number(value: Decimal) -> str:
    """A number as people write it: no float noise (0.1 + 0.2), no exponent, no trailing .0."""
    value = value.quantize(Decimal("0.0000001")).normalize() if value.adjusted() < 15 else value
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


# ------------------------------------------------------------------ PDF


def _pdf(data: bytes) -> Document:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = pdf.pages
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise Unreadable("PDF 设有密码，请取消密码后再导入") from None
    except Exception as exc:  # pdfminer raises many kinds on a damaged file (pdfplumber wraps)
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
            raise Unreadable("PDF 设有密码，请取消密码后再导入") from None
        raise Unreadable("PDF 文件已损坏，无法打开") from None
    out, budget = Document("pdf"), _Budget()
    with pdf:
        if len(pages) > MAX_PAGES:
            raise Unreadable(f"PDF 超过 {MAX_PAGES} 页，无法导入；请只上传申报表部分")
        chars = 0
        for number, page in enumerate(pages, start=1):
            try:
                chars += len(page.chars)
                out.blocks += _pdf_page(page, number, budget)
            except Unreadable:
                raise
            except Exception:  # a damaged page
                raise Unreadable(f"PDF 第 {number} 页已损坏，无法读取") from None
        if chars == 0:
            raise Unreadable(
                "PDF 没有文字层（可能是扫描件），无法识别；请上传 Word、Excel 或可复制文字的 PDF"
            )
    return out


def _pdf_page(page, number: int, budget: _Budget) -> list[Block]:
    found = page.find_tables()
    placed: list[tuple[float, Block]] = []
    for n, table in enumerate(found, start=1):
        where = f"第{number}页的第{n}个表格" if len(found) > 1 else f"第{number}页的表格"
        placed.append((table.bbox[1],
                       Block(where, table=_pdf_table(page, table, where, budget))))  # fmt: skip
    outside = page
    for table in found:
        outside = outside.outside_bbox(table.bbox)
    for line in outside.extract_text_lines(return_chars=False):
        text = _clean(line["text"])
        if text:
            budget.take(1, len(text))
            placed.append((line["top"], Block(f"第{number}页", text=text)))
    return [block for _, block in sorted(placed, key=lambda p: p[0])]


def _pdf_table(page, table, where: str, budget: _Budget) -> Table:
    """pdfplumber's rows hold None where a merged cell covers the grid: the cell is kept where
    it starts, spanning the rows and columns its box covers. A merged cell a page break cut has
    no closed box (None, and nothing above covers it): it is read from the words in its place,
    the column's width from the row's top to the table's foot."""
    texts = table.extract()
    rows = table.rows[:MAX_ROWS]
    lefts: dict[int, float] = {}
    rights: dict[int, float] = {}
    for row in rows:
        for c, box in enumerate(row.cells[:MAX_COLS]):
            if box is not None:
                lefts.setdefault(c, box[0])
                if c + 1 < len(row.cells) and row.cells[c + 1] is not None:
                    rights.setdefault(c, box[2])
    cells, covered = [], set()
    for r, row in enumerate(rows):
        for c, box in enumerate(row.cells[:MAX_COLS]):
            if (r, c) in covered:
                continue
            if box is None:
                if c not in lefts:
                    continue
                right = rights.get(c, lefts.get(c + 1, table.bbox[2]))
                box = (lefts[c], row.bbox[1], right, table.bbox[3])
                text = _clean(page.crop(box, strict=False).extract_text() or "")
            else:
                text = _clean(texts[r][c] or "")
            rowspan = 1 + sum(1 for later in rows[r + 1 :] if later.bbox[1] < box[3] - 1)
            colspan = 1 + sum(1 for c2, x in lefts.items() if c2 > c and x < box[2] - 1)
            covered |= {(r + i, c + j) for i in range(rowspan) for j in range(colspan)}
            budget.take(1, len(text))
            cells.append(Cell(r, c, text, rowspan, colspan))
    return Table(cells, where)


# ------------------------------------------------------------------ text extracts


def _text(data: bytes) -> Document:
    for encoding in ("utf-8-sig", "gb18030", "utf-16"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise Unreadable("无法识别文件的文字编码；请另存为 UTF-8 编码的文本后再导入")
    if "\x00" in text:
        raise Unreadable("无法识别的文件格式；请上传 .docx、.xlsx、.pdf、.txt、.md 或 .tsv 文件")
    if len(text) > MAX_TEXT:
        raise Unreadable(f"文本超过 {MAX_TEXT // 10000} 万字，无法导入")
    out, budget = Document("text"), _Budget()
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    n = 0
    while n < len(lines):
        line = lines[n]
        if _markdown_row(line):
            end = n
            while end < len(lines) and _markdown_row(lines[end]):
                end += 1
            out.blocks.append(_markdown_table(lines[n:end], n + 1, budget))
            n = end
        elif "\t" in line:
            end = n
            while end < len(lines) and "\t" in lines[end]:
                end += 1
            out.blocks.append(_tab_table(lines[n:end], n + 1, budget))
            n = end
        else:
            cleaned = _clean(_html(line.lstrip("#").strip()))
            if cleaned:
                budget.take(1, len(cleaned))
                out.blocks.append(Block(f"第{n + 1}行", text=cleaned))
            n += 1
    return out


def _markdown_row(line: str) -> bool:
    stripped = line.strip()
    return len(stripped) > 1 and stripped.startswith("|") and stripped.endswith("|")


def _markdown_table(lines: list[str], first: int, budget: _Budget) -> Block:
    cells, r = [], 0
    for line in lines:
        parts = _split_pipes(line.strip()[1:-1])
        if all(re.fullmatch(r"\s*:?-{2,}:?\s*", p) for p in parts):
            continue  # the header's rule
        for c, part in enumerate(parts[:MAX_COLS]):
            text = _clean(_html(part))
            if text:
                budget.take(1, len(text))
                cells.append(Cell(r, c, text))
        r += 1
        if r >= MAX_ROWS:
            break
    where = f"第{first}行起的表格"
    return Block(where, table=Table(cells, where))


def _split_pipes(inner: str) -> list[str]:
    """A Markdown row's cells: split at | not escaped and not inside an HTML tag."""
    parts, current, depth, escaped = [], [], 0, False
    for ch in inner:
        if escaped:
            current.append(ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "<":
            depth += 1
            current.append(ch)
        elif ch == ">":
            depth = max(0, depth - 1)
            current.append(ch)
        elif ch == "|" and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


def _tab_table(lines: list[str], first: int, budget: _Budget) -> Block:
    """Tab-separated lines: a line starting with a tab continues the label of the line above
    (the extract of a merged label cell), so its first cell is left empty, not shifted."""
    cells, widths = [], {}
    for r, line in enumerate(lines[:MAX_ROWS]):
        parts = line.rstrip("\t").split("\t")[:MAX_COLS]
        widths[r] = len(parts)
        for c, part in enumerate(parts):
            text = _clean(_html(part))
            if text:
                budget.take(1, len(text))
                cells.append(Cell(r, c, text))
    where = f"第{first}行起的表格"
    return Block(where, table=Table(cells, where, widths))


# ------------------------------------------------------------------ text of a cell

_CHECKED_INPUT = re.compile(r"<input\b[^>]*\bchecked\b[^>]*>", re.I)
_INPUT = re.compile(r"<input\b[^>]*>", re.I)
_BREAK = re.compile(r"<\s*(br|/p|/div|/li)\s*/?\s*>", re.I)
_TAG = re.compile(r"<[^>]{0,200}>")
_ENTITIES = {"&nbsp;": " ", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'", "&amp;": "&"}


def _html(text: str) -> str:
    """HTML in a text extract's cell: check boxes become ☑ □, breaks become new lines."""
    if "<" not in text and "&" not in text:
        return text
    text = _CHECKED_INPUT.sub(CHECKED, text)
    text = _INPUT.sub(UNCHECKED, text)
    text = _BREAK.sub("\n", text)
    text = _TAG.sub("", text)
    for entity, char in _ENTITIES.items():
        text = text.replace(entity, char)
    return text


_BOXES = str.maketrans({"■": CHECKED, "☒": CHECKED, "✓": "√", "✔": "√", "☐": UNCHECKED,
                        "\u3000": " ", "\xa0": " "})  # fmt: skip


def _clean(text: str) -> str:
    """Spaces at the ends of lines and runs of blank lines gone; check boxes of every spelling
    as ☑ and □; control characters dropped."""
    text = text.translate(_BOXES)
    text = "".join(ch for ch in text if ch in "\n\t" or ch >= " ")
    lines = [line.strip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


class _Budget:
    """Cells and characters read so far: past the caps the file is refused, not read on."""

    def __init__(self) -> None:
        self.cells = self.chars = 0

    def take(self, cells: int, chars: int) -> None:
        self.cells += cells
        self.chars += chars
        if self.cells > MAX_CELLS or self.chars > MAX_TEXT:
            raise Unreadable("文件内容过多（超过一份申报表的篇幅），无法导入；请只上传申报表部分")


def iter_texts(document: Document) -> Iterator[str]:
    """Every text of the document, in reading order (for what could not be placed)."""
    for block in document.blocks:
        if block.table is None:
            yield block.text
        else:
            for row in block.table.rows:
                for cell in row:
                    yield cell.text
