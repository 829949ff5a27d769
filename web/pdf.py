"""HTML pages as PDF (WeasyPrint), with the CJK font named so Chinese renders as text."""

from __future__ import annotations

from pathlib import Path

STATIC = Path(__file__).with_name("static")
# WeasyPrint drops glyphs silently when no CJK font is in the stack: name Noto CJK explicitly.
FONT_CSS = (
    'body, table, th, td { font-family: "Noto Sans CJK SC", "Noto Serif CJK SC", sans-serif; }'
)


def stylesheets() -> str:
    """The CSS a PDF page inlines (it is rendered here, not served, so CSP does not apply)."""
    return (
        "\n".join(
            (STATIC / name).read_text(encoding="utf-8") for name in ("style.css", "print.css")
        )
        + FONT_CSS
    )


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported on use: it loads Pango, which only PDF pages need

    return HTML(string=html, base_url=str(STATIC)).write_pdf()
