"""PDF downloads, made outside the request.

The route renders the print HTML (milliseconds) and answers with the PDF made from exactly that
HTML; when there is none yet, the HTML is queued once for the scheduler process
(workflow/exports/documents.py) and the answer is a page saying 「正在生成 PDF…」 that asks
again every few seconds (an HTTP Refresh, no JavaScript needed) and starts the download once the
PDF is ready. So a web worker never spends seconds in WeasyPrint, and a PDF already made for this
version of the project is served at once."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import make_response, render_template, request, send_file, url_for

from web.services import db_session, now, services
from workflow.exports import documents
from workflow.exports.models import KINDS
from workflow.exports.pdf import FONT_CSS
from workflow.projects.models import Project

STATIC = Path(__file__).with_name("static")
REFRESH_SECONDS = 2  # how often the waiting page asks again
SLOW = 60  # seconds: after this the waiting page says the renderer may not be running


def stylesheets() -> str:
    """The CSS a PDF page inlines (it is rendered apart from the site, so CSP does not apply)."""
    return (
        "\n".join(
            (STATIC / name).read_text(encoding="utf-8") for name in ("style.css", "print.css")
        )
        + FONT_CSS
    )


@dataclass(frozen=True)
class Owner:
    """Whose PDF it is, as the waiting page names it: a project, or a monitoring round."""

    name: str
    back_url: str
    back_label: str
    project_id: int | None = None
    round_id: int | None = None

    @classmethod
    def of(cls, project: Project) -> Owner:
        return cls(project.name or "（未命名项目）",
                   url_for("projects.detail", project_id=project.id), "返回项目",
                   project_id=project.id)  # fmt: skip


def pdf_download(
    project: Project | Owner,
    kind: str,
    html: str,
    filename: str,
    *,
    job_html: Callable[[], str] | None = None,
    print_url: str | None = None,
):
    """The PDF of `html` as `filename` if it is made, else the waiting page (its job queued
    once). `job_html` gives the HTML to render when it differs from the one that names the
    version (the dossier stamps the time it is exported); `print_url` is offered if it fails."""
    owner = project if isinstance(project, Owner) else Owner.of(project)
    sha256 = documents.key_of(html)
    state = documents.find_document(db_session(), owner.project_id, kind, sha256,
                                    round_id=owner.round_id)  # fmt: skip
    if state is None:
        state = _queue(owner, kind, job_html() if job_html else html, sha256)
    if state is not None and state.status == "ready":
        if request.args.get("waiting"):  # the waiting page's last turn: say so, then download
            return _page(owner, kind, state, print_url, ready=True)
        content = documents.pdf_of(db_session(), state)
        if content is not None:
            return _send(content, filename)
    return _page(owner, kind, state, print_url)


def _queue(owner: Owner, kind: str, html: str, sha256: str):
    # A short write transaction of its own: the request's session stays a read session, so a
    # PDF already made is served without taking SQLite's write lock.
    with services().db.session(write=True) as session:
        state = documents.request_document(
            session, project_id=owner.project_id, round_id=owner.round_id, kind=kind,
            html=html, sha256=sha256, now=now(),
        )  # fmt: skip
        session.commit()
    return state


def _page(owner: Owner, kind: str, state, print_url: str | None, *, ready: bool = False):
    download_url = url_for(request.endpoint, **request.view_args)
    wait_url = url_for(request.endpoint, **request.view_args, waiting=1)
    waited = (now() - state.requested_at).total_seconds() if state else 0
    response = make_response(render_template(
        "pdf/waiting.html", owner=owner, title=KINDS[kind], state=state, ready=ready,
        download_url=download_url, wait_url=wait_url, print_url=print_url,
        max_attempts=documents.MAX_ATTEMPTS, refresh=REFRESH_SECONDS,
        waited_minutes=int(waited // 60) if waited >= SLOW else 0,
    ))  # fmt: skip
    if ready:  # the browser fetches the PDF at once; the page stays, saying it is ready
        response.headers["Refresh"] = f"0; url={download_url}"
    elif state is None or state.status == "pending":
        response.headers["Refresh"] = f"{REFRESH_SECONDS}; url={wait_url}"
    return response


def _send(content: bytes, filename: str):
    # Flask writes a non-ASCII name as RFC 5987 filename*=UTF-8''…, with an ASCII fallback.
    response = send_file(io.BytesIO(content), as_attachment=True, mimetype="application/pdf",
                         download_name=filename)  # fmt: skip
    response.headers["Cache-Control"] = "no-store"  # one unit's figures: keep them out of caches
    return response
