"""PNG charts of zone figures: a pure function from labelled numbers to image bytes.

matplotlib runs headless (Agg) with the Noto Sans CJK font shipped in the noto_cjk_sans_otc
package registered, so Chinese labels render as glyphs, not boxes. matplotlib is imported on
the first chart, not with this module: it costs start-up time and memory most runs never need.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from functools import cache

CJK_FAMILY = "Noto Sans CJK SC"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str  # the value as staff write it (22个), printed at the end of the bar


@dataclass(frozen=True)
class BarChart:
    title: str
    subtitle: str  # period and source
    footer: str  # the sum check
    bars: tuple[Bar, ...]


def font_path() -> str:
    """The CJK font file inside the noto_cjk_sans_otc package."""
    import noto_cjk_sans_otc

    return os.path.join(os.path.dirname(noto_cjk_sans_otc.__file__), "NotoSansCJK-Regular.ttc")


@cache
def register_font() -> str:
    """Add the CJK font to matplotlib once; return the family name to ask for."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager

    font_manager.fontManager.addfont(font_path())
    return CJK_FAMILY


def render_bars(chart: BarChart) -> bytes:
    """A horizontal bar chart as PNG bytes, largest bar on top."""
    family = register_font()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    bars = sorted(chart.bars, key=lambda b: b.value)
    height = max(3.0, 1.2 + 0.45 * len(bars))
    figure = Figure(figsize=(8.0, height + 1.0), dpi=110)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot(1, 1, 1)
    labels = [_wrap(b.label) for b in bars]
    values = [b.value for b in bars]
    drawn = axes.barh(range(len(bars)), values, color="#3b6fb6")
    axes.set_yticks(range(len(bars)), labels, fontfamily=family, fontsize=10)
    top = max(values, default=0) or 1
    axes.set_xlim(0, top * 1.18)
    for rect, bar in zip(drawn, bars, strict=True):
        axes.text(
            rect.get_width() + top * 0.01,
            rect.get_y() + rect.get_height() / 2,
            bar.shown,
            va="center",
            fontfamily=family,
            fontsize=10,
        )
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(axis="x", labelsize=9)
    figure.suptitle(chart.title, fontfamily=family, fontsize=13)
    axes.set_title(chart.subtitle, fontfamily=family, fontsize=9, color="#555555")
    figure.text(0.01, 0.01, chart.footer, fontfamily=family, fontsize=9, color="#333333")
    figure.tight_layout(rect=(0, 0.05, 1, 0.97))
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _wrap(label: str, width: int = 14) -> str:
    """Long Chinese labels on two lines so the axis stays readable."""
    if len(label) <= width:
        return label
    return label[:width] + "\n" + label[width : width * 2]
