"""A practice run of a whole interview loop: which transcript belongs to which loop round, kept in
MOCKINT_HOME/loops/ so a loop spread over days picks up where it stopped. Textual-free."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from mockint import config
from mockint.domain.grade import Grade
from mockint.domain.round import LoopRound, LoopSpec
from mockint.errors import MockintError
from mockint.transcripts.store import write_atomic


def loops_dir() -> Path:
    path = config.home() / "loops"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


@dataclass
class RoundState:
    """What one loop round looks like now."""

    round: LoopRound
    path: Path | None = None
    finished: bool = False
    grade: Grade | None = None

    @property
    def practisable(self) -> bool:
        return self.round.round is not None

    @property
    def status(self) -> str:
        if not self.practisable:
            return "not in mockint"
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
        """Each loop round with its transcript, whether it finished, and its latest kept grade."""
        from mockint.gradestore import latest
        from mockint.rounds import load_round
        from mockint.transcripts.store import read_native

        out = []
        for loop_round in spec.rounds:
            state = RoundState(loop_round)
            raw = self.transcripts.get(loop_round.id)
            if raw and Path(raw).exists():
                state.path = Path(raw)
                try:
                    state.finished = read_native(state.path).finished
                except MockintError:
                    state.finished = False
                if state.finished and loop_round.round is not None:
                    found = latest(state.path, load_round(loop_round.round).rubric)
                    state.grade = found[1] if found else None
            out.append(state)
        return out
