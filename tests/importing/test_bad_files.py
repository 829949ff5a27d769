"""Files an import must refuse (issue 18): each with a Chinese sentence saying why, within
bounded time and memory, before anything is parsed where it can be: a corrupt Word file, an
encrypted or scanned PDF, a zip bomb, a macro-laden workbook, an old .doc, an empty or oversized
file, text in no known encoding."""

from __future__ import annotations

import io
import zipfile

import pytest

from workflow.imports import grid


def _pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def _docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("项目名称：测试")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


def _encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf("<p>项目名称：测试</p>"))))
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _scanned_pdf() -> bytes:
    """A page with an image and no text layer, as a scanner makes it."""
    import base64

    from PIL import Image

    image = io.BytesIO()
    Image.new("RGB", (200, 100), "white").save(image, "PNG")
    src = "data:image/png;base64," + base64.b64encode(image.getvalue()).decode()
    return _pdf(f'<img src="{src}" style="width:150mm">')


CASES = {
    "corrupt docx": (lambda: _docx()[:3000], "已损坏"),
    "corrupt zip": (lambda: b"PK\x03\x04" + b"\x00" * 200, "已损坏"),
    "encrypted pdf": (_encrypted_pdf, "PDF 设有密码"),
    "scanned pdf": (_scanned_pdf, "没有文字层（可能是扫描件）"),
    "damaged pdf": (lambda: b"%PDF-1.7\n" + b"\x00garbage" * 100, "PDF 文件已损坏"),
    "zip bomb": (lambda: _zip({"word/document.xml": b"\x00" * (80 * 1024 * 1024)}), "压缩炸弹"),
    "macros": (
        lambda: _zip({"xl/workbook.xml": b"<x/>", "xl/vbaProject.bin": b"\x00"}),
        "含有宏",
    ),  # fmt: skip
    "xlsm by name": (lambda: _zip({"xl/workbook.xml": b"<x/>"}), "含有宏"),
    "old word": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500, "旧版"),
    "empty": (lambda: b"  \n ", "文件是空的"),
    "oversized": (lambda: b"a" * (grid.MAX_BYTES + 1), "超过 10 MB"),
    "binary": (lambda: bytes(range(256)) * 40, "无法识别"),
    "not a form zip": (lambda: _zip({"hello.txt": b"hi"}), "无法识别的文件格式"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_bad_file_is_refused_with_its_reason(case):
    make, words = CASES[case]
    name = "表.xlsm" if case == "xlsm by name" else "表"
    with pytest.raises(grid.Unreadable) as excinfo:
        grid.read(make(), name)
    assert words in str(excinfo.value)


def test_a_file_with_too_many_cells_is_refused_not_read_on():
    rows = "\n".join("\t".join(f"格{r}-{c}" for c in range(40)) for r in range(1_100))
    with pytest.raises(grid.Unreadable) as excinfo:
        grid.read(rows.encode(), "big.tsv")
    assert "内容过多" in str(excinfo.value)


def test_a_pdf_of_too_many_pages_is_refused():
    html = "".join(f'<p style="page-break-after: always">第{n}页</p>' for n in range(45))
    with pytest.raises(grid.Unreadable) as excinfo:
        grid.read(_pdf(html), "long.pdf")
    assert "超过 40 页" in str(excinfo.value)
