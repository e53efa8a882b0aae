"""A practice run of a whole interview loop and the committee's decision across it, for `mockint committee` and
the app's Loop screen alike: which transcript stands for each loop round, its grade, and the loop's verdict.

A loop run (kept in MOCKINT_HOME/loops/) records which transcript belongs to which loop round, so a loop spread
over days picks up where it stopped; the committee with no files named uses the latest run, as the Loop screen
does, so both give the same verdict for the same loop."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from mockint import config, gradestore, rounds
from mockint.domain.grade import Grade
from mockint.domain.round import LoopRound, LoopSpec
from mockint.errors import MockintError
from mockint.grading.committee import Decision, decide
from mockint.grading.run import expand_paths
from mockint.services.grading import grade_of_transcript
from mockint.services.sessions import session_paths
from mockint.transcripts import load_any
from mockint.transcripts.store import read_native, write_atomic


def loops_dir() -> Path:
    path = config.home() / "loops"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def round_rubric(loop_round: LoopRound) -> str | None:
    return rounds.load_round(loop_round.round).rubric if loop_round.round else None


@dataclass
class RoundState:
    """A loop round as the committee sees it: which transcript stands for it, whether it finished, its grade."""

    round: LoopRound
    path: Path | None = None
    finished: bool = False
    grade: Grade | None = None
    error: str | None = None

    @property
    def practisable(self) -> bool:
        return self.round.round is not None

    @property
    def rubric(self) -> str | None:
        return round_rubric(self.round)

    @property
    def status(self) -> str:
        if not self.practisable:
            return "not in mockint"
        if self.error:
            return "unreadable"
        if self.path is None:
            return "not started"
        if not self.finished:
            return "in progress"
        return "graded" if self.grade is not None else "finished"


@dataclass
class LoopRun:
    loop: str
    started: str
    file: Path
    transcripts: dict[str, str] = field(default_factory=dict)  # loop round id -> transcript path

    @classmethod
    def new(cls, loop: str) -> LoopRun:
        now = datetime.now(UTC)
        run = cls(loop, now.isoformat(), loops_dir() / f"{loop}-{now.strftime('%Y%m%d-%H%M%S')}.json")
        run.save()
        return run

    @classmethod
    def load(cls, path: Path) -> LoopRun:
        try:
            data = json.loads(path.read_text())
            return cls(data["loop"], data["started"], path, dict(data.get("transcripts", {})))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise MockintError(f"not a loop run: {exc}", path=str(path)) from None

    @classmethod
    def latest(cls, loop: str) -> LoopRun | None:
        for path in sorted(loops_dir().glob(f"{loop}-*.json"), reverse=True):
            try:
                return cls.load(path)
            except MockintError:
                continue
        return None

    def save(self) -> None:
        data = {"loop": self.loop, "started": self.started, "transcripts": self.transcripts}
        write_atomic(self.file, (json.dumps(data, indent=2) + "\n").encode())

    def transcript_path(self, loop_round: str, practice_round: str) -> Path:
        """Where a loop round's transcript goes (assigned once, then reused to resume it)."""
        if loop_round not in self.transcripts:
            stem = self.file.stem
            self.transcripts[loop_round] = str(config.transcripts_dir() / f"{stem}-{practice_round}.jsonl")
            self.save()
        return Path(self.transcripts[loop_round])

    def states(self, spec: LoopSpec) -> list[RoundState]:
        """Each loop round with its transcript, whether it finished, and the grade that belongs to it (a finished
        round with none is graded offline and the grade kept, so the app and `committee` see the same grade)."""
        out = []
        for loop_round in spec.rounds:
            state = RoundState(loop_round)
            raw = self.transcripts.get(loop_round.id)
            if raw and Path(raw).exists():
                state.path = Path(raw)
                try:
                    state.finished = read_native(state.path).finished
                except MockintError as exc:
                    state.error = exc.detail
                if state.finished and state.rubric:
                    _grade_into(state)
            out.append(state)
        return out


def _grade_into(state: RoundState, notes: list[str] | None = None) -> None:
    assert state.path is not None
    try:
        graded = grade_of_transcript(str(state.path), state.rubric)
    except MockintError as exc:
        state.error = exc.detail
        return
    state.grade = graded.grade
    if notes is not None:
        notes.extend(graded.notes)


@dataclass
class Committee:
    """The committee's view of a loop: a row per loop round, the decision, and what the front end should say."""

    loop: LoopSpec
    states: list[RoundState]
    decision: Decision
    source: str  # "loop run FILE", "files" or "saved sessions"
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def decision_for(spec: LoopSpec, states: list[RoundState]) -> Decision:
    return decide(spec, {s.round.id: s.grade for s in states if s.grade is not None})


