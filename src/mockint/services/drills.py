"""Drills: a short round (three questions) aimed at one criterion, by default the weakest in your history, graded on
that criterion alone and kept like any session (the transcript's meta records `drill: CRITERION`).

The drill's rubric is the round's rubric cut down to the one criterion (and the verdict rules about it); its grades
record the rubric file's sha256 combined with the criterion, so a later grade with the whole rubric is never taken
for the same work."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from mockint import __version__, rounds, rubrics
from mockint.domain.round import Question, RoundSpec
from mockint.domain.rubric import Criterion, Rubric
from mockint.domain.transcript import Transcript, TranscriptMeta
from mockint.errors import MockintError
from mockint.interview.base import Interviewer, Reply
from mockint.interview.session import RoundSession, new_transcript_path
from mockint.report.history_view import GradedSession
from mockint.rubrics import LoadedRubric
from mockint.services.grading import rubric_for
from mockint.services.rounds import OpenedRound, PracticeRequest, choose_backend
from mockint.services.scoring import is_human
from mockint.settings import Backend, Mode, Settings
from mockint.transcripts.store import TranscriptWriter, read_native

DEFAULT_ROUND = "product_sense"
DRILL_QUESTIONS = 3
DRILL_MINUTES = 15


def drill_rubric(loaded: LoadedRubric, criterion: str) -> LoadedRubric:
    """The rubric cut down to one criterion, validated like any rubric."""
    rubric = loaded.rubric
    crit = criterion_of(rubric, criterion)
    data = rubric.model_dump()
    data["criteria"] = [crit.model_dump()]
    data["verdict"]["rules"] = [r.model_dump() for r in rubric.verdict.rules if r.criterion == criterion]
    digest = hashlib.sha256(f"{loaded.sha256}:drill:{criterion}".encode()).hexdigest()
    return LoadedRubric(Rubric.model_validate(data), loaded.path, digest, loaded.builtin)


def criterion_of(rubric: Rubric, criterion: str) -> Criterion:
    try:
        return rubric.criterion(criterion)
    except KeyError:
        known = ", ".join(c.id for c in rubric.criteria)
        raise MockintError(f"rubric {rubric.id} has no criterion {criterion!r} (criteria: {known})") from None


def rubric_to_score(path: str, rubric_ref: str | None, transcript: Transcript) -> LoadedRubric:
    """What a transcript is scored against: `--rubric`, else its own rubric; for a drill, its one criterion."""
    loaded = rubric_for(path, rubric_ref, transcript)
    drilled = transcript.meta.drill
    if rubric_ref is None and drilled and any(c.id == drilled for c in loaded.rubric.criteria):
        return drill_rubric(loaded, drilled)
    return loaded


@dataclass(frozen=True)
class DrillTarget:
    """Which round and criterion a drill practises, and a sentence saying why."""

    round_id: str
    criterion: str
    title: str
    reason: str


def _most_important(rubric: Rubric) -> Criterion:
    return sorted(rubric.criteria, key=lambda c: (not c.must_pass, -c.weight, c.id))[0]


def weakest(sessions: list[GradedSession], rubric: str | None = None) -> tuple[str, str, float, int] | None:
    """(rubric, criterion, mean share of the top level, sessions) with the lowest mean level relative to the scale's
    top across the machine grades of your sessions (human scores are left out); None without any."""
    shares: dict[tuple[str, str], list[float]] = {}
    for s in sessions:
        if is_human(s.grade) or (rubric is not None and s.grade.rubric != rubric):
            continue
        for c in s.grade.criteria:
            if c.score is not None and c.max:
                shares.setdefault((s.grade.rubric, c.id), []).append(float(c.score) / c.max)
    if not shares:
        return None
    (rid, cid), values = min(shares.items(), key=lambda kv: (sum(kv[1]) / len(kv[1]), kv[0]))
    return rid, cid, sum(values) / len(values), len(values)


def _round_of(rubric_id: str, wanted: str | None) -> str | None:
    """The round a rubric is practised in: the one asked for, else the first built-in round that uses it."""
    if wanted is not None:
        return wanted
    return next((r for r in rounds.round_ids() if rounds.load_round(r).rubric == rubric_id), None)


def choose_target(criterion: str | None, round_id: str | None, sessions: list[GradedSession]) -> DrillTarget:
    """`--criterion`/`--round` as given; otherwise the weakest criterion in the history (of `round_id`'s rubric when
    given), falling back to the round's most important criterion when nothing has been graded yet."""
    spec = rounds.load_round(round_id) if round_id else None
    if criterion is not None:
        if spec is not None:
            crit = criterion_of(rubrics.resolve(spec.rubric).rubric, criterion)
            return DrillTarget(spec.id, crit.id, crit.title, f"Drilling {crit.title} ({spec.id}).")
        for rid in rounds.round_ids():
            rubric = rubrics.resolve(rounds.load_round(rid).rubric).rubric
            if any(c.id == criterion for c in rubric.criteria):
                crit = rubric.criterion(criterion)
                return DrillTarget(rid, crit.id, crit.title, f"Drilling {crit.title} ({rid}).")
        raise MockintError(f"no round's rubric has a criterion {criterion!r}; 'mockint rubric list' shows the rubrics")
    found = weakest(sessions, spec.rubric if spec is not None else None)
    if found is not None:
        rid, cid, share, n = found
        practised = _round_of(rid, spec.id if spec is not None else None)
        try:
            rubric = rubrics.resolve_id(rid, named_by="a kept grade").rubric
            crit = rubric.criterion(cid)
        except (MockintError, KeyError):
            practised = None
        if practised is not None:
            sessions_word = "session" if n == 1 else "sessions"
            reason = (
                f"Your weakest criterion so far: {crit.title} ({rid}), on average {share:.0%} of the top level "
                f"over {n} graded {sessions_word}."
            )
            return DrillTarget(practised, cid, crit.title, reason)
    chosen = spec.id if spec is not None else DEFAULT_ROUND
    crit = _most_important(rubrics.resolve(rounds.load_round(chosen).rubric).rubric)
    reason = (
        f"No graded sessions yet, so this drill takes {chosen}'s most important criterion: {crit.title} "
        "(--criterion ID picks another)."
    )
    return DrillTarget(chosen, crit.id, crit.title, reason)


