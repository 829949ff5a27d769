"""HTML as PDF with WeasyPrint: the renderer the scheduler process runs (never a web request).

The HTML comes whole, its CSS inlined by the web layer, so nothing here reads web/'s files.

WeasyPrint cannot be interrupted from inside (its layout is long runs of Python and C with no
place to stop), and its time grows with text length and table size: so a render runs in a child
process of its own, `python -m workflow.exports.pdf`, which is killed when the time limit runs
out. The child stays between renders: starting one (an interpreter importing WeasyPrint and
loading the fonts) costs about 0.5 s, against 0.04 s for a small page once it runs. A fresh
interpreter rather than a fork: the scheduler has threads and database connections a forked
child would inherit in whatever state they were; and rather than multiprocessing's spawn, which
would import the parent's main module (the whole command line: 0.4 s and 40 MB more)."""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import select
import signal
import struct
import subprocess
import sys
import threading
from pathlib import Path
from typing import BinaryIO

log = logging.getLogger(__name__)

# WeasyPrint drops glyphs silently when no CJK font is in the stack: name Noto CJK explicitly.
# The web layer appends this to the CSS it inlines into every PDF page.
FONT_CSS = (
    'body, table, th, td { font-family: "Noto Sans CJK SC", "Noto Serif CJK SC", sans-serif; }'
)
RENDER_SECONDS = 120  # the time limit of one PDF unless configured (RENDER_SECONDS)
START_SECONDS = 60  # a child not ready after this is taken for broken
# A child whose parent died cannot be stopped by it: it stops itself this long after the limit.
OWN_ALARM_GRACE = 30
_WARM_UP = f"<html><head><style>{FONT_CSS}</style></head><body><p>预热 PDF</p></body></html>"
_ROOT = Path(__file__).resolve().parents[2]  # where the child finds the workflow package
# Frames on the pipes: a kind byte and a length, then the bytes. To the child: the HTML (H);
# from it: ready (R), the PDF (P), or the type of what WeasyPrint raised (E).
_HEADER = struct.Struct(">cQ")


class RenderTimeout(Exception):
    """The render outlasted the time limit and was stopped."""

    def __init__(self, seconds: int) -> None:
        super().__init__(f"render stopped after {seconds} s")
        self.seconds = seconds


class RendererDied(Exception):
    """The child ended without an answer: killed by the system (memory), or crashed."""


class LayoutError(Exception):
    """WeasyPrint raised in the child; `name` is the type of what it raised."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def html_to_pdf(html: str) -> bytes:
    """A self-contained HTML page (inline CSS, no external resources) as PDF bytes, in this
    process and without a time limit: use a PdfRenderer, which bounds it."""
    from weasyprint import HTML  # imported on use: it loads Pango, which only the renderer needs

    return HTML(string=html).write_pdf()


class PdfRenderer:
    """Makes PDFs in a child process, one at a time, each within `seconds`: a render that
    outlasts it raises RenderTimeout, its child killed (the CPU is free again at once) and the
    next render starting a new one. Callable like html_to_pdf; safe to share between threads
    (they take turns)."""

    def __init__(self, seconds: int = RENDER_SECONDS, *, niceness: int = 0) -> None:
        self.seconds, self.niceness = seconds, niceness
        self._lock = threading.Lock()
        self._child: subprocess.Popen | None = None
        atexit.register(self.close)

    @property
    def pid(self) -> int | None:
        """The child's process id while one runs."""
        return self._child.pid if self._child is not None else None

    def start(self) -> None:
        """Start the child now (else the first render does): it imports WeasyPrint and loads
        the fonts before it says it is ready, so that a render's time is the layout's alone."""
        with self._lock:
            self._running()

    def __call__(self, html: str) -> bytes:
        with self._lock:
            child = self._running()
            try:
                _write(child.stdin, b"H", html.encode("utf-8"))
                if not _readable(child.stdout, self.seconds):
                    self._stop()
                    raise RenderTimeout(self.seconds)
                kind, payload = _read(child.stdout)
            except (EOFError, OSError) as exc:  # the child went away
                code = self._stop()
                raise RendererDied(f"exit code {code}") from exc
        if kind == b"E":
            name = payload.decode()
            raise MemoryError if name == "MemoryError" else LayoutError(name)
        return payload

    def close(self) -> None:
        """Stop the child (also done when this process exits)."""
        with self._lock:
            self._stop()

    def _running(self) -> subprocess.Popen:
        if self._child is not None and self._child.poll() is None:
            return self._child
        self._stop()  # one that died between renders
        own_alarm = self.seconds + OWN_ALARM_GRACE
        path = os.pathsep.join(p for p in (str(_ROOT), os.environ.get("PYTHONPATH")) if p)
        self._child = subprocess.Popen(
            [sys.executable, "-m", "workflow.exports.pdf", str(self.niceness), str(own_alarm)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0,
            env={**os.environ, "PYTHONPATH": path},
        )  # fmt: skip
        try:
            if not _readable(self._child.stdout, START_SECONDS):
                raise EOFError
            if _read(self._child.stdout)[0] != b"R":
                raise EOFError
        except (EOFError, OSError) as exc:
            code = self._stop()
            raise RendererDied(f"did not start (exit code {code})") from exc
        return self._child

    def _stop(self) -> int | None:
        """Kill the child (if any) and wait for it, so that no process is left."""
        child, self._child = self._child, None
        if child is None:
            return None
        if child.poll() is None:
            child.kill()
        code = child.wait()
        for pipe in (child.stdin, child.stdout):
            with contextlib.suppress(OSError):
                pipe.close()
        return code


def _readable(pipe: BinaryIO, seconds: float) -> bool:
    """Whether the child wrote (or ended) within `seconds`."""
    ready, _, _ = select.select([pipe], [], [], seconds)
    return bool(ready)


def _write(pipe: BinaryIO, kind: bytes, payload: bytes) -> None:
    data = memoryview(_HEADER.pack(kind, len(payload)) + payload)
    while data:  # an unbuffered pipe may take part of it at a time
        data = data[pipe.write(data) :]


def _read(pipe: BinaryIO) -> tuple[bytes, bytes]:
    kind, length = _HEADER.unpack(_exactly(pipe, _HEADER.size))
    return kind, _exactly(pipe, length)


def _exactly(pipe: BinaryIO, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = pipe.read(left)
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _serve(niceness: int, own_alarm: int) -> None:
    """The child: render each HTML it is sent, answer with the PDF or the error's type."""
    answers = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)  # anything a library prints goes to stderr, never into the answers
    requests = sys.stdin.buffer
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C of the scheduler: the parent decides
    if niceness:
        with contextlib.suppress(OSError):  # not permitted: the parent's value stays
            os.nice(max(0, niceness - os.nice(0)))
    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # a dozen lines per PDF otherwise
    HTML(string=_WARM_UP).write_pdf()  # fonts loaded before the first timed render
    _write(answers, b"R", b"")
    while True:
        try:
            _, html = _read(requests)
        except EOFError:  # the parent is gone, or done
            return
        _alarm(own_alarm)  # SIGALRM's default action ends the process, even inside C
        try:
            answer = (b"P", HTML(string=html.decode("utf-8")).write_pdf())
        except Exception as exc:  # any fault of the layout: the parent records it
            answer = (b"E", type(exc).__name__.encode())
        _alarm(0)
        _write(answers, *answer)


def _alarm(seconds: int) -> None:
    if hasattr(signal, "alarm"):  # not on Windows
        signal.alarm(seconds)


if __name__ == "__main__":
    _serve(int(sys.argv[1]), int(sys.argv[2]))
