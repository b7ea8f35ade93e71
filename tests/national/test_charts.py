"""Server-drawn SVG bar charts."""

from elearn.national.charts import Bar, bar_chart


def test_bars_are_scaled_escaped_and_described():
    svg = str(bar_chart(
        [Bar("<b>Vilnius</b>", 0.5, "50 %"), Bar("A very long municipality name indeed "
                                                 "that goes on", 1.4, "140 %")],
        title='Rates & "shares"', description="Desc", chart_id="c", described_by="t",
    ))
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart" id="c" '
                          'role="img"')
    assert 'aria-labelledby="c-title" aria-describedby="c-desc t"' in svg
    assert "<title id=\"c-title\">Rates &amp; &#34;shares&#34;</title>" in svg
    assert "&lt;b&gt;Vilnius&lt;/b&gt;" in svg and "<b>" not in svg
    assert 'width="250.0"' in svg and 'width="500.0"' in svg  # half, and capped at full
    assert 'font-size="16"' in svg and 'font-size="1' + '3"' not in svg  # body-sized labels
    assert "…" in svg  # long labels are shortened; the table has them whole


def test_an_empty_chart_is_still_valid():
    svg = str(bar_chart([], title="T", description="D", chart_id="e"))
    assert svg.endswith("</svg>") and 'aria-describedby="e-desc"' in svg