def _words(text: str) -> set[str]:
    return {w.rstrip("s") for w in re.split(r"[^a-z]+", text.lower()) if len(w) > 2}


def drill_questions(spec: RoundSpec, crit: Criterion, company: str | None) -> list[Question]:
    """The round's questions whose tags name what the criterion is about (its id and signals); all of them when none
    does. Company-specific questions are left out for another company, as in a round."""
    bank = [q for q in spec.questions if company in (None, "pinterest") or q.company is None] or list(spec.questions)
    about = _words(crit.id) | {w for s in crit.signals for w in _words(s.id)}
    scored = [(len(about & {w for t in q.tags for w in _words(t)}), q) for q in bank]
    best = max(score for score, _ in scored)
    return [q for score, q in scored if score == best] if best > 0 else bank


def drill_spec(spec: RoundSpec, crit: Criterion, company: str | None) -> RoundSpec:
    return spec.model_copy(
        update={
            "title": f"Drill: {crit.title}",
            "max_questions": DRILL_QUESTIONS,
            "duration_minutes": min(spec.duration_minutes, DRILL_MINUTES),
            "questions": drill_questions(spec, crit, company),
        }
    )


def _interviewer(
    backend: Backend, spec: RoundSpec, loaded: LoadedRubric, settings: Settings, *, mode: Mode, request: PracticeRequest
) -> Interviewer:
    if backend == Backend.OPENAI:
        from mockint.interview.llm_interviewer import LLMInterviewer

        return LLMInterviewer(
            spec, loaded.rubric, settings.with_backend(backend), mode=mode, company=request.company, track=request.track,
            seed=request.seed,
        )  # fmt: skip
    from mockint.interview.drill import DrillInterviewer

    return DrillInterviewer(spec, loaded.rubric, mode=mode, company=request.company, seed=request.seed)


def open_drill(request: PracticeRequest, settings: Settings) -> OpenedRound:
    """A new drill on `request.drill` in `request.round_id`, saved as it goes like any round; nothing asked yet."""
    if request.drill is None:
        raise MockintError("a drill needs a criterion")
    backend = choose_backend(request.backend, settings)
    spec = rounds.load_round(request.round_id)
    full = rubrics.resolve(spec.rubric)
    loaded = drill_rubric(full, request.drill)
    crit = loaded.rubric.criteria[0]
    drill = drill_spec(spec, crit, request.company)
    mode = Mode(request.mode)
    interviewer = _interviewer(backend, drill, loaded, settings, mode=mode, request=request)
    ident, default_path = new_transcript_path(f"{spec.id}-drill")
    path = request.out if request.out is not None else default_path
    meta = TranscriptMeta(
        id=ident if request.out is None else Path(path).stem,
        round=spec.id,
        track=request.track,
        company=request.company,
        rubric=full.rubric.id,
        mode=mode.value,
        duration_minutes=drill.duration_minutes,
        backend=backend.value,
        model=settings.interviewer_model if backend == Backend.OPENAI else "scripted",
        interviewer_name=spec.persona.name,
        started=datetime.now(UTC),
        app_version=__version__,
        drill=crit.id,
    )
    return OpenedRound(RoundSession(interviewer, TranscriptWriter.create(path, meta), loaded), None, fresh=True)


def drill_of(path: Path) -> str | None:
    """The criterion a saved round drilled, None for an ordinary round (or a file that is not a native transcript)."""
    try:
        return read_native(path).meta.drill
    except (MockintError, OSError):
        return None


def resume_drill(path: Path, settings: Settings, *, seed: int | None = None) -> OpenedRound:
    """Reopen a cut-off drill as a drill (its one criterion, its questions), by the rule `RoundSession.resume` uses:
    a model drill goes on with the model when it is the configured backend; `pending` None: the interviewer owes a
    reply."""
    transcript = read_native(path)
    meta = transcript.meta
    if not meta.drill or not meta.round:
        raise MockintError("not a drill", path=str(path))
    spec = rounds.load_round(meta.round)
    loaded = drill_rubric(rubrics.resolve_id(meta.rubric or spec.rubric, path=str(path)), meta.drill)
    drill = drill_spec(spec, loaded.rubric.criteria[0], meta.company)
    backend = Backend.OPENAI if meta.backend == Backend.OPENAI and settings.llm_enabled else Backend.OFFLINE
    request = PracticeRequest(meta.round, track=meta.track, company=meta.company, seed=seed)
    interviewer = _interviewer(backend, drill, loaded, settings, mode=Mode(meta.mode or Mode.REALISTIC), request=request)
    interviewer.restore(transcript)
    session = RoundSession(interviewer, TranscriptWriter.resume(path), loaded)
    turns = session.transcript.turns
    complete = [t for t in turns if not t.partial]
    last = complete[-1] if complete else None
    if last is not None and last.closing:
        session.done = True
        return OpenedRound(session, Reply(last.text, done=True, move="close:resumed"), fresh=False)
    if last is not None and last.speaker == "interviewer" and turns[-1] is last:
        return OpenedRound(session, Reply(last.text), fresh=False)
    return OpenedRound(session, None, fresh=False)
