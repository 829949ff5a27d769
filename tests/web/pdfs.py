"""Downloading a PDF as a person does now: the link answers 「正在生成 PDF…」 and asks again; the
scheduler's renderer makes it; the next ask gets the file."""

from __future__ import annotations

from tests.web.conftest import text_of
from workflow.exports.documents import render_pending


def waiting(response) -> str:
    """The waiting page's text, after checking it is one that asks again by itself."""
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = text_of(response)
    assert "正在生成 PDF…" in page, page
    assert response.headers["Refresh"].startswith("2; url=/projects/")
    return page


def fetch_pdf(b, url: str, db, clock):
    """The PDF at `url`: first the waiting page, then the renderer (the function the scheduler
    job runs), then the file."""
    waiting(b.get(url))
    render_pending(db, clock)
    response = b.get(url)
    assert response.status_code == 200 and response.mimetype == "application/pdf", text_of(response)
    return response