def parse_maps(items: list[str], loop: LoopSpec) -> dict[str, str]:
    """`ROUND=PATH` pairs; ROUND is a loop round id, or a practice round id that one loop round uses."""
    out: dict[str, str] = {}
    for item in items:
        name, sep, path = item.partition("=")
        if not sep or not name or not path:
            raise MockintError(f"--map {item!r}: expected ROUND=PATH")
        match = [r for r in loop.rounds if r.id == name] or [r for r in loop.rounds if r.round == name]
        if len(match) != 1:
            known = ", ".join(r.id for r in loop.rounds if r.round)
            raise MockintError(f"--map {item!r}: no round {name!r} in loop {loop.id} (rounds: {known})")
        if match[0].round is None:
            raise MockintError(f"--map {item!r}: {match[0].title} is not a round mockint can practise")
        if not Path(path).is_file():
            raise MockintError("no such file", path=path)
        out[match[0].id] = path
    return out


def _when(path: str, started: datetime | None) -> datetime:
    """When a round happened: its recorded start, else the file's modification time."""
    if started is None:
        return datetime.fromtimestamp(Path(path).stat().st_mtime, UTC)
    return started if started.tzinfo else started.replace(tzinfo=UTC)


def _assign(paths: list[str], loop: LoopSpec, out: Committee, *, quiet: bool) -> dict[str, list[tuple[datetime, str]]]:
    """Loop round id -> (when, path) of the transcripts that practise it: by the transcript's recorded round, or for
    an import with none, the rubric of its kept grades. Files no round fits are named in a note (unless `quiet`:
    the whole store was scanned, not files the user named)."""
    found: dict[str, list[tuple[datetime, str]]] = {}
    for path in paths:
        try:
            meta = load_any(path, require_candidate=False).meta
        except MockintError as exc:
            out.errors.append(str(exc))
            out.failed.append(path)
            continue
        if meta.round:
            fits = [r for r in loop.rounds if r.round == meta.round]
        else:
            graded = {h.rubric for _, h in gradestore.headers_for(path)}
            fits = [r for r in loop.rounds if r.round and round_rubric(r) in graded]
        if not fits:
            if not quiet:
                why = f"its round {meta.round} is not part of {loop.id}" if meta.round else "it records no round"
                out.notes.append(f"{path}: not used ({why}); --map ROUND={path} assigns it")
            continue
        for r in fits:
            found.setdefault(r.id, []).append((_when(path, meta.started), path))
    return found


def committee_for_run(spec: LoopSpec, run: LoopRun) -> Committee:
    """The committee over a loop run's own rounds (the Loop screen's view)."""
    states = run.states(spec)
    out = Committee(spec, states, decision_for(spec, states), f"loop run {run.file}")
    for s in states:
        if s.error and s.path is not None:
            out.errors.append(f"{s.path}: {s.error}")
            out.failed.append(str(s.path))
    return out


def committee_for_files(spec: LoopSpec, paths: list[str], maps: dict[str, str]) -> Committee:
    """The committee over transcripts named on the command line (or put in place with `--map`), or, with neither,
    the saved sessions: the newest transcript per loop round."""
    out = Committee(spec, [], decide(spec, {}), "files" if paths or maps else "saved sessions")
    if paths:
        candidates = expand_paths(paths)
    elif maps:
        candidates = []
    else:
        candidates = [str(p) for p in session_paths()]
    by_round = _assign([p for p in candidates if p not in maps.values()], spec, out, quiet=not paths)
    for lr in spec.rounds:
        state = RoundState(lr, finished=True)
        options = by_round.get(lr.id, [])
        if lr.id in maps:
            state.path = Path(maps[lr.id])
        elif options:
            state.path = Path(max(options)[1])
            if len(options) > 1 and paths:
                out.notes.append(f"{lr.title}: {len(options)} transcripts; using the newest, {state.path}")
        if state.path is not None and state.rubric:
            _grade_into(state, out.notes)
            if state.error:
                out.errors.append(f"{state.path}: {state.error}")
                out.failed.append(str(state.path))
        out.states.append(state)
    out.decision = decision_for(spec, out.states)
    return out


def committee(loop_id: str, paths: list[str], map_items: list[str]) -> Committee:
    """`mockint committee`: the files named, or else the latest loop run (as the Loop screen shows it), or else the
    saved sessions."""
    spec = rounds.load_loop(loop_id)
    maps = parse_maps(map_items, spec)
    for p in paths:
        if not Path(p).exists():
            raise MockintError("no such file or folder", path=p)
    if not paths and not maps:
        run = LoopRun.latest(spec.id)
        if run is not None:
            return committee_for_run(spec, run)
    return committee_for_files(spec, paths, maps)
