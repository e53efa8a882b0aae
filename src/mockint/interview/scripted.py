"""The offline interviewer: a question from the round's bank, then follow-ups built on the last answer
(read the way the grader reads it): it digs where the answer was thin, quoting the candidate's own
words, moves on when it was complete, answers conversation moves (repeat the question, give me a
minute, I don't know, off-topic, a monologue) and closes in a way that fits why the round ended."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from mockint.domain.round import Question, RoundSpec
from mockint.domain.rubric import Rubric
from mockint.domain.transcript import Transcript
from mockint.grading.offline import analyse, grade_criteria
from mockint.grading.reading import read
from mockint.interview import followups as fu
from mockint.interview.base import Delta, Reply, emit, restore_state
from mockint.interview.listening import AnswerReading, given_so_far, read_answer


def pick_question(spec: RoundSpec, company: str | None, seed: int | None) -> Question:
    """A random (seedable) opening question; `generic` or another company leaves out company-specific ones."""
    rng = random.Random(seed)
    if company in (None, "pinterest"):
        bank = [q for q in spec.questions if q.company in (None, "pinterest")]
    else:
        bank = [q for q in spec.questions if q.company is None]
    return rng.choice(bank or list(spec.questions))


def probe_target(
    rubric: Rubric, transcript: Transcript, asked: set[str], skip: frozenset[str] = frozenset()
) -> tuple[str, str, str] | None:
    """(criterion id, what is missing, next unused probe) for the most important criterion not yet shown
    (leaving out the criteria in `skip`)."""
    graded = {g.id: g for g in grade_criteria(rubric, analyse(transcript))}
    for crit in sorted(rubric.criteria, key=lambda c: (not c.must_pass, -c.weight)):
        got = graded[crit.id]
        if crit.id in skip or (got.score is not None and got.score >= rubric.must_pass_bar):
            continue
        probe = next((p for p in crit.probes if p not in asked), None)
        if probe is not None:
            missing = got.missing[0] if got.missing else crit.description
            return crit.id, missing, probe
    return None


STEER = "Let's come back to the question I asked."
STEER_AGAIN = "I'd like us to stay on my question, so let me put it another way:"
def coach_hints(rubric: Rubric, transcript: Transcript) -> list[str]:
    """Plain-words notes for what the answers still lack, most useful first: the thin spots of the last
    answer, then what the most important criteria below the bar still need."""
    answers = transcript.candidate_turns()
    reading = read(transcript)
    given = given_so_far(transcript, reading) if answers else set()
    out: list[str] = []
    if answers:
        last = read_answer(transcript, answers[-1].index, reading)
        if last.move != "answer":
            out.append(fu.COACH["answer"])
        for aspect in fu.DIG_ORDER:
            if aspect in last.thin:
                out.append(fu.coach_note(aspect) or "")
    graded = {g.id: g for g in grade_criteria(rubric, analyse(transcript))}
    for crit in sorted(rubric.criteria, key=lambda c: (not c.must_pass, -c.weight, c.id)):
        got = graded[crit.id]
        if got.score is not None and got.score >= rubric.must_pass_bar:
            continue
        for signal in crit.signals:
            if signal.detector and signal.detector not in given:
                out.append(fu.COACH.get(signal.detector, ""))
    return list(dict.fromkeys(h for h in out if h))  # in order, each once


CloseReason = str  # "time", "budget", "ended", "no_answers"


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
    asked: set[str] = field(default_factory=set)  # every follow-up text asked, so none is asked twice
    recent: list[str | None] = field(default_factory=list)  # criteria of the follow-ups, in order
    current: str = ""  # the question now waiting for an answer (what "repeat the question" repeats)
    repeats: int = 0
    notes_given: set[str] = field(default_factory=set)

    def choose_question(self) -> Question:
        return pick_question(self.spec, self.company, self.seed)

    @property
    def generic(self) -> bool:
        return self.company not in (None, "pinterest")

    def opening(self) -> Reply:
        self.started_at = self.clock()
        self.question = self.choose_question()
        self.questions_asked = 1
        self.current = self.question.text
        intro = self.spec.opening.strip()
        if self.generic and "pinterest" in intro.lower():
            first = self.spec.persona.name.split()[0]
            intro = (
                f"Hi, I'm {first}. I'll be your interviewer for this {self.spec.title.lower()} round. Let's get "
                "started; think out loud, and tell me when you're making an assumption."
            )
        return Reply(f"{intro}\n\n{self.question.text}" if intro else self.question.text, move="opening")

    def minutes_left(self) -> float:
        if self.started_at is None:
            return float(self.spec.duration_minutes)
        return self.spec.duration_minutes - (self.clock() - self.started_at) / 60

    def closing(self, reason: CloseReason = "ended", transcript: Transcript | None = None) -> Reply:
        """A close that fits why the round ended, naming something the candidate said when there is one."""
        answered = transcript is not None and bool(transcript.candidate_turns())
        if reason == "no_answers" or (transcript is not None and not answered):
            return Reply("No problem, we can do this another time. Nothing was answered, so there is nothing to grade.",
                         done=True, move="close:no_answers")  # fmt: skip
        heard = ""
        if transcript is not None:
            last = read_answer(transcript, transcript.candidate_turns()[-1].index)
            picked = next((p for p in last.pickups if len(p.split()) >= 2), None)
            heard = f" I appreciated the detail on “{picked}”." if picked else ""
        if reason == "time":
            base = self.spec.closing.strip() if not self.generic else ""
            text = base or "That's our time, so I'll stop us there. Thank you for thinking this through with me."
            text = text.replace("That's our time.", "That's our time, so I'll stop us there.", 1)
        elif reason == "budget":
            text = "That's everything I wanted to ask. Thank you for walking me through it." + heard
        else:
            text = "Sure, let's stop here. Thanks for your time today." + heard
        return Reply(text + ("" if reason != "time" else heard), done=True, move=f"close:{reason}")

    def _note(self, aspect: str | None) -> str | None:
        """Coach mode: one plain-words note per thing missing, never the same one twice."""
        if self.mode != "coach":
            return None
        note = fu.coach_note(aspect)
        if note is None or note in self.notes_given:
            return None
        self.notes_given.add(note)
        return note

    def _ask(self, text: str, *, move: str, aspect: str | None, criterion: str | None, note_for: str | None = None) -> Reply:
        self.questions_asked += 1
        self.asked.add(text)
        self.recent.append(criterion)
        self.current = text
        self.repeats = 0
        return Reply(text, hint=self._note(note_for or aspect), criterion=criterion, move=move, aspect=aspect)

    def _blocked(self) -> frozenset[str]:
        """A criterion asked about twice in a row is not asked about a third time."""
        last = self.recent[-2:]
        return frozenset(c for c in last if c is not None and last.count(c) == 2)

    def _most_needed(self, transcript: Transcript, given: set[str]) -> tuple[str | None, str | None]:
        """(criterion, aspect) of the most important criterion still below the bar: what a smaller step asks for."""
        target = probe_target(self.rubric, transcript, set(), self._blocked())
        if target is None:
            return None, None
        crit = self.rubric.criterion(target[0])
        aspect = fu.probe_aspect(target[2])
        if aspect is None or aspect in given:
            aspect = next((sg.detector for sg in crit.signals if sg.detector and sg.detector not in given), None)
        return crit.id, aspect

    def next_reply(self, transcript: Transcript) -> Reply:
        """The next interviewer turn, chosen from the last answer and everything said before it."""
        answers = transcript.candidate_turns()
        if not answers:
            return Reply(self.current or (self.question.text if self.question else ""), move="repeat")
        if self.minutes_left() <= 0:
            return self.closing("time", transcript)
        reading = read(transcript)
        last = read_answer(transcript, answers[-1].index, reading)
        if last.move == "repeat":
            self.repeats += 1
            again = self.current if self.repeats == 1 else fu.rephrase(self.current)
            return Reply(f"Of course. {again}" if self.repeats == 1 else again, move="repeat")
        if last.move == "wait":
            return Reply("Take your time. Start whenever you're ready.", move="wait")
        if self.questions_asked >= self.spec.max_questions:
            return self.closing("budget", transcript)
        given = given_so_far(transcript, reading)
        if last.move in ("dont_know", "pass"):
            criterion, detector = self._most_needed(transcript, given)
            step = fu.SMALL_STEP.get(detector or "", "What is the first thing that comes to mind, even if it is rough?")
            text = f"That's fine, let's make it smaller. {step}"
            if text in self.asked:  # the smaller step did not help either: leave it and move on
                return self._move_on(transcript, last, given, lead="No problem, let's leave that one.")
            return self._ask(text, move="smaller_step", aspect=detector, criterion=criterion)
        if last.move == "off_topic":
            question = self.question.text if self.question else self.current
            steers = sum(1 for text in self.asked if STEER in text)
            subject = f"You're describing “{last.pickups[0]}”. " if last.pickups else ""
            if steers == 0:
                return self._ask(f"{subject}{STEER} {question}", move="steer_back", aspect="answer", criterion=None)
            if steers == 1:
                again = fu.rephrase(question).removeprefix("Let me put it another way").lstrip(":. ")
                return self._ask(f"{subject}{STEER_AGAIN} {again}", move="steer_back", aspect="answer", criterion=None)
            # steered twice already: carry on with follow-ups like any other answer
        choice = fu.dig(self.rubric, last, given, self.recent, self.asked)
        if last.long:
            lead = "Let me stop you there."
            if choice is not None:
                return self._ask(f"{lead} {choice.text}", move="cut_in", aspect=choice.aspect, criterion=choice.criterion)
            return self._ask(f"{lead} What is the one thing you would do first?", move="cut_in", aspect="plan", criterion=None)
        if last.move == "deferral" and choice is not None:
            return self._ask(choice.text, move="push_to_decide", aspect=choice.aspect, criterion=choice.criterion,
                             note_for="decide")  # fmt: skip
        if choice is not None:
            return self._ask(choice.text, move="dig", aspect=choice.aspect, criterion=choice.criterion)
        return self._move_on(transcript, last, given)

    def _move_on(self, transcript: Transcript, last: AnswerReading, given: set[str], lead: str | None = None) -> Reply:
        """The answer was complete: acknowledge it in its own words and take up the next criterion not yet shown."""
        blocked = self._blocked()
        graded = {g.id: g for g in grade_criteria(self.rubric, analyse(transcript))}
        for crit in sorted(self.rubric.criteria, key=lambda c: (not c.must_pass, -c.weight, c.id)):
            got = graded[crit.id]
            if crit.id in blocked or (got.score is not None and got.score >= self.rubric.must_pass_bar):
                continue
            for probe in crit.probes:
                if probe in self.asked_probes or fu.probe_aspect(probe) in given:
                    continue
                self.asked_probes.add(probe)
                ack = lead if lead is not None else fu.acknowledge(last, len(self.asked))
                detector = next((sg.detector for sg in crit.signals if sg.detector and sg.detector not in given), None)
                return self._ask(f"{ack} {probe}".strip(), move="move_on", aspect=fu.probe_aspect(probe), criterion=crit.id,
                                 note_for=detector)  # fmt: skip
        return self.closing("budget", transcript)

    def restore(self, transcript: Transcript) -> None:
        """Pick a cut-off round back up (the rule both interviewers share) so it never repeats a question."""
        state = restore_state(transcript, self.spec, self.rubric)
        self.asked_probes = set(state.asked_probes)
        self.asked = set(state.asked)
        self.questions_asked = state.questions_asked
        self.current = state.asked[-1] if state.asked else ""
        self.started_at = self.clock() - state.elapsed_seconds
        self.question = state.question or self.question
        self.notes_given = {n.text for n in transcript.notes}

    # ---- the Interviewer protocol: the same async, streamed path a model interviewer takes

    async def ask_opening(self, transcript: Transcript, on_delta: Delta = None) -> Reply:
        return emit(self.opening(), on_delta)

    async def ask_next(self, transcript: Transcript, on_delta: Delta = None) -> Reply:
        return emit(self.next_reply(transcript), on_delta)

    async def ask_closing(self, transcript: Transcript, on_delta: Delta = None) -> Reply:
        return emit(self.closing("ended", transcript), on_delta)
