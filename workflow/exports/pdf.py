"""HTML as PDF with WeasyPrint: the renderer the scheduler process runs (never a web request).

The HTML comes whole, its CSS inlined by the web layer, so nothing here reads web/'s files."""

from __future__ import annotations

# WeasyPrint drops glyphs silently when no CJK font is in the stack: name Noto CJK explicitly.
# The web layer appends this to the CSS it inlines into every PDF page.
FONT_CSS = (
    'body, table, th, td { font-family: "Noto Sans CJK SC", "Noto Serif CJK SC", sans-serif; }'
)


def html_to_pdf(html: str) -> bytes:
    """A self-contained HTML page (inline CSS, no external resources) as PDF bytes."""
    from weasyprint import HTML  # imported on use: it loads Pango, which only the renderer needs

    return HTML(string=html).write_pdf()
