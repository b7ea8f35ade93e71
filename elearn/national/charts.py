"""Bar charts drawn on the server as SVG: no JavaScript, printable, and readable by
screen readers through their title, description and the table they point to."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

# In user units that the stylesheet scales to the page's width (60rem less padding), so a
# font size of 16 is the body text's size on a computer screen; a narrow screen scrolls
# the chart inside its own region rather than shrinking the labels below legibility.
ROW_HEIGHT = 30
BAR_HEIGHT = 20
LABEL_WIDTH = 330
BAR_WIDTH = 500
VALUE_WIDTH = 90
TOP = 30  # room for the axis labels
FONT_SIZE = 16
LABEL_CHARS = 36  # the longest municipality name fits


@dataclass(frozen=True)
class Bar:
    label: str
    value: float  # 0..1, the share of the axis the bar covers
    text: str  # the figure written after the bar, e.g. "45 % (9 of 20)"


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def bar_chart(bars: list[Bar], *, title: str, description: str, chart_id: str,
              described_by: str = "", axis_labels: tuple[str, str, str] = ("0", "50", "100"),
              ) -> Markup:
    """A horizontal bar chart; described_by names the id of the table with the same figures."""
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    height = TOP + ROW_HEIGHT * max(len(bars), 1) + 4
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    describedby = " ".join(x for x in (desc_id, described_by) if x)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart" id="{escape(chart_id)}" '
        f'role="img" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{escape(title_id)}" aria-describedby="{escape(describedby)}">',
        f'<title id="{escape(title_id)}">{escape(title)}</title>',
        f'<desc id="{escape(desc_id)}">{escape(description)}</desc>',
    ]
    for fraction, text in zip((0.0, 0.5, 1.0), axis_labels, strict=True):
        x = LABEL_WIDTH + fraction * BAR_WIDTH
        anchor = ("start", "middle", "end")[int(fraction * 2)]
        parts.append(f'<line class="chart-grid" x1="{x:.1f}" y1="{TOP - 6}" x2="{x:.1f}" '
                     f'y2="{height - 4}" stroke="#767676" stroke-width="1"/>')
        parts.append(f'<text class="chart-axis" x="{x:.1f}" y="{TOP - 10}" '
                     f'text-anchor="{anchor}" font-size="{FONT_SIZE}">{escape(text)}</text>')
    for index, bar in enumerate(bars):
        y = TOP + index * ROW_HEIGHT
        length = max(0.0, min(1.0, bar.value)) * BAR_WIDTH
        middle = y + ROW_HEIGHT / 2 + 5
        top = y + (ROW_HEIGHT - BAR_HEIGHT) / 2
        parts.append(
            f'<g class="chart-row"><text x="{LABEL_WIDTH - 8}" y="{middle:.1f}" '
            f'text-anchor="end" font-size="{FONT_SIZE}">{escape(_short(bar.label))}</text>'
            f'<rect class="chart-bar" x="{LABEL_WIDTH}" y="{top:.1f}" '
            f'width="{length:.1f}" height="{BAR_HEIGHT}" fill="#1d4e89"/>'
            f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{middle:.1f}" font-size="{FONT_SIZE}">'
            f"{escape(bar.text)}</text></g>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (every text above went through escape())
