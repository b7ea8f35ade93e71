"""Rendering: GitHub-flavoured Markdown to sanitized HTML, adapted to the platform."""

import pytest

from elearn.content import render_inline, render_markdown
from elearn.content.sanitize import raw_html_problem


@pytest.mark.parametrize(
    ("lang", "kind", "title"),
    [
        ("lt", "NOTE", "Pastaba"),
        ("lt", "TIP", "Patarimas"),
        ("lt", "IMPORTANT", "Svarbu"),
        ("lt", "WARNING", "Įspėjimas"),
        ("lt", "CAUTION", "Atsargiai"),
        ("en", "NOTE", "Note"),
        ("en", "WARNING", "Warning"),
        ("de", "TIP", "Tip"),  # languages without titles of their own fall back to English
    ],
)
def test_alerts(lang: str, kind: str, title: str) -> None:
    html = render_markdown(f"> [!{kind}]\n> Be *careful*.\n", lang)
    assert html == (
        f'<div class="alert alert-{kind.lower()}" role="note">\n'
        f'<p class="alert-title">{title}</p>\n'
        "<p>Be <em>careful</em>.</p>\n"
        "</div>\n"
    )


def test_plain_blockquote_stays_a_blockquote() -> None:
    assert render_markdown("> [!NOTICE]\n> x\n", "en").startswith("<blockquote>")


def test_contacts_placeholder() -> None:
    assert render_markdown("```contacts\n```\n", "lt") == '<div data-contacts=""></div>\n'
    html = render_markdown("```contacts\nroles: police, child-rights\n```\n", "lt")
    assert html == '<div data-contacts="police,child-rights"></div>\n'


def test_contacts_placeholder_keeps_only_known_roles() -> None:
    html = render_markdown('```contacts\nroles: police, "><script>\n```\n', "lt")
    assert html == '<div data-contacts="police"></div>\n'


def test_quiz_block_is_not_rendered() -> None:
    assert render_markdown("Text.\n\n```quiz\n- q: x\n```\n", "en") == "<p>Text.</p>\n"


def test_code_fences_are_escaped_and_keep_their_language() -> None:
    html = render_markdown("```python\nprint('<b>')\n```\n", "en")
    assert html == ("<pre><code class=\"language-python\">print('&lt;b&gt;')\n</code></pre>\n")


def test_heading_anchors_on_h2_to_h4_only() -> None:
    html = render_markdown("## Įvadas\n\n### Kas? Kodėl!\n\n#### Čia\n\n##### Smulkiai\n", "lt")
    assert '<h2 id="įvadas">' in html
    assert '<h3 id="kas-kodėl">' in html
    assert '<h4 id="čia">' in html
    assert "<h5>Smulkiai</h5>" in html


@pytest.mark.parametrize(
    ("markdown", "href"),
    [
        ("[next](02-indicators.en.md)", '<a href="indicators">'),
        ("[next](./02-indicators.lt.md#signs)", '<a href="indicators#signs">'),
        ("[next](02-indicators.md)", '<a href="indicators">'),
        ("[flow](media/flow.pdf)", '<a href="media/flow.pdf">'),
        ("[top](#top)", '<a href="#top">'),
        ("[mail](mailto:help@example.org)", '<a href="mailto:help@example.org">'),
        ("[site](https://example.org)", '<a href="https://example.org" rel="noopener noreferrer">'),
        ("<http://example.org>", '<a href="http://example.org" rel="noopener noreferrer">'),
    ],
)
def test_links(markdown: str, href: str) -> None:
    assert href in render_markdown(markdown, "en")


def test_javascript_links_are_never_links() -> None:
    html = render_markdown("[x](javascript:alert(1)) <a href='javascript:alert(1)'>y</a>", "en")
    assert "href" not in html


def test_raw_html_outside_the_allowlist_is_removed() -> None:
    html = render_markdown(
        '<script>alert(1)</script>\n\nPress <kbd onclick="x">Enter</kbd> <span>or</span> '
        "<img src=x onerror=alert(1)>.\n",
        "en",
    )
    # The checker refuses all of this; the renderer alone still keeps only what is safe.
    assert html.strip() == '<p>Press <kbd>Enter</kbd> or <img src="x">.</p>'


def test_raw_html_inside_the_allowlist_is_kept() -> None:
    text = "<details open>\n<summary>More</summary>\n\nH<sub>2</sub>O\n\n</details>\n"
    html = render_markdown(text, "en")
    assert html == '<details open="">\n<summary>More</summary>\n<p>H<sub>2</sub>O</p>\n</details>\n'


def test_render_inline_has_no_paragraph() -> None:
    assert render_inline("Is it **true**? See [law](https://e-tar.lt)", "lt") == (
        'Is it <strong>true</strong>? See <a href="https://e-tar.lt" '
        'rel="noopener noreferrer">law</a>'
    )
    assert render_inline("<script>x</script>y", "en") == "y"


def test_inline_is_inline_even_for_block_syntax() -> None:
    assert render_inline("# Not a heading", "en") == "# Not a heading"


@pytest.mark.parametrize(
    "fragment",
    ["<kbd>", "</kbd>", "<br>", "<br/>", "<details open>", '<abbr title="x">', "<!-- note -->"],
)
def test_raw_html_accepted(fragment: str) -> None:
    assert raw_html_problem(fragment) is None


@pytest.mark.parametrize(
    ("fragment", "problem"),
    [
        ("<span>", "raw HTML <span> is not allowed and would be removed: use Markdown instead"),
        (
            "<iframe src=x>",
            "raw HTML <iframe> is not allowed and would be removed: use Markdown instead",
        ),
        ('<b style="x">', "raw HTML attribute 'style' on <b> is not allowed and would be removed"),
        ("<img src=x>", "raw HTML <img> is not allowed: use Markdown, ![alt text](media/file.png)"),
        ('<a href="x">', "raw HTML <a> is not allowed: use a Markdown link, [text](address)"),
    ],
)
def test_raw_html_refused(fragment: str, problem: str) -> None:
    assert raw_html_problem(fragment) == problem
