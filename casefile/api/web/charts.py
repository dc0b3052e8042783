"""Charts of the report pages, drawn on the server as SVG (no JavaScript): horizontal bars, one
per row, each with its label and its value written beside it, so that the chart reads without
colours and a screen reader gets the same figures from the `<title>` and the table below it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 720
LABEL_WIDTH = 290
"""Room for a label of `CLIP` characters at 12 px (about 7.2 px a character in DejaVu Sans):
at 250, « 30 novembre 2025 → 30 décembre 2025 » (DSO page) lost its first characters."""
BAR_WIDTH = 310
CHAR_PX = 7.2
CLIP = 38
ROW = 26
BAR = 18


@dataclass(frozen=True)
class Bar:
    label: str
    value: int  # any unit (cents, tenths of a percent…): only the proportions are drawn
    text: str  # the value as people read it ("4 080,00 €", "41,7 %")


def _clip(text: str, limit: int = CLIP) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(title: str, bars: Sequence[Bar], scale: int | None = None) -> Markup:
    """An SVG bar chart; `scale` is the value of a full bar (default: the largest value)."""
    top = max([scale or 0, *(b.value for b in bars), 1])
    height = ROW * max(len(bars), 1) + 8
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMinYMin meet">',
        f"<title>{escape(title)}</title>",
    ]
    if not bars:
        parts.append(f'<text x="0" y="18" class="chart-empty">{escape("Aucune donnée")}</text>')
    for i, bar in enumerate(bars):
        y = 4 + i * ROW
        length = round(BAR_WIDTH * max(bar.value, 0) / top)
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 14}" text-anchor="end" '
            f'class="chart-label">{escape(_clip(bar.label))}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR}" class="chart-bar">'
            f"<title>{escape(bar.label)} : {escape(bar.text)}</title></rect>"
            f'<text x="{LABEL_WIDTH + length + 6}" y="{y + 14}" '
            f'class="chart-value">{escape(bar.text)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
