"""GitHub-flavoured Markdown to sanitized HTML, as GitHub's preview shows it to authors.

markdown-it-py with mdit-py-plugins' GFM bundle (tables, strikethrough, autolinks, task
lists, alerts, footnotes) and heading anchors; the few rules below only adapt its output
to the platform: alert titles in the course language, links between module files, the
contacts placeholder, and CSP-friendly table alignment.
"""

import re
from collections.abc import Sequence
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.gfm import gfm_plugin
from mdit_py_plugins.wordcount import wordcount_plugin

from .rules import (
    ALERT_TITLES,
    CONTACT_ROLES,
    FALLBACK_LANGUAGE,
    MODULE_FILE_RE,
    WORDS_PER_MINUTE,
)
from .sanitize import sanitize

MODULE_LINK_RE = re.compile(rf"(?:\./)?{MODULE_FILE_RE.pattern}(?P<fragment>#.*)?")
_ROLES_LINE_RE = re.compile(r"roles\s*:(?P<roles>.*)")
_ALIGN_RE = re.compile(r"text-align:\s*(left|center|right)")
# Words, spaces and punctuation that no Markdown or autolink rule reacts to.
_PLAIN_TEXT_RE = re.compile(
    r"(?:[^\W_]|[ ,.;:?'\"()%+/\u2013\u2014\u201e\u201c\u201d\u2018\u2019-])+"
)


def block_name(token: Token) -> str:
    """The language word of a fenced block's info string (```quiz → "quiz")."""
    return token.info.split(maxsplit=1)[0] if token.info.strip() else ""


def contact_roles(content: str) -> tuple[list[str], list[tuple[int, str]]]:
    """The roles of a contacts block, and its problems as (0-based line, message)."""
    roles: list[str] = []
    problems: list[tuple[int, str]] = []
    seen_roles_line = False
    for index, line in enumerate(content.split("\n")):
        if not line.strip():
            continue
        match = _ROLES_LINE_RE.fullmatch(line.strip())
        if match is None or seen_roles_line:
            problems.append(
                (index, "a contacts block holds nothing or one line 'roles: police, ngo'")
            )
            continue
        seen_roles_line = True
        for role in (part.strip() for part in match["roles"].split(",")):
            if not role:
                continue  # "roles:" alone, or a trailing comma
            if role in CONTACT_ROLES:
                roles.append(role)
            else:
                problems.append(
                    (index, f"unknown contacts role '{role}': use {', '.join(CONTACT_ROLES)}")
                )
    return roles, problems


def _localize_alerts(state: StateCore) -> None:
    titles = ALERT_TITLES.get(state.env.get("lang", ""), ALERT_TITLES[FALLBACK_LANGUAGE])
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "alert_open":
            continue
        kind = token.meta["kind"]
        token.attrs = {"class": f"alert alert-{kind.lower()}", "role": "note"}
        tokens[index + 1].attrs = {"class": "alert-title"}
        tokens[index + 2].children = [Token("text", "", 0, content=titles[kind])]


def _render_link_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """Module files become module ids, as lessons live at /learn/<course>/<module>.

    Done when rendering, so the checks still see the address the author wrote.
    """
    token = tokens[idx]
    href = str(token.attrGet("href") or "")
    attrs = dict(token.attrs)
    if match := MODULE_LINK_RE.fullmatch(href):
        attrs["href"] = match["id"] + (match["fragment"] or "")
    elif href.startswith(("http://", "https://")):
        attrs["rel"] = "noopener noreferrer"
    rendered = Token("link_open", "a", 1, attrs=attrs)
    return self.renderToken([rendered], 0, options, env)


def _alignment_classes(state: StateCore) -> None:
    """Table alignment as classes: the Content-Security-Policy blocks style attributes."""
    for token in state.tokens:
        if token.type in ("th_open", "td_open") and (style := token.attrGet("style")):
            token.attrs.pop("style")
            if match := _ALIGN_RE.search(str(style)):
                token.attrSet("class", f"align-{match[1]}")


def _render_fence(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    name = block_name(tokens[idx])
    if name == "quiz":
        return ""  # questions are stored apart from the lesson text
    if name == "contacts":
        roles, _ = contact_roles(tokens[idx].content)
        return f'<div data-contacts="{",".join(roles)}"></div>\n'
    return RendererHTML.fence(self, tokens, idx, options, env)


@cache
def parser(front_matter: bool = False) -> MarkdownIt:
    """The configured Markdown parser; with ``front_matter`` it reads whole module files."""
    md = MarkdownIt("commonmark", {"html": True})
    md.use(gfm_plugin, front_matter=front_matter)
    md.use(anchors_plugin, min_level=2, max_level=4)
    md.use(wordcount_plugin, per_minute=WORDS_PER_MINUTE)
    md.core.ruler.push("elearn_alerts", _localize_alerts)
    md.core.ruler.push("elearn_alignment", _alignment_classes)
    md.add_render_rule("fence", _render_fence)
    md.add_render_rule("link_open", _render_link_open)
    return md


def render_tokens(tokens: Sequence[Token], env: EnvType, front_matter: bool = False) -> str:
    """Sanitized HTML for tokens already parsed (and checked) with ``parser()``."""
    md = parser(front_matter)
    # Dropped rather than rendered as nothing: a hidden token before the first
    # paragraph would make the renderer start the page with a blank line.
    body = [token for token in tokens if token.type != "front_matter"]
    return sanitize(md.renderer.render(body, md.options, env))


def render_markdown(text: str, lang: str) -> str:
    """A lesson body (no front matter) as sanitized HTML."""
    env: EnvType = {"lang": lang}
    return render_tokens(parser().parse(text, env), env)


def is_plain_text(text: str) -> bool:
    """True when inline Markdown would render text as itself (most quiz options).

    Checking a large tree spends most of its time on quiz texts; these skip the parser.
    """
    return bool(_PLAIN_TEXT_RE.fullmatch(text)) and "://" not in text and "www." not in text


def render_inline(text: str, lang: str) -> str:
    """Inline Markdown (quiz questions, options, feedback) as sanitized HTML."""
    env: EnvType = {"lang": lang}
    return render_tokens(parser().parseInline(text, env), env)
