"""The dashboard's charts as SVG, drawn on the server by matplotlib: Chinese labels, no network
and no script, the same drawing on the page and in the PDF. Text stays text in the SVG
(svg.fonttype none), set in the Noto CJK fonts scripts/system-deps installs."""

from __future__ import annotations

import base64
import io
import threading
from decimal import Decimal

import matplotlib

matplotlib.use("svg")
from matplotlib import pyplot as plt  # noqa: E402 - after the backend is chosen

plt.rcParams.update({
    "svg.fonttype": "none",  # text as text: searchable, and sharp at any size
    "svg.hashsalt": "jixiao",  # the same ids every time: the same figures, the same file
    "font.family": ["Noto Sans CJK SC", "Noto Sans CJK JP", "DejaVu Sans"],
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
})  # fmt: skip
COLORS = {"red": "#dc2626", "yellow": "#f59e0b", "green": "#16a34a", "blue": "#2563eb",
          "none": "#9ca3af"}  # fmt: skip
MOST_UNITS = 25  # a chart of more units would not be read; the table below lists them all
_lock = threading.Lock()  # pyplot keeps state per process: one drawing at a time


def data_uri(svg: str) -> str:
    """The drawing as an image address: an <img> shows it whole under the pages' CSP (which
    refuses the inline styles an SVG put into the page itself would need)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _svg(fig) -> str:
    out = io.StringIO()
    fig.savefig(out, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    text = out.getvalue()
    return text[text.index("<svg") :]  # the markup to put in a page, without the XML prologue


def lights_chart(rows, labels: dict[str, str]) -> str:
    """The 监控表 sent to finance, by light: a bar each, its count written on it."""
    with _lock:
        fig, ax = plt.subplots(figsize=(5.6, 2.6))
        names = [labels[r.light] for r in rows]
        bars = ax.bar(names, [r.count for r in rows], color=[COLORS[r.light] for r in rows])
        ax.bar_label(bars, labels=[str(r.count) for r in rows], padding=2)
        ax.set_ylabel("监控表（份）")
        ax.set_ylim(0, max([r.count for r in rows] + [1]) * 1.25)
        ax.yaxis.get_major_locator().set_params(integer=True)
        return _svg(fig)


def execution_chart(units, share: Decimal | None) -> str:
    """Each unit's 执行率 (its tables sent to finance) against the time elapsed at the cut-off,
    the largest budgets first."""
    shown = [u for u in units if u.rate is not None][:MOST_UNITS]
    with _lock:
        fig, ax = plt.subplots(figsize=(7.2, 0.45 * max(len(shown), 2) + 1))
        names = [u.name if len(u.name) <= 14 else u.name[:13] + "…" for u in shown]
        rates = [float(u.rate) for u in shown]
        below = [share is not None and r < float(share) * 0.6 for r in rates]
        ax.barh(names, rates, color=["#dc2626" if b else "#2563eb" for b in below])
        ax.invert_yaxis()
        if share is not None:
            ax.axvline(float(share), color="#111827", linestyle="--", linewidth=1)
            ax.text(float(share), -0.7, f"时间进度 {float(share):.1f}%", ha="center", fontsize=9)
        ax.set_xlabel("预算执行率（%）")
        ax.set_xlim(0, max(rates + [float(share or 0), 10]) * 1.15)
        return _svg(fig)


GRADE_COLORS = ("#16a34a", "#2563eb", "#f59e0b", "#dc2626")  # 优 良 中 差; further grades grey


def grades_chart(rows) -> str:
    """The year's signed 自评表 by grade: a bar each, its count written on it."""
    with _lock:
        fig, ax = plt.subplots(figsize=(5.6, 2.6))
        colors = [GRADE_COLORS[i] if i < len(GRADE_COLORS) else "#9ca3af" for i in range(len(rows))]
        bars = ax.bar([r.grade for r in rows], [r.count for r in rows], color=colors)
        ax.bar_label(bars, labels=[str(r.count) for r in rows], padding=2)
        ax.set_ylabel("自评表（份）")
        ax.set_ylim(0, max([r.count for r in rows] + [1]) * 1.25)
        ax.yaxis.get_major_locator().set_params(integer=True)
        return _svg(fig)
