"""WebVTT transcripts (meeting recordings): cues with `<v Name>` voice tags or `Name:` prefixes.

Consecutive cues of one speaker merge into one turn. The candidate is the speaker named by
`--candidate`, or else the one who says the most words; everyone else is the interviewer.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from mockint.domain.transcript import Speaker
from mockint.errors import MockintError

_TIMING = re.compile(
    r"^(?P<start>(?:\d{1,}:)?\d{2}:\d{2}[.,]\d{3})[ \t]+-->[ \t]+(?P<end>(?:\d{1,}:)?\d{2}:\d{2}[.,]\d{3})(?:[ \t]+.*)?$"
)
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?[ \t]+([^>]+)>", re.IGNORECASE)
_TAG = re.compile(r"</?[a-zA-Z][^>]*>|<\d[\d:.]*>")
_PREFIX = re.compile(r"^([A-Z][\w.'-]*(?:[ \t][A-Z][\w.'-]*){0,3})[ \t]*:[ \t]+(.*)$", re.DOTALL)


@dataclass
class Cue:
    speaker: str | None
    text: str
    start: float
    line: int
    end: float = 0.0
    prefixed: str | None = None  # the cue's text as written, when its speaker came from a `Name:` prefix


def _seconds(stamp: str, shown: str, line: int) -> float:
    parts = stamp.replace(",", ".").split(":")
    try:
        values = [float(p) for p in parts]
    except ValueError:
        raise MockintError(f"bad timestamp {stamp!r}", path=shown, line=line) from None
    if len(values) == 2:
        values.insert(0, 0.0)
    hours, minutes, seconds = values
    if minutes >= 60 or seconds >= 60:
        raise MockintError(f"bad timestamp {stamp!r} (minutes and seconds must be below 60)", path=shown, line=line)
    return hours * 3600 + minutes * 60 + seconds


def parse_cues(text: str, shown: str) -> list[Cue]:
    lines = text.split("\n")
    if not lines or not lines[0].lstrip("\ufeff").startswith("WEBVTT"):
        raise MockintError("not a WebVTT file (the first line must be 'WEBVTT')", path=shown, line=1)
    header = lines[0].lstrip("\ufeff")
    if len(header) > 6 and header[6] not in " \t":
        raise MockintError("not a WebVTT file (the first line must be 'WEBVTT')", path=shown, line=1)
    cues: list[Cue] = []
    i = 1
    last_start = -1.0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        block_start = i
        block: list[str] = []
        while i < len(lines) and lines[i].strip():
            block.append(lines[i])
            i += 1
        head = block[0].strip()
        if head.split()[0] in ("NOTE", "STYLE", "REGION"):
            continue
        timing_at = 0 if "-->" in block[0] else 1
        if timing_at >= len(block) or "-->" not in block[timing_at]:
            raise MockintError("cue without a timing line ('00:00:01.000 --> 00:00:04.000')", path=shown, line=block_start + 1)
        timing_line = block_start + timing_at + 1
        match = _TIMING.match(block[timing_at].strip())
        if not match:
            raise MockintError(f"bad cue timing {block[timing_at].strip()[:60]!r}", path=shown, line=timing_line)
        start = _seconds(match["start"], shown, timing_line)
        end = _seconds(match["end"], shown, timing_line)
        if end < start:
            raise MockintError("cue ends before it starts", path=shown, line=timing_line)
        if start < last_start:
            raise MockintError("cue starts before the previous cue (cues must be in time order)", path=shown, line=timing_line)
        last_start = start
        body = "\n".join(block[timing_at + 1 :])
        speaker: str | None = None
        voice = _VOICE.search(body)
        if voice:
            speaker = voice.group(1).strip()
        body = html.unescape(_TAG.sub("", body)).strip()
        prefixed = None
        if speaker is None:
            prefix = _PREFIX.match(body)
            if prefix:
                prefixed = re.sub(r"[ \t]*\n[ \t]*", " ", body).strip()
                speaker, body = prefix.group(1).strip(), prefix.group(2).strip()
        body = re.sub(r"[ \t]*\n[ \t]*", " ", body).strip()
        if body:
            cues.append(Cue(speaker, body, start, timing_line, end, prefixed))
    return _real_prefixes(cues)


def _real_prefixes(cues: list[Cue]) -> list[Cue]:
    """`Name:` is a speaker only if that name speaks in a `<v>` tag too, or prefixes at least two cues;
    a one-off "Success Metric: ..." is part of what the current speaker said."""
    voiced = {c.speaker for c in cues if c.speaker is not None and c.prefixed is None}
    counts: dict[str, int] = {}
    for c in cues:
        if c.prefixed is not None and c.speaker is not None:
            counts[c.speaker] = counts.get(c.speaker, 0) + 1
    for c in cues:
        if c.prefixed is not None and c.speaker not in voiced and counts.get(c.speaker or "", 0) < 2:
            c.speaker, c.text = None, c.prefixed
    return cues


def parse_vtt(
    text: str, shown: str, candidate: str | None = None
) -> tuple[list[tuple[Speaker, str, float, int, float]], dict[str, str]]:
    """Turns (speaker role, text, start seconds, line, end seconds) and the names behind each role."""
    cues = parse_cues(text, shown)
    if not cues:
        raise MockintError("no cues with text", path=shown)
    merged: list[list] = []  # [name, [texts], start, line, end]
    for cue in cues:
        name = cue.speaker if cue.speaker is not None else (merged[-1][0] if merged else None)
        if merged and merged[-1][0] == name:
            merged[-1][1].append(cue.text)
            merged[-1][4] = max(merged[-1][4], cue.end)
        else:
            merged.append([name, [cue.text], cue.start, cue.line, cue.end])
    words: dict[str | None, int] = {}
    for name, texts, _, _, _ in merged:
        words[name] = words.get(name, 0) + sum(len(t.split()) for t in texts)
    named = [n for n in words if n is not None]
    if candidate is not None:
        chosen = next((n for n in named if n.casefold() == candidate.casefold()), None)
        if chosen is None:
            speakers = ", ".join(sorted(named)) or "none"
            raise MockintError(f"no speaker named {candidate!r} (speakers: {speakers})", path=shown)
    else:
        if len(named) < 2:
            raise MockintError(
                "cannot tell interviewer from candidate: fewer than two named speakers (use <v Name> tags or 'Name:' prefixes)",
                path=shown,
            )
        chosen = max(named, key=lambda n: words[n])
    interviewers = sorted({n for n in named if n != chosen})
    turns: list[tuple[Speaker, str, float, int, float]] = []
    for name, texts, start, line, end in merged:
        role: Speaker = "candidate" if name == chosen else "interviewer"
        text = " ".join(texts)
        if turns and turns[-1][0] == role:
            prev = turns[-1]
            turns[-1] = (role, prev[1] + "\n\n" + text, prev[2], prev[3], max(prev[4], end))
        else:
            turns.append((role, text, start, line, end))
    return turns, {"candidate": chosen or "", "interviewer": ", ".join(interviewers)}
