"""The report charts leave each label its room (the DSO page cut « 30 novembre 2025 → … »)."""

from __future__ import annotations

from casefile.api.web.charts import (
    BAR_WIDTH,
    CHAR_PX,
    CLIP,
    LABEL_WIDTH,
    WIDTH,
    Bar,
    bar_chart,
)


def test_the_longest_label_and_value_fit_in_the_chart() -> None:
    label = "30 novembre 2025 → 30 décembre 2025"
    assert len(label) * CHAR_PX <= LABEL_WIDTH - 8
    assert CLIP * CHAR_PX <= LABEL_WIDTH - 8
    value = "9 999 999,99 €"  # a portfolio total
    assert LABEL_WIDTH + BAR_WIDTH + 6 + len(value) * CHAR_PX <= WIDTH
    svg = str(bar_chart("DSO", [Bar(label, 100, "67 992,10 €")]))
    assert f">{label}</text>" in svg
