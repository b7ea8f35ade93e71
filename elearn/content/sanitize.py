"""The HTML allowlists: what authors may write as raw HTML, and what a rendered page may hold."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3

from .rules import LINK_SCHEMES

# Raw HTML an author may write: inline semantics Markdown has no syntax for. No links,
# images or attributes that Markdown already covers, so every link and image goes
# through the same checks (alt text, existing file) whichever way it was written.
RAW_TAGS = frozenset(
    {
        "abbr", "b", "br", "dd", "del", "details", "dl", "dt", "em", "i", "ins", "kbd",
        "mark", "p", "s", "small", "strong", "sub", "summary", "sup",
    }
)  # fmt: skip
RAW_ATTRIBUTES = {"abbr": {"title"}, "details": {"open"}}

# Everything the renderer itself produces, plus the raw HTML above.
RENDERED_TAGS = RAW_TAGS | {
    "a", "blockquote", "code", "div", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "img",
    "input", "li", "ol", "pre", "section", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
RENDERED_ATTRIBUTES = {
    **RAW_ATTRIBUTES,
    "a": {"href", "title", "id"},
    "img": {"src", "alt", "title"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "li": {"id"},
    "ol": {"start"},
    "input": {"checked", "disabled"},
    "div": {"data-contacts"},
    "code": {"class"},
}
RENDERED_ATTRIBUTE_VALUES = {
    "a": {"rel": {"noopener noreferrer"}},
    "div": {"role": {"note"}},
    "input": {"type": {"checkbox"}},
}
ALERT_KINDS = ("note", "tip", "important", "warning", "caution")
ALIGN_CLASSES = {"align-left", "align-center", "align-right"}
RENDERED_CLASSES = {
    "div": {"alert", *(f"alert-{kind}" for kind in ALERT_KINDS)},
    "p": {"alert-title"},
    "ul": {"contains-task-list"},
    "ol": {"contains-task-list", "footnotes-list"},
    "li": {"task-list-item", "footnote-item"},
    "input": {"task-list-item-checkbox"},
    "sup": {"footnote-ref"},
    "a": {"footnote-backref"},
    "hr": {"footnotes-sep"},
    "section": {"footnotes"},
    "th": ALIGN_CLASSES,
    "td": ALIGN_CLASSES,
}

_rendered_cleaner = nh3.Cleaner(
    tags=set(RENDERED_TAGS),
    attributes=RENDERED_ATTRIBUTES,
    tag_attribute_values=RENDERED_ATTRIBUTE_VALUES,
    allowed_classes=RENDERED_CLASSES,
    url_schemes=set(LINK_SCHEMES),
    link_rel=None,  # the renderer adds rel to external links only
)
_raw_cleaner = nh3.Cleaner(
    tags=set(RAW_TAGS), attributes=RAW_ATTRIBUTES, url_schemes=set(LINK_SCHEMES), link_rel=None
)


def sanitize(html: str) -> str:
    return _rendered_cleaner.clean(html)


class _Inventory(HTMLParser):
    """The tags, attributes and URL schemes a fragment of raw HTML uses."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []
        self.schemes: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            self.attributes.append((tag, name))
            if value and (scheme := urlsplit(value.strip()).scheme):
                self.schemes.add(scheme.lower())

    def handle_endtag(self, tag: str) -> None:
        self.tags.append(tag)


def raw_html_problem(fragment: str) -> str | None:
    """Why the sanitizer would change this raw HTML, or None when it would keep it as is."""
    inventory = _Inventory()
    inventory.feed(fragment)
    inventory.close()
    # Both sides go through the same HTML parser and serializer, so only what the
    # allowlist removes shows up as a difference.
    keep_all = nh3.Cleaner(
        tags=set(inventory.tags) | RAW_TAGS,
        clean_content_tags=set(),
        attributes={},
        generic_attribute_prefixes={""},
        url_schemes=inventory.schemes | LINK_SCHEMES,
        link_rel=None,
    )
    if _raw_cleaner.clean(fragment) == keep_all.clean(fragment):
        return None
    for tag in inventory.tags:
        if tag == "img":
            return "raw HTML <img> is not allowed: use Markdown, ![alt text](media/file.png)"
        if tag == "a":
            return "raw HTML <a> is not allowed: use a Markdown link, [text](address)"
        if tag not in RAW_TAGS:
            return f"raw HTML <{tag}> is not allowed and would be removed: use Markdown instead"
    for tag, name in inventory.attributes:
        if name not in RAW_ATTRIBUTES.get(tag, ()):
            return f"raw HTML attribute '{name}' on <{tag}> is not allowed and would be removed"
    return "this raw HTML would be changed by the sanitizer: use Markdown instead"
