"""Plain-text and Markdown transcripts: paragraphs that start with `Interviewer:` or `Candidate:`.

A line without a label continues the current speaker's turn, blank lines included; lines before the
first label (a title, a date) are a preamble and belong to no turn. Markdown may
bold the label (`**Candidate:**`). Consecutive paragraphs of one speaker merge into one turn.
"""

from __future__ import annotations

import re

from mockint.domain.transcript import Speaker
from mockint.errors import MockintError

RawTurn = tuple[Speaker, str, int]  # speaker, text, line where the turn starts

_LABEL = re.compile(
    r"^[ \t]*(?:>[ \t]*)?(?:[-*][ \t]+)?"  # optional quote or bullet
    r"(?:\*\*|__)?[ \t]*(interviewer|candidate)[ \t]*(?::[ \t]*(?:\*\*|__)|(?:\*\*|__)[ \t]*:|:)"
    r"[ \t]?(.*)$",
    re.IGNORECASE,
)


def parse_labelled(text: str, shown: str, *, markdown: bool) -> list[RawTurn]:
    turns: list[list] = []
    for lineno, line in enumerate(text.split("\n"), start=1):
        match = _LABEL.match(line)
        if match:
            speaker: Speaker = "interviewer" if match.group(1).lower() == "interviewer" else "candidate"
            body = match.group(2)
            if turns and turns[-1][0] == speaker:
                turns[-1][1].extend(["", body])
            else:
                turns.append([speaker, [body], lineno])
        elif turns:
            turns[-1][1].append(line)
        # lines before the first label are a preamble (a title, a date, notes) and are not part of any turn
    out: list[RawTurn] = []
    for speaker, lines, lineno in turns:
        body = "\n".join(lines).strip()
        if markdown:
            body = re.sub(r"\n\s*(-{3,}|\*{3,}|_{3,})\s*$", "", body).strip()
        if body:
            out.append((speaker, body, lineno))
    if not turns:
        raise MockintError(
            "no speaker labels found (expected paragraphs starting 'Interviewer:' or 'Candidate:')", path=shown, line=1
        )
    return out
