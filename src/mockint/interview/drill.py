"""The drill interviewer: the scripted interviewer on a one-criterion rubric. Its opening asks the question together
with the criterion's first probe, and when an answer already shows the criterion it asks the criterion's next probe
instead of closing early, so a drill gets its few questions."""

from __future__ import annotations

from dataclasses import dataclass

from mockint.domain.transcript import Transcript
from mockint.interview import followups as fu
from mockint.interview.base import Reply
from mockint.interview.listening import AnswerReading
from mockint.interview.scripted import ScriptedInterviewer


def drill_intro(title: str, questions: int) -> str:
    return f"A short drill on one thing: {title[:1].lower()}{title[1:]}. {questions} questions, and only that is graded."


@dataclass
class DrillInterviewer(ScriptedInterviewer):
    """A ScriptedInterviewer whose rubric holds only the drilled criterion."""

    def opening(self) -> Reply:
        self.started_at = self.clock()
        self.question = self.choose_question()
        self.questions_asked = 1
        crit = self.rubric.criteria[0]
        probe = crit.probes[0]
        self.asked_probes.add(probe)
        self.current = f"{self.question.text} {probe}"
        return Reply(f"{drill_intro(crit.title, self.spec.max_questions)}\n\n{self.current}", move="opening", criterion=crit.id)

    def _move_on(self, transcript: Transcript, last: AnswerReading, given: set[str], lead: str | None = None) -> Reply:
        reply = super()._move_on(transcript, last, given, lead)
        if not reply.done:
            return reply
        crit = self.rubric.criteria[0]
        probe = next((p for p in crit.probes if p not in self.asked_probes and p not in self.asked), None)
        if probe is None:
            return reply
        self.asked_probes.add(probe)
        ack = lead if lead is not None else fu.acknowledge(last, len(self.asked))
        return self._ask(f"{ack} {probe}".strip(), move="move_on", aspect=fu.probe_aspect(probe), criterion=crit.id)
