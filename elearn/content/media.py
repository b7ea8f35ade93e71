"""Files under media/: allowed types, content that matches its name, and SVG without scripts."""

import hashlib
import posixpath
import re

from .model import MediaFile
from .problems import Report
from .rules import MEDIA_TYPES

# The first bytes each allowed type starts with: a file named .png that holds HTML
# would otherwise reach learners' browsers under an image's name.
_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "application/pdf": (b"%PDF-",),
    "video/webm": (b"\x1a\x45\xdf\xa3",),
}

_SVG_DANGERS = (
    (re.compile(rb"<script", re.IGNORECASE), "a <script>"),
    (re.compile(rb"<foreignObject", re.IGNORECASE), "a <foreignObject>"),
    # Inside a tag only: "someone = x" in an SVG's text is not an attribute.
    (re.compile(rb"<[^<>]*?\s(on[a-z]+\s*=)", re.IGNORECASE), "an event attribute (on…=)"),
    (re.compile(rb"javascript\s*:", re.IGNORECASE), "a javascript: address"),
    (re.compile(rb"<!ENTITY", re.IGNORECASE), "an XML entity declaration"),
)


def read_media(path: str, data: bytes, report: Report) -> MediaFile | None:
    """The media file, or None after reporting why it cannot be published."""
    extension = posixpath.splitext(path)[1].lower()
    content_type = MEDIA_TYPES.get(extension)
    if content_type is None:
        allowed = ", ".join(sorted({ext.lstrip(".") for ext in MEDIA_TYPES}))
        report.add(1, f"this type of file cannot be published: use {allowed}")
        return None
    if not _looks_like(content_type, data):
        report.add(1, f"the file's content is not {content_type}: export it again")
        return None
    if content_type == "image/svg+xml" and not _safe_svg(data, report):
        return None
    return MediaFile(path, content_type, data, hashlib.sha256(data).hexdigest())


def _looks_like(content_type: str, data: bytes) -> bool:
    if content_type in _SIGNATURES:
        return data.startswith(_SIGNATURES[content_type])
    if content_type == "image/webp":
        return data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    if content_type == "video/mp4":
        return data[4:8] == b"ftyp"
    if content_type == "audio/mpeg":
        return data.startswith(b"ID3") or (len(data) > 1 and data[0] == 0xFF and data[1] >= 0xE0)
    if content_type == "text/vtt":
        return data.removeprefix(b"\xef\xbb\xbf").startswith(b"WEBVTT")
    return b"<svg" in data  # SVG is text: any file with an <svg> element in it


def _safe_svg(data: bytes, report: Report) -> bool:
    safe = True
    for pattern, what in _SVG_DANGERS:
        if match := pattern.search(data):
            line = data.count(b"\n", 0, match.start(match.lastindex or 0)) + 1
            report.add(line, f"the SVG contains {what}: remove it, or export the image again")
            safe = False
    return safe
