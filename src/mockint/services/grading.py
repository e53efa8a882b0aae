"""Grade and keep, and which kept grade belongs to a transcript: shared by `grade`, `report`, `committee`,
`practice --plain` and the app, so they all find the same grade for the same file.

A grade belongs to a transcript when it is of the transcript's own rubric (the one `--rubric` names, else the
rubric its round was practised against) and was made from the file as it is now (the same sha256). A grade kept
before the file changed is stale: it is never shown as the transcript's grade without saying so."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

from mockint import gradestore, rounds, rubrics
from mockint.domain.grade import Grade
from mockint.domain.transcript import Transcript
from mockint.errors import MockintError
from mockint.rubrics import LoadedRubric
from mockint.services.scoring import HUMAN
from mockint.settings import GraderKind, Settings
from mockint.transcripts.loading import load_any


def choose_grader(requested: GraderKind | str | None, settings: Settings) -> GraderKind:
    """The grader asked for, else the default (the model when it is the configured backend); the model grader
    needs an endpoint to talk to."""
    default = GraderKind.LLM if settings.llm_enabled else GraderKind.OFFLINE
    grader = GraderKind(requested) if requested else default
    if grader == GraderKind.LLM and not settings.endpoint_configured:
        raise MockintError("--grader llm needs OPENAI_API_KEY or OPENAI_BASE_URL (see 'mockint config')")
    return grader


def rubric_id_of(ref: str | None) -> str | None:
    """Grades record a rubric's id: a path to a YAML rubric is read for its id; an id is taken as given, so grades
    of a rubric that has since been deleted can still be selected."""
    if not ref:
        return None
    if ref.endswith((".yaml", ".yml")) or "/" in ref or Path(ref).exists():
        return rubrics.resolve(ref).rubric.id
    return ref


def own_rubric_id(path: str | Path, transcript: Transcript | None) -> str | None:
    """The rubric a transcript belongs to: the one its round was practised against (recorded in a native
    transcript), else its round's rubric; for an import without either, the one rubric its kept grades share.
    None when nothing says (then a front end asks for --rubric)."""
    if transcript is not None and transcript.meta.rubric:
        return transcript.meta.rubric
    if transcript is not None and transcript.meta.round:
        with contextlib.suppress(MockintError):
            return rounds.load_round(transcript.meta.round).rubric
    kept = {h.rubric for _, h in gradestore.headers_for(path)}
    return kept.pop() if len(kept) == 1 else None


def rubric_for(path: str, rubric_ref: str | None, transcript: Transcript | None = None) -> LoadedRubric:
    """`--rubric` when given (an id or a YAML path); else the transcript's own rubric (an id, never a path)."""
    if rubric_ref:
        return rubrics.resolve(rubric_ref)
    if transcript is None:
        transcript = load_any(path, require_candidate=False)
    own = own_rubric_id(path, transcript)
    if own is None:
        raise MockintError("the transcript records no round or rubric; pass --rubric ID", path=path)
    return rubrics.resolve_id(own, path=str(path))


@dataclass(frozen=True)
class KeptGrade:
    """A kept grade, the file it is kept in, and whether the transcript changed since it was made."""

    grade: Grade
    file: Path
    stale: bool = False


def _hash_or_none(path: str | Path) -> str | None:
    try:
        return gradestore.transcript_sha256(path)
    except OSError:
        return None


def kept_grade(path: str | Path, rubric: str, *, digest: str | None = None) -> KeptGrade | None:
    """The newest kept grade of `rubric` made from the file as it is now; failing that, the newest one of `rubric`
    at all, marked stale. A grade that recorded no hash (older versions) cannot be told apart and counts as current.
    A person's scores (`human:NAME`) are the transcript's grade only when no grader has graded it."""
    found = [ph for ph in gradestore.headers_for(path) if ph[1].rubric == rubric]  # the index: no grade read whole
    found = [ph for ph in found if not ph[1].grader.startswith(HUMAN)] or found
    if not found:
        return None
    digest = digest or _hash_or_none(path)
    current = gradestore.read_kept([ph for ph in found if ph[1].transcript_sha256 in (None, digest)])
    if current:
        return KeptGrade(current[1], current[0])
    kept = gradestore.read_kept(found)
    return KeptGrade(kept[1], kept[0], stale=True) if kept else None


@dataclass
class Graded:
    """What grading one file did: the grade, where it was kept (None: an identical grade was kept already, or it
    could not be written) and notes for the front end to show."""

    grade: Grade
    kept: Path | None = None
    notes: list[str] = field(default_factory=list)


def grade_and_keep(
    path: str,
    loaded: LoadedRubric,
    *,
    grader: GraderKind | str,
    settings: Settings | None,
    candidate: str | None = None,
    samples: int = 1,
    save: bool = True,
) -> Graded:
    """Grade one file (recording the hash of exactly what was graded) and keep the grade beside it. A folder that
    cannot be written to still gets its grade, with a note that it was not kept. The model grader needs `settings`."""
    if grader == GraderKind.LLM and settings is None:
        raise MockintError("the model grader needs settings")
    from mockint.grading.run import grade_file, keep  # the graders: only when something is graded

    grade = grade_file(path, loaded, grader=str(grader), candidate=candidate, settings=settings, samples=samples)
    out = Graded(grade)
    if save:
        try:
            out.kept = keep(grade, path)
        except OSError as exc:
            out.notes.append(f"{path}: grade not kept ({exc.strerror or exc})")
    return out


def grade_or_fall_back(path: str, loaded: LoadedRubric, *, grader: GraderKind | str, settings: Settings) -> Graded:
    """The model's grade, or an offline one (with a note) when the model could not grade; kept either way."""
    from mockint.grading.run import GradingFailed

    try:
        return grade_and_keep(path, loaded, grader=grader, settings=settings)
    except GradingFailed as exc:
        graded = grade_and_keep(path, loaded, grader=GraderKind.OFFLINE, settings=settings)
        graded.notes.insert(0, f"{exc}; grading offline instead")
        return graded


def grade_of_transcript(path: str, rubric_ref: str | None = None, transcript: Transcript | None = None) -> Graded:
    """The grade that belongs to a transcript (`report`, the committee, the Loop screen): the kept grade of its rubric
    made from the file as it is now; if there is none, an offline grade (it needs no settings), kept so the next
    look finds it."""
    loaded = rubric_for(path, rubric_ref, transcript)
    rubric = loaded.rubric.id
    found = kept_grade(path, rubric)
    if found is not None and not found.stale:
        return Graded(found.grade, found.file)
    graded = grade_and_keep(path, loaded, grader=GraderKind.OFFLINE, settings=None)
    if found is not None:
        graded.notes.insert(0, f"{path} changed since its last {rubric} grade; graded it offline again")
    elif graded.kept is not None:
        graded.notes.insert(0, f"no kept grade of {rubric}: graded offline and kept it in {graded.kept}")
    return graded
