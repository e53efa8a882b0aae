"""Plain-text and Markdown transcripts: paragraphs that start with a speaker label.

The labels are `Interviewer:` and `Candidate:` (any case; Markdown may bold them, `**Candidate:**`), or
people's names (`Priya Raman:`) with `--candidate NAME` saying who the candidate is; every other named
speaker is the interviewer, as in WebVTT. A name counts as a speaker when it is the candidate's or starts
at least two lines (two paragraphs, in a file that labels its candidate `Candidate:`), so a one-off
"Goal: ..." or headings on consecutive lines inside an answer stay text. A named speaker without
`--candidate` is an error naming its line, never merged into someone else's turn. A line without a
label continues the current speaker's turn, blank lines included; lines before the first label (a title,
a date) are a preamble and belong to no turn. Consecutive paragraphs of one speaker merge into one turn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mockint.domain.transcript import Speaker
from mockint.errors import MockintError

RawTurn = tuple[Speaker, str, int]  # speaker, text, line where the turn starts

_BOLD_COLON = r"[ \t]*(?::[ \t]*(?:\*\*|__)|(?:\*\*|__)[ \t]*:|:)[ \t]?(.*)$"
_LABEL = re.compile(
    r"^[ \t]*(?:>[ \t]*)?(?:[-*][ \t]+)?"  # optional quote or bullet
    r"(?:\*\*|__)?[ \t]*(interviewer|candidate)" + _BOLD_COLON,
    re.IGNORECASE,
)
# a person's name: one to four capitalised words at the very start of a line (bold allowed, no bullet)
_NAMED = re.compile(r"^[ \t]*(?:\*\*|__)?[ \t]*([^\W\d_][\w.'-]*(?:[ \t][^\W\d_][\w.'-]*){0,3})" + _BOLD_COLON)
KNOWN = ("interviewer", "candidate")


@dataclass
class Labelled:
    """The turns, and the names behind the roles when the file used names."""

    turns: list[RawTurn]
    candidate_name: str | None = None
    interviewer_names: list[str] = field(default_factory=list)


def _is_name(name: str) -> bool:
    """'Priya Raman', 'Dr. Lee' or 'Ana', not 'TASK' (a heading in capitals) or 'I think we'."""
    words = name.split()
    return all(w[0].isupper() for w in words) and not (len(name) > 1 and name.isupper())


def _named_lines(lines: list[str]) -> list[tuple[int, str]]:
    """(line number, name) of every line that starts with a name label other than the two known ones."""
    out = []
    for lineno, line in enumerate(lines, start=1):
        match = _NAMED.match(line)
        if match and match.group(1).casefold() not in KNOWN and _is_name(match.group(1)):
            out.append((lineno, match.group(1)))
    return out


def _roles(lines: list[str], shown: str, candidate: str | None) -> tuple[dict[str, Speaker], str | None, list[str]]:
    """Which names are speakers, and in which role; errors for a named speaker nobody placed."""
    count: dict[str, int] = {}
    paragraphs: dict[str, int] = {}
    first: dict[str, int] = {}
    for lineno, name in _named_lines(lines):
        count[name] = count.get(name, 0) + 1
        if lineno == 1 or not lines[lineno - 2].strip():
            paragraphs[name] = paragraphs.get(name, 0) + 1
        first.setdefault(name, lineno)
    chosen = next((n for n in first if candidate is not None and n.casefold() == candidate.casefold()), None)
    labelled_candidate = any((m := _LABEL.match(line)) and m.group(1).lower() == "candidate" for line in lines)
    # where the candidate is labelled `Candidate:`, a name is a speaker only when it starts two paragraphs, so
    # headings on consecutive lines ("Task: ...") stay text; in a file of names, when it starts two lines
    tally = paragraphs if labelled_candidate else count
    others = sorted((n for n, c in tally.items() if c >= 2 and n != chosen), key=lambda n: first[n])
    if candidate is None and others:
        name = others[0]
        raise MockintError(
            f"speaker {name!r} is neither Interviewer nor Candidate; label it so, or say who the candidate is with "
            "--candidate NAME (every other named speaker is then the interviewer)",
            path=shown,
            line=first[name],
        )
    if candidate is not None and chosen is None and others and not labelled_candidate:
        speakers = ", ".join(sorted(others))
        raise MockintError(f"no speaker named {candidate!r} (speakers: {speakers})", path=shown, line=first[others[0]])
    roles: dict[str, Speaker] = {name: "interviewer" for name in others}
    if chosen is not None:
        roles[chosen] = "candidate"
    return roles, chosen, others


def parse_labelled(text: str, shown: str, *, markdown: bool, candidate: str | None = None) -> Labelled:
    lines = text.split("\n")
    roles, chosen, interviewers = _roles(lines, shown, candidate)
    turns: list[list] = []
    for lineno, line in enumerate(lines, start=1):
        speaker: Speaker | None = None
        body = ""
        match = _LABEL.match(line)
        if match:
            speaker = "interviewer" if match.group(1).lower() == "interviewer" else "candidate"
            body = match.group(2)
        elif roles and (named := _NAMED.match(line)) and named.group(1) in roles:
            speaker, body = roles[named.group(1)], named.group(2)
        if speaker is not None:
            if turns and turns[-1][0] == speaker:
                turns[-1][1].extend(["", body])
            else:
                turns.append([speaker, [body], lineno])
        elif turns:
            turns[-1][1].append(line)
        # lines before the first label are a preamble (a title, a date, notes) and are not part of any turn
    out: list[RawTurn] = []
    for speaker, body_lines, lineno in turns:
        body = "\n".join(body_lines).strip()
        if markdown:
            body = re.sub(r"\n\s*(-{3,}|\*{3,}|_{3,})\s*$", "", body).strip()
        if body:
            out.append((speaker, body, lineno))
    if not turns:
        raise MockintError(
            "no speaker labels found (expected paragraphs starting 'Interviewer:' or 'Candidate:', or names with "
            "--candidate NAME)",
            path=shown,
            line=1,
        )
    return Labelled(out, chosen, interviewers)
