"""The use cases the screens call (grading and keeping a grade), in one place so they are easy to re-point.

Textual-free and blocking: screens run these in a worker thread."""

from __future__ import annotations

from mockint.domain.grade import Grade
from mockint.rubrics import LoadedRubric


def grade_and_keep(path: str, loaded: LoadedRubric, grader: str | None = None) -> Grade:
    """Grade a transcript file (the configured grader unless `grader` says) and keep the grade beside it, as the
    CLI does; an identical grade already kept is not kept twice."""
    from mockint.services import grading
    from mockint.settings import current

    settings = current()
    return grading.grade_and_keep(path, loaded, grader=grading.choose_grader(grader, settings), settings=settings).grade
