"""TUI test helpers: a bounded wait instead of sleeps, a fixed clock, and a UTC timezone for stable dates."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from mockint.tui.app import MockintApp


async def wait_until(pilot: Pilot, predicate: Callable[[], object], timeout: float = 10.0, what: str = "") -> None:
    """Poll `predicate` between event-loop turns until it is true; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        await pilot.pause()
        try:
            if predicate():
                return
        except Exception:  # a widget not mounted yet, for example
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what or predicate}")
        await asyncio.sleep(0.01)


def fixed_clock() -> float:
    return 1000.0


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> None:
    """Dates in lists are local time: pin it so snapshots are the same on every machine."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()


@pytest.fixture
def make_app() -> Callable[..., MockintApp]:
    def make(**kwargs: object) -> MockintApp:
        kwargs.setdefault("clock", fixed_clock)
        kwargs.setdefault("stream_delay", 0.0)
        kwargs.setdefault("seed", 7)
        return MockintApp(**kwargs)  # type: ignore[arg-type]

    return make


@pytest.fixture
def transcripts(mockint_home: Path) -> Path:
    from mockint import config

    return config.transcripts_dir()


STRONG_ANSWERS = (
    "I would focus on first-time home buyers who save renovation pins but stall before starting, "
    "because about a third of them churn within two weeks.",
    "I would ship a project planner board: first, a checklist built from saved pins; then a budget estimate. "
    "Weekly saves per user up 8% within six weeks, while hide rate stays under 2%.",
    "The trade-off is that we skip the shopping integration for now, because it needs merchant data we do not have; "
    "I would defer it to Q3.",
)


def write_transcript(
    folder: Path,
    name: str,
    *,
    round_id: str = "product_sense",
    started: str = "2026-03-02T09:30:00+00:00",
    answers: tuple[str, ...] = STRONG_ANSWERS,
    finished: bool = True,
) -> Path:
    """A native transcript with fixed times, so lists and snapshots do not depend on the clock."""
    from datetime import datetime

    from mockint.domain.transcript import Transcript, TranscriptMeta, Turn
    from mockint.transcripts.store import serialise, write_atomic

    when = datetime.fromisoformat(started)
    meta = TranscriptMeta(
        id=name, round=round_id, track="pm", company="pinterest", rubric=round_id, mode="realistic", started=when, ended=when
    )
    turns: list[Turn] = []
    questions = ("Pick a user and a problem for Pinterest.", "What would you ship first?", "What would you not do?")
    for i, answer in enumerate(answers):
        turns.append(Turn(index=len(turns) + 1, speaker="interviewer", text=questions[i % len(questions)]))
        turns.append(Turn(index=len(turns) + 1, speaker="candidate", text=answer))
    path = folder / f"{name}.jsonl"
    write_atomic(path, serialise(Transcript(meta=meta, turns=turns, finished=finished)))
    return path


def screen_text(app: MockintApp) -> str:
    """What the terminal shows now, as text (one line per row), to check that whole strings fit."""
    return "\n".join("".join(segment.text for segment in strip) for strip in app.screen._compositor.render_strips())
