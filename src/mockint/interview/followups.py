"""Choosing the next question from the last answer: dig where it was thin, in the candidate's own words;
move on when it was complete; never ask for what an answer already gave; never hammer one criterion.

Pure functions over an `AnswerReading`, so the scripted interviewer and the LLM interviewer's private
guidance make the same choice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mockint.domain.rubric import Criterion, Rubric
from mockint.interview.listening import AnswerReading

# What each thin spot asks for, and what (once given anywhere) makes the question redundant.
DIG: dict[str, tuple[str, str | None, str]] = {
    # aspect: (template, aspect that fills it, detector a rubric criterion must use for it to matter)
    "deferred": ("You said “{p}”. If you had to decide today, what would you pick, and why?", None, ""),
    "vague_user": (
        "When you say “{p}”, who exactly do you mean, and at what moment does it go wrong for them?",
        "user",
        "user",
    ),
    "metric_no_target": ("You mentioned “{p}”. How much would it move, and by when?", "metric", "metric"),
    "user_pain": ("You said “{p}”. Where exactly do they get stuck today?", "pain", "user"),
    "metric_no_guardrail": (
        "“{p}” is a clear target. What must not get worse, and what would make you roll it back?",
        "guardrail",
        "metric",
    ),
    "plan_no_checkpoint": ("You'd start with “{p}”. What has to be true before you take the next step?", "checkpoint", "plan"),
    "risk_no_mitigation": ("You raised “{p}”. What would you do if that happened?", "mitigation", "mitigation"),
    "we_no_i": ("You said “{p}”. What did you personally do there?", "ownership", "ownership"),
    "claim_no_mechanism": ("You said “{p}”. How exactly would that happen?", "mechanism", "mechanism"),
    "no_specifics": ("“{p}”: can you make that concrete? For whom, and what exactly would change for them?", "user", ""),
    "metric_no_experiment": (
        "What would you compare “{p}” against, to be sure your change caused it?",
        "experiment",
        "metric",
    ),
}
DIG_ORDER = [a for a in DIG if a != "no_specifics"] + ["no_specifics"]

# When the candidate does not know: a smaller step toward the most important thing still missing.
SMALL_STEP: dict[str, str] = {
    "build": "Just tell me one thing you would build first, even a small one.",
    "user": "Just name one group of people this is for. Who comes to mind first?",
    "metric": "Forget the exact number for now: what is the one thing you would count?",
    "plan": "What is the very first thing you would do?",
    "tradeoff": "If you could keep only one part of this, which would it be?",
    "mitigation": "What is the one thing most likely to go wrong?",
    "ownership": "What is one decision you made yourself?",
    "example": "Can you give me one everyday example?",
    "analogy": "Can you compare it to something from everyday life?",
    "quantity": "Roughly how big is it: tens, thousands, millions?",
    "timeline": "Roughly when: weeks, months, a quarter?",
}
# Coach mode: what to do next time, in plain words, by what was missing.
COACH: dict[str, str] = {
    "user": "Say exactly who this is for and the moment it goes wrong for them.",
    "pain": "Describe the moment it breaks down for that person, before any solution.",
    "metric": "Name the number you would move, by how much, and by when.",
    "guardrail": "Add what must not get worse, so you know when to roll back.",
    "experiment": "Say how you'd tell your change caused the result: a holdout or an A/B test.",
    "plan": "Give the steps in order, and what must be true before each next one.",
    "checkpoint": "Put a gate between steps: a number that has to hold before you expand.",
    "tradeoff": "Say what you'd deliberately leave out and what it costs you.",
    "mitigation": "Name the biggest risk and exactly what you'd do if it happens.",
    "ownership": "Use 'I': say what you personally decided or did.",
    "mechanism": "Explain how it works, step by step, not only that it helps.",
    "example": "Walk through one concrete example from start to finish.",
    "analogy": "Try an everyday comparison whose parts map onto the real ones.",
    "quantity": "Put a number on it, even a rough one.",
    "timeline": "Say when: a date, a number of weeks, a quarter.",
    "decide": "Pick one option and say why; you can mention what you'd revisit later.",
    "answer": "Answer the question asked first, in one sentence, then add detail.",
}
# The aspect a rubric probe asks for, so a probe is not asked once an answer has given it.
_PROBE_ASPECT = [
    (re.compile(r"measur|know .*work|metric|success|number would|move the needle"), "metric"),
    (re.compile(r"\bwho\b|which (?:users|pinners|people|group|segment)|for whom"), "user"),
    (re.compile(r"go wrong|risk|fail"), "mitigation"),
    (re.compile(r"give up|trade|not build|leave out|instead|cost"), "tradeoff"),
    (re.compile(r"roll ?out|stages?|launch|first version|ship first|sequence|critical path"), "plan"),
    (re.compile(r"you personally|your role|what did you do|your decision"), "ownership"),
    (re.compile(r"example|analogy|compare"), "example"),
    (re.compile(r"ship|build|what would you (?:do|make)|one thing"), "build"),
]
ACKS = ["Thanks, “{p}” helps.", "Got it: “{p}”.", "OK, “{p}”, that's clear."]


def probe_aspect(probe: str) -> str | None:
    low = probe.lower()
    return next((aspect for rx, aspect in _PROBE_ASPECT if rx.search(low)), None)


def criterion_for(rubric: Rubric, detector: str) -> Criterion | None:
    """The most important criterion with a signal that uses this detector (None when the round has none)."""
    for crit in sorted(rubric.criteria, key=lambda c: (not c.must_pass, -c.weight, c.id)):
        if any(s.detector == detector for s in crit.signals):
            return crit
    return None


@dataclass(frozen=True)
class Choice:
    """A follow-up: its text, what it digs for, the criterion it serves, and the phrase it picked up."""

    text: str
    aspect: str
    criterion: str | None
    pickup: str | None


def dig(rubric: Rubric, last: AnswerReading, given: set[str], recent: list[str | None], asked: set[str]) -> Choice | None:
    """The follow-up into the thinnest spot of the last answer that the round cares about and nobody gave yet."""
    for aspect in DIG_ORDER:
        phrase = last.thin.get(aspect)
        if not phrase:
            continue
        template, fills, detector = DIG[aspect]
        if fills is not None and fills in given:
            continue
        crit = criterion_for(rubric, detector) if detector else None
        if detector and crit is None:
            continue
        cid = crit.id if crit else None
        if cid is not None and recent[-2:] == [cid, cid]:
            continue
        text = template.format(p=phrase)
        if text in asked:
            continue
        return Choice(text, aspect, cid, phrase)
    return None


def acknowledge(last: AnswerReading, n: int) -> str:
    """A short lead-in that shows the answer was heard, quoting its most specific phrase."""
    if not last.pickups:
        return ""
    return ACKS[n % len(ACKS)].format(p=last.pickups[0])


def coach_note(aspect: str | None) -> str | None:
    """Plain-words advice for what the answer lacked (a thin spot, or a detector the round still needs)."""
    if aspect in DIG:
        aspect = DIG[aspect][1] or "decide"
    return COACH.get(aspect or "")


def rephrase(question: str) -> str:
    """A second way to ask the same question: its core (the sentence with the question mark), put simply."""
    sentences = [s.strip() for s in re.split(r"(?<=[.?!])\s+", question.strip()) if s.strip()]
    core = next((s for s in reversed(sentences) if s.endswith("?")), sentences[-1] if sentences else question)
    if core != question.strip():
        return f"Let me put it another way: {core}"
    return f"Let me put it another way. In one or two sentences: {core[0].lower()}{core[1:]}"


_ASPECT_WORDS = {
    "user": "a specific user or segment",
    "pain": "the moment it goes wrong for them",
    "metric": "a metric with a target and a time frame",
    "guardrail": "a guardrail",
    "experiment": "how the result would be attributed (holdout or A/B)",
    "plan": "ordered steps",
    "checkpoint": "a gate between steps",
    "tradeoff": "a trade-off with its cost",
    "mitigation": "a risk with its mitigation",
    "ownership": "what they personally did",
    "example": "a concrete example",
    "analogy": "an analogy",
    "quantity": "numbers",
    "timeline": "dates or time frames",
    "mechanism": "how it works",
}
_THIN_WORDS = {
    "deferred": "no decision",
    "vague_user": "who exactly?",
    "metric_no_target": "how much, by when?",
    "user_pain": "where do they get stuck?",
    "metric_no_guardrail": "what must not get worse?",
    "plan_no_checkpoint": "what gates the next step?",
    "risk_no_mitigation": "what if it happens?",
    "we_no_i": "what did they do personally?",
    "claim_no_mechanism": "how exactly?",
    "metric_no_experiment": "how attributed?",
    "no_specifics": "nothing concrete",
}
_MOVE_ADVICE = {
    "repeat": "The candidate asked you to repeat the question: repeat it (another way if asked twice). Ask nothing new.",
    "wait": "The candidate asked for a moment to think: say you will wait. Ask nothing new.",
    "dont_know": "The candidate said they don't know: offer a smaller, easier step toward the same point.",
    "pass": "The candidate passed: offer a smaller, easier step, or move on.",
    "off_topic": "The last answer was about something other than your question: steer them back to it, briefly.",
    "deferral": "The last answer put off deciding: ask them to pick one option now and say why.",
}


def guidance(rubric: Rubric, last: AnswerReading, given: set[str], recent: list[str | None], asked: set[str]) -> str:
    """The same reading of the last answer, in words, for a model interviewer's private guidance."""
    parts: list[str] = []
    if last.move in _MOVE_ADVICE:
        parts.append(_MOVE_ADVICE[last.move])
    gave = [_ASPECT_WORDS[a] for a in sorted(last.gave) if a in _ASPECT_WORDS]
    if gave:
        parts.append("The last answer gave " + "; ".join(gave) + ".")
    thin = [f"“{p}” ({_THIN_WORDS[a]})" for a, p in last.thin.items() if a in _THIN_WORDS]
    if thin:
        parts.append("It left thin: " + "; ".join(thin[:3]) + ".")
    done = [_ASPECT_WORDS[a] for a in sorted(given) if a in _ASPECT_WORDS]
    if done:
        parts.append("Do not ask again for what the answers already gave: " + "; ".join(done) + ".")
    if last.long:
        parts.append("The last answer ran long: cut in politely and ask one pointed question.")
    choice = dig(rubric, last, given, recent, asked) if last.move in ("answer", "deferral") else None
    if choice is not None:
        parts.append(f'A follow-up built on their own words that you could adapt: "{choice.text}"')
    elif last.pickups:
        parts.append(f"Pick up their own words when you ask, for example “{last.pickups[0]}”.")
    return " ".join(parts)
