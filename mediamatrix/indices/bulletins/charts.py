"""The bulletin's charts as PNG images for the Word document (matplotlib, Agg, no display).

Chinese labels need a CJK font; the first installed one from a list of common families is used.
Without one the charts still render, with numbered rather than named labels, and a warning is
logged: a missing font never fails a bulletin.
"""

import io
import logging
from functools import cache
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager, rc_context
from matplotlib.figure import Figure

logger = logging.getLogger(__name__)

CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
)
COLOUR = "#c62828"
SECOND = "#0b5cad"
DPI = 150


@cache
def cjk_font() -> str | None:
    """The first installed CJK font family, or None (logged once)."""
    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in installed:
            return family
    others = sorted(name for name in installed if "CJK" in name)
    if others:
        return others[0]
    logger.warning("no CJK font installed: bulletin charts use numbered labels")
    return None


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    # No software or date metadata: the same data makes the same image.
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def _style() -> Any:  # matplotlib types rcParams keys as literals
    font = cjk_font()
    families = [font, "DejaVu Sans"] if font else ["DejaVu Sans"]
    return {"font.family": families, "axes.unicode_minus": False}


def _text(chinese: str, latin: str) -> str:
    return chinese if cjk_font() else latin


def unit_ranking_png(units: list[dict[str, Any]]) -> bytes | None:
    """Horizontal bars of the children's composite index, best on top; None without units."""
    if not units:
        return None
    rows = list(reversed(units))
    with rc_context(_style()):
        figure = Figure(figsize=(7.5, max(2.5, 0.45 * len(rows) + 1.2)))
        axes = figure.add_subplot()
        positions = range(len(rows))
        values = [row["composite"] or 0 for row in rows]
        bars = axes.barh(positions, values, color=COLOUR)
        names = [row["name"] if cjk_font() else str(row["rank"]) for row in rows]
        axes.set_yticks(positions, names)
        axes.bar_label(bars, labels=[f"{v:.2f}" for v in values], padding=3, fontsize=8)
        axes.set_xlabel(_text("综合指数", "composite index"))
        axes.set_title(_text("下级单位综合指数排名", "Units by composite index"))
        axes.margins(x=0.12, y=0.01)
        figure.tight_layout()
        return _png(figure)


def distribution_png(distribution: dict[str, Any]) -> bytes:
    """A histogram of the accounts' four-forces totals in 10-point buckets."""
    buckets = distribution["buckets"]
    with rc_context(_style()):
        figure = Figure(figsize=(7.5, 3.4))
        axes = figure.add_subplot()
        positions = range(len(buckets))
        bars = axes.bar(positions, [bucket["count"] for bucket in buckets], color=SECOND)
        axes.set_xticks(positions, [bucket["label"].replace("–", "-") for bucket in buckets])
        axes.bar_label(bars, padding=2, fontsize=8)
        axes.set_xlabel(_text("四力总分", "four-forces total"))
        axes.set_ylabel(_text("账号数", "accounts"))
        axes.set_title(_text("账号得分分布", "Distribution of accounts"))
        axes.tick_params(axis="x", labelsize=8)
        figure.tight_layout()
        return _png(figure)


def trend_png(trend: list[dict[str, Any]]) -> bytes | None:
    """The scope's mean and median over recent periods; None with fewer than two points."""
    if len(trend) < 2:
        return None
    with rc_context(_style()):
        figure = Figure(figsize=(7.5, 3.2))
        axes = figure.add_subplot()
        positions = range(len(trend))
        mean, middle = _text("均值", "mean"), _text("中位数", "median")
        axes.plot(positions, [p["mean"] for p in trend], marker="o", color=COLOUR, label=mean)
        axes.plot(positions, [p["median"] for p in trend], marker="s", color=SECOND, label=middle)
        axes.set_xticks(positions, [point["key"].split(":", 1)[1] for point in trend])
        axes.set_ylim(0, 100)  # the total's full scale, as on the web page: no exaggerated slopes
        axes.set_ylabel(_text("四力总分", "four-forces total"))
        axes.set_title(_text("近期走势", "Recent periods"))
        axes.legend()
        axes.tick_params(axis="x", labelsize=8)
        figure.tight_layout()
        return _png(figure)
