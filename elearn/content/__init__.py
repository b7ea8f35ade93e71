"""The course content pipeline: read a course folder, check it, build the course model.

Imports nothing from Flask or SQLAlchemy: the publishing layer stores what this returns.
The format is described for authors in docs/authoring.md.
"""

from .model import Course, MediaFile, Module, Option, Question
from .problems import Problem
from .reader import check_tree, course_folders, course_hash, load_course, load_tree
from .render import render_inline, render_markdown
from .scaffold import scaffold_course

__all__ = [
    "Course",
    "MediaFile",
    "Module",
    "Option",
    "Problem",
    "Question",
    "check_tree",
    "course_folders",
    "course_hash",
    "load_course",
    "load_tree",
    "render_inline",
    "render_markdown",
    "scaffold_course",
]
