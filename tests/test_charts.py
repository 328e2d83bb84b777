"""The chart renderer: PNG bytes, and Chinese labels drawn with the CJK font, not boxes."""

from __future__ import annotations

import warnings

import pytest
from matplotlib import font_manager

from bot.core.charts import (
    CJK_FAMILY,
    PNG_SIGNATURE,
    Bar,
    BarChart,
    font_path,
    register_font,
    render_bars,
)

KUNSHAN = BarChart(
    title="昆山高新区 · 招引科技项目 159个（1—5月）按领域",
    subtitle="时期：1—5月 · 来源：报纸版面文章《昆山高新区 抓好科技招商关键一招》",
    footer="各项合计 159个，与总数一致",
    bars=(
        Bar("新一代信息技术领域项目", 22, "22个"),
        Bar("装备制造领域项目", 27, "27个"),
        Bar("新材料领域项目", 24, "24个"),
        Bar("新能源领域项目", 18, "18个"),
        Bar("生命健康（医美）领域项目", 11, "11个"),
        Bar("新兴数字产业领域项目", 20, "20个"),
        Bar("软件与信息服务等其他领域项目", 37, "37个"),
    ),
)


def test_render_returns_png_bytes() -> None:
    png = render_bars(KUNSHAN)
    assert png.startswith(PNG_SIGNATURE)
    assert len(png) > 5000


def test_chinese_text_uses_the_noto_cjk_font() -> None:
    family = register_font()
    assert family == CJK_FAMILY
    found = font_manager.findfont(
        font_manager.FontProperties(family=family), fallback_to_default=False
    )
    assert found == font_path()


def test_rendering_chinese_emits_no_missing_glyph_warning() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        render_bars(KUNSHAN)
    missing = [str(w.message) for w in caught if "missing" in str(w.message).lower()]
    assert not missing, missing


def test_a_font_without_cjk_would_warn(recwarn: pytest.WarningsRecorder) -> None:
    """The check above can fail: DejaVu Sans has no Chinese glyphs and says so."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure()
    FigureCanvasAgg(figure)
    figure.text(0.1, 0.5, "昆山", fontfamily="DejaVu Sans")
    figure.canvas.draw()
    assert any("missing" in str(w.message).lower() for w in recwarn.list)


def test_empty_and_single_bar_charts_render() -> None:
    assert render_bars(BarChart("t", "s", "f", ())).startswith(PNG_SIGNATURE)
    one = BarChart(
        "标题", "副标题", "合计", (Bar("很长很长很长很长很长很长很长很长的标签", 1, "1个"),)
    )
    assert render_bars(one).startswith(PNG_SIGNATURE)
