"""Line-aware YAML: node trees with their line numbers, built safely from hostile text."""

import difflib
from collections.abc import Iterable

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .problems import Report

try:  # libyaml parses about ten times faster; the pure-Python parser is the fallback
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

# Deeper documents are refused before they are built: PyYAML's C composer recurses
# once per level and crashes the process on some tens of thousands of "[".
MAX_DEPTH = 40

_resolver = yaml.resolver.Resolver()
_constructor = yaml.constructor.SafeConstructor()
NOT_SCALAR = object()
# What libyaml's most frequent complaints usually mean in a course file, where text
# often starts with Markdown: [a link], *emphasis*, "a quote" followed by more words.
_QUOTE = ": put the whole text in double quotes"
_HINTS = {
    "mapping values are not allowed in this context": ": put text that contains ': ' in quotes",
    "found character that cannot start any token": (
        ": indent with spaces, not tabs, and quote text starting with ` @ or %"
    ),
    "could not find expected ':'": ": each line needs 'name: value', or quote the text",
    "did not find expected key": _QUOTE,
    "did not find expected alphabetic or numeric character": _QUOTE,
    "did not find expected ',' or ']'": ": close the '[' or put the whole text in double quotes",
    "did not find expected ',' or '}'": ": close the '{' or put the whole text in double quotes",
}


class YamlError(Exception):
    """Text that is not one acceptable YAML document; ``line`` is 1-based."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def compose(text: str) -> Node | None:
    """Parse one YAML document into nodes (None when empty), without recursion or aliases."""
    root: Node | None = None
    stack: list[list] = []  # [collection node, pending mapping key or None]
    documents = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise YamlError(line_of(event), "only one YAML document is allowed here")
                continue
            if isinstance(event, yaml.AliasEvent):
                raise YamlError(
                    line_of(event), "YAML anchors and aliases (& and *) are not supported"
                )
            if isinstance(event, yaml.CollectionEndEvent):
                stack.pop()
                continue
            node = _node_for(event)
            if node is None:
                continue
            if stack:
                _attach(stack[-1], node)
            else:
                root = node
            if isinstance(node, MappingNode | SequenceNode):
                if len(stack) >= MAX_DEPTH:
                    raise YamlError(line_of(event), "YAML is nested too deeply")
                stack.append([node, None])
    except yaml.YAMLError as exc:
        # Parsers set limits of their own (libyaml 0.2.5 as bundled with PyYAML 6.0.4
        # refuses 1,000 levels, with its own wording); a document deeper than ours is
        # reported the same way whichever parser and version is installed.
        too_deep = _too_deep_at(text)
        if too_deep is not None:
            raise YamlError(too_deep, "YAML is nested too deeply") from None
        if isinstance(exc, yaml.MarkedYAMLError):
            raise _explained(exc, text) from None
        raise YamlError(1, f"invalid YAML: {exc}") from None
    return root


def _too_deep_at(text: str) -> int | None:
    """The line where ``text`` first nests deeper than MAX_DEPTH, by PyYAML's own
    pure-Python parser (it has no depth limit and stops at the first error), or None."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return line_of(event)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return None
    return None


def _explained(exc: yaml.MarkedYAMLError, text: str) -> YamlError:
    problem = exc.problem or exc.context or "unreadable"
    mark = exc.problem_mark or exc.context_mark
    if exc.context_mark and (exc.context or "").startswith("while parsing a flow"):
        mark = exc.context_mark  # where the unclosed [ or { is, not where the text ends
    # libyaml may point just past the end of the text; keep the line inside it
    line = min(mark.line + 1 if mark else 1, text.count("\n") + 1)
    return YamlError(line, f"invalid YAML: {problem}{_HINTS.get(problem, '')}")


def _node_for(event: yaml.Event) -> Node | None:
    if isinstance(event, yaml.ScalarEvent):
        tag = event.tag
        if tag is None or tag == "!":
            tag = _resolver.resolve(ScalarNode, event.value, event.implicit)
        return ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    if isinstance(event, yaml.SequenceStartEvent):
        tag = event.tag or _resolver.resolve(SequenceNode, None, event.implicit)
        return SequenceNode(tag, [], event.start_mark, event.end_mark)
    if isinstance(event, yaml.MappingStartEvent):
        tag = event.tag or _resolver.resolve(MappingNode, None, event.implicit)
        return MappingNode(tag, [], event.start_mark, event.end_mark)
    return None


def _attach(parent: list, node: Node) -> None:
    collection = parent[0]
    if isinstance(collection, SequenceNode):
        collection.value.append(node)
    elif parent[1] is None:
        parent[1] = node
    else:
        collection.value.append((parent[1], node))
        parent[1] = None


def line_of(item: Node | yaml.Event) -> int:
    """The 1-based line where a node or event starts."""
    return item.start_mark.line + 1


def scalar(node: Node) -> object:
    """The Python value of a scalar node; NOT_SCALAR for lists, mappings and unknown tags."""
    if not isinstance(node, ScalarNode):
        return NOT_SCALAR
    build = _constructor.yaml_constructors.get(node.tag)
    if build is None:
        return NOT_SCALAR
    try:
        return build(_constructor, node)
    except (yaml.YAMLError, ValueError, TypeError):
        return NOT_SCALAR


def text(node: Node) -> str | None:
    """A scalar node as text: YAML's numbers and dates are taken as written."""
    if isinstance(node, ScalarNode) and scalar(node) is not NOT_SCALAR:
        return node.value if node.tag != "tag:yaml.org,2002:null" else None
    return None


Fields = dict[str, tuple[Node, Node]]


def mapping(
    node: Node | None, report: Report, shape: str, prefix: str = "", line: int = 1
) -> Fields | None:
    """A mapping node's entries by name; reports ``shape`` when it is not a mapping."""
    if not isinstance(node, MappingNode):
        report.add(line_of(node) if node is not None else line, shape)
        return None
    fields: Fields = {}
    for key, value in node.value:
        name = scalar(key)
        if not isinstance(name, str):
            report.add(line_of(key), f"{prefix}field names must be text, not {key.value!r}")
        elif name in fields:
            report.add(line_of(key), f"{prefix}'{name}' is given twice: keep one")
        else:
            fields[name] = (key, value)
    return fields


def sequence(node: Node) -> list[Node] | None:
    return list(node.value) if isinstance(node, SequenceNode) else None


def check_fields(
    fields: Fields,
    known: Iterable[str],
    report: Report,
    prefix: str = "",
    required: Iterable[str] = (),
    line: int = 1,
) -> None:
    """Report unknown fields (suggesting the likely intended one) and missing required ones."""
    known = tuple(known)
    for name, (key, _) in fields.items():
        if name not in known:
            report.add(line_of(key), prefix + unknown_field_message(name, known))
    for name in required:
        if name not in fields:
            report.add(line, f"{prefix}missing required field '{name}'")


def unknown_field_message(name: str, known: Iterable[str]) -> str:
    known = tuple(known)
    close = difflib.get_close_matches(name.lower(), known, n=1, cutoff=0.6)
    if close:
        return f"unknown field '{name}': did you mean '{close[0]}'?"
    return f"unknown field '{name}': the fields are {', '.join(known)}"
