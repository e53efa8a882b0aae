"""The offline interviewer: a question from the round's bank, then the probe of the most important
criterion the answers have not yet shown (same signal detection as the grader), never repeating one."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from mockint.domain.round import Question, RoundSpec
from mockint.domain.rubric import Rubric
from mockint.domain.transcript import Transcript
from mockint.grading.offline import analyse, grade_criteria


@dataclass
class Reply:
    """What the interviewer says next; `done` closes the round. `hint` is coach-mode feedback;
    `tokens` the model's completion tokens when a model wrote it."""

    text: str
    done: bool = False
    hint: str | None = None
    criterion: str | None = None
    tokens: int | None = None


def pick_question(spec: RoundSpec, company: str | None, seed: int | None) -> Question:
    """A random (seedable) opening question; `generic` or another company leaves out company-specific ones."""
    rng = random.Random(seed)
    if company in (None, "pinterest"):
        bank = [q for q in spec.questions if q.company in (None, "pinterest")]
    else:
        bank = [q for q in spec.questions if q.company is None]
    return rng.choice(bank or list(spec.questions))


def probe_target(rubric: Rubric, transcript: Transcript, asked: set[str]) -> tuple[str, str, str] | None:
    """(criterion id, what is missing, next unused probe) for the most important criterion not yet shown."""
    graded = {g.id: g for g in grade_criteria(rubric, analyse(transcript))}
    for crit in sorted(rubric.criteria, key=lambda c: (not c.must_pass, -c.weight)):
        got = graded[crit.id]
        if got.score is not None and got.score >= rubric.must_pass_bar:
            continue
        probe = next((p for p in crit.probes if p not in asked), None)
        if probe is not None:
            missing = got.missing[0] if got.missing else crit.description
            return crit.id, missing, probe
    return None


@dataclass
class ScriptedInterviewer:
    spec: RoundSpec
    rubric: Rubric
    mode: str = "realistic"
    company: str | None = "pinterest"
    seed: int | None = None
    clock: Callable[[], float] = time.monotonic
    asked_probes: set[str] = field(default_factory=set)
    questions_asked: int = 0
    question: Question | None = None
    started_at: float | None = None

    def choose_question(self) -> Question:
        return pick_question(self.spec, self.company, self.seed)

    def opening(self) -> Reply:
        self.started_at = self.clock()
        self.question = self.choose_question()
        self.questions_asked = 1
        intro = self.spec.opening.strip()
        if self.company not in (None, "pinterest") and "pinterest" in intro.lower():
            first = self.spec.persona.name.split()[0]
            intro = (
                f"Hi, I'm {first}, {self.spec.persona.role}. Let's get started; think out loud, and tell me when "
                "you're making an assumption."
            )
        return Reply(f"{intro}\n\n{self.question.text}" if intro else self.question.text)

    def minutes_left(self) -> float:
        if self.started_at is None:
            return float(self.spec.duration_minutes)
        return self.spec.duration_minutes - (self.clock() - self.started_at) / 60

    def closing(self) -> Reply:
        text = self.spec.closing.strip() or "That's all the time we have. Thank you, this was a useful conversation."
        return Reply(text, done=True)

    def next_reply(self, transcript: Transcript) -> Reply:
        """Decide the next interviewer turn from everything the candidate has said so far."""
        if self.questions_asked >= self.spec.max_questions or self.minutes_left() <= 0:
            return self.closing()
        target = probe_target(self.rubric, transcript, self.asked_probes)
        if target is None:
            return self.closing()
        criterion_id, missing, probe = target
        self.asked_probes.add(probe)
        self.questions_asked += 1
        hint = None
        if self.mode == "coach":
            title = self.rubric.criterion(criterion_id).title
            hint = f"Coach: '{title}' still needs this: {missing.rstrip('.')}."
        return Reply(probe, hint=hint, criterion=criterion_id)

    def restore(self, transcript: Transcript) -> None:
        """Rebuild state from a cut-off round's transcript so a resumed round never repeats a probe."""
        asked = [t.text for t in transcript.turns if t.speaker == "interviewer"]
        probes = {p for c in self.rubric.criteria for p in c.probes}
        self.asked_probes = {p for p in probes if any(p in text for text in asked)}
        self.questions_asked = max(1, len(asked))
        stamps = [t.ended or t.started for t in transcript.turns if (t.ended or t.started)]
        elapsed = (max(stamps) - min(stamps)).total_seconds() if len(stamps) > 1 else 0.0
        self.started_at = self.clock() - elapsed
        for question in self.spec.questions:
            if any(question.text in text for text in asked):
                self.question = question
