"""The course format's fixed rules: names, limits, fields and allowlists, in one place."""

import re

COURSE_FILE = "course.yml"
MEDIA_DIR = "media"
IGNORED_FILES = frozenset({"README.md"})

# Large enough for any real lesson or image; small enough that a mistaken commit of a
# video export or a generated file is caught before it reaches the database.
MAX_COURSE_FILE_BYTES = 64 * 1024
MAX_MODULE_BYTES = 512 * 1024
MAX_MEDIA_BYTES = 5 * 1024 * 1024

ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MODULE_FILE_RE = re.compile(
    r"(?P<nn>[0-9]{2})-(?P<id>[a-z0-9]+(?:-[a-z0-9]+)*)(?:\.(?P<lang>[a-z]{2}))?\.md"
)
# ASCII letters, digits, dot, dash and underscore, not starting with a dot or a dash:
# safe in URLs, on every file system and in shell scripts; no path traversal.
SAFE_NAME_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*")

# Lessons live at /learn/<course>/<module> and media at /learn/<course>/media/<path>,
# so a module called "media" would be shadowed by the media route.
RESERVED_MODULE_IDS = frozenset({MEDIA_DIR})

DEFAULT_PASS_MARK = 80
DEFAULT_ATTEMPTS = 3
WORDS_PER_MINUTE = 180

COURSE_FIELDS = (
    "title",
    "summary",
    "hours",
    "pass_mark",
    "attempts",
    "certificate_valid_months",
    "published",
    "order",
)
REQUIRED_COURSE_FIELDS = ("title", "summary", "hours")
MODULE_FIELDS = ("title", "minutes", "pass_mark", "draw", "shuffle")
# Front matter values that are about the module, not its wording: translations must agree.
SHARED_MODULE_FIELDS = ("minutes", "pass_mark", "draw", "shuffle")
QUESTION_FIELDS = ("id", "q", "options", "explain")
OPTION_FIELDS = ("text", "correct", "feedback")

CONTACT_ROLES = (
    "police",
    "ngo",
    "child-rights",
    "social-services",
    "health",
    "education",
    "prosecutor",
    "other",
)

MEDIA_TYPES = {
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".pdf": "application/pdf",
    ".mp3": "audio/mpeg",
    ".mp4": "video/mp4",
    ".webm": "video/webm",
    ".vtt": "text/vtt",
}

LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

ALERT_TITLES = {
    "lt": {
        "NOTE": "Pastaba",
        "TIP": "Patarimas",
        "IMPORTANT": "Svarbu",
        "WARNING": "Įspėjimas",
        "CAUTION": "Atsargiai",
    },
    "en": {
        "NOTE": "Note",
        "TIP": "Tip",
        "IMPORTANT": "Important",
        "WARNING": "Warning",
        "CAUTION": "Caution",
    },
}
FALLBACK_LANGUAGE = "en"
