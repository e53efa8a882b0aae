"""A readable, pipe-friendly rendering of a transcript with turn numbers (what evidence cites)."""

from __future__ import annotations

import textwrap

from mockint.domain.transcript import Transcript


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def _printable(text: str) -> str:
    """Terminal control codes in a transcript (it is untrusted input) are shown escaped, never sent to the terminal."""
    return "".join(ch if ch.isprintable() or ch in "\n\t" else repr(ch)[1:-1] for ch in text)


def render_transcript(transcript: Transcript, *, width: int = 100) -> str:
    meta = transcript.meta
    head = [f"# {meta.id}"]
    facts = [
        ("round", meta.round),
        ("track", meta.track),
        ("company", meta.company),
        ("mode", meta.mode),
        (
            "interviewer",
            f"{meta.backend}" + (f" ({meta.model})" if meta.model else "") if meta.backend and meta.backend != "import" else None,
        ),
        ("candidate", meta.candidate_name),
        ("source", meta.source),
        ("started", meta.started.strftime("%Y-%m-%d %H:%M") if meta.started else None),
    ]
    head.append("  ".join(f"{k}: {v}" for k, v in facts if v))
    status = "finished" if transcript.finished else "cut off (can be resumed)"
    head.append(f"{len(transcript.turns)} turns, {len(transcript.candidate_turns())} from the candidate; {status}")
    out = ["\n".join(head), ""]
    body_width = max(40, width - 6)
    notes: dict[int, list[str]] = {}
    for note in transcript.notes:
        notes.setdefault(note.turn, []).append(note.text)
    for turn in transcript.turns:
        who = "Interviewer" if turn.speaker == "interviewer" else "Candidate"
        if turn.speaker == "candidate" and meta.candidate_name:
            who = f"Candidate ({meta.candidate_name})"
        label = f"[{turn.index}] {who}"
        if turn.offset is not None:
            label += f"  {_clock(turn.offset)}"
        if turn.partial:
            label += "  (cut off)"
        out.append(label)
        for para in _printable(turn.text).split("\n"):
            wrapped = textwrap.wrap(para, body_width) or [""]
            out.extend("    " + line for line in wrapped)
        for text in notes.get(turn.index, []):  # coach notes: advice to the candidate, not the interviewer's words
            out.extend(
                textwrap.wrap(_printable(text), body_width, initial_indent="    [coach] ", subsequent_indent="            ")
            )
        out.append("")
    return "\n".join(out)
