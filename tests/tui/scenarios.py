"""Every screen of the app set up the same way for snapshots and for the 80×24 checks: fixed data under the test's
MOCKINT_HOME, fixed dates, a fixed clock and seed, and a loop run with a fixed start."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import datetime
from itertools import cycle
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Select, TextArea

from mockint import config, gradestore, rubrics
from mockint.domain.grade import CriterionGrade, Evidence, Grade
from mockint.transcripts.store import read_native
from mockint.tui.app import MockintApp
from mockint.tui.data import PracticeRequest
from mockint.tui.screens.confirm import ConfirmScreen
from mockint.tui.screens.help import HelpScreen
from mockint.tui.screens.history import HistoryScreen
from mockint.tui.screens.home import HomeScreen
from mockint.tui.screens.interview import InterviewScreen
from mockint.tui.screens.loop import LoopScreen
from mockint.tui.screens.prompt import PromptScreen
from mockint.tui.screens.replay import ReplayScreen
from mockint.tui.screens.report import ReportScreen
from mockint.tui.screens.rubrics import RubricsScreen
from mockint.tui.screens.transcripts import TranscriptScreen, TranscriptsScreen
from tests.tui.conftest import STRONG_ANSWERS, fixed_clock, wait_until, write_transcript

WEAK = ("I think users want more engagement, so maybe a new feed.",)
LOOP = "pinterest_ai_pm"


def app(**kwargs: object) -> MockintApp:
    return MockintApp(clock=fixed_clock, stream_delay=0.0, seed=7, **kwargs)  # type: ignore[arg-type]


def keep_grade(
    path: Path, rubric_id: str, levels: tuple[int, ...], score: float, when: str, reasons: tuple[str, ...] = ()
) -> None:
    """A grade written by hand, so the pictures do not move whenever the offline grader is retuned."""
    loaded = rubrics.resolve(rubric_id)
    top = max(level.score for level in loaded.rubric.scale)
    quote = read_native(path).turns[1].text.split(",")[0]
    criteria = [
        CriterionGrade(
            id=c.id,
            title=c.title,
            score=level,
            max=top,
            weight=c.weight,
            must_pass=c.must_pass,
            evidence=[Evidence(turn=2, quote=quote)] if level >= 3 else [],
            rationale=f"Level {level}: what the answer showed for {c.title.lower()}.",
            missing=[] if level >= 3 else ["a number bound to a time frame"],
        )
        for c, level in zip(loaded.rubric.criteria, cycle(levels), strict=False)
    ]
    grade = Grade(
        transcript=str(path),
        rubric=rubric_id,
        rubric_version=loaded.rubric.version,
        rubric_sha256=loaded.sha256,
        grader="offline",
        score=score,
        verdict="hire" if score >= loaded.rubric.verdict.hire_min_score and not reasons else "no_hire",
        criteria=criteria,
        verdict_reasons=list(reasons),
        graded_at=datetime.fromisoformat(when),
        transcript_sha256=gradestore.transcript_sha256(path),
    )
    gradestore.save(grade, path)


def store() -> dict[str, Path]:
    """Four sessions (a strong and a weak product-sense round graded twice and once, one cut off, a loop round
    graded), with grades written by hand, and a loop run with a fixed start."""
    folder = config.transcripts_dir()
    strong = write_transcript(folder, "strong-product-sense", started="2026-03-01T09:00:00+00:00")
    weak = write_transcript(folder, "weak-product-sense", started="2026-03-03T10:00:00+00:00", answers=WEAK)
    cut = write_transcript(
        folder, "cut-technical-explainer", round_id="technical_explainer", started="2026-03-02T18:15:00+00:00", finished=False
    )
    story = write_transcript(folder, "loop-impact-story", round_id="impact_story", started="2026-03-04T09:00:00+00:00")
    keep_grade(strong, "product_sense", (4, 3, 4, 3), 82.5, "2026-03-01T10:00:00+00:00")
    keep_grade(strong, "system_design", (3, 2), 48.0, "2026-03-01T10:05:00+00:00", ("score 48 is below the hire bar of 70",))
    below = ("score 12 is below the hire bar of 70", "must-pass 'A specific user and problem before solutions' is 1, below 3")
    keep_grade(weak, "product_sense", (1,), 12.0, "2026-03-03T11:00:00+00:00", below)
    keep_grade(story, "impact_story", (2, 3), 48.6, "2026-03-04T10:00:00+00:00", ("score 49 is below the hire bar of 70",))
    loops = config.home() / "loops"
    loops.mkdir(mode=0o700, exist_ok=True)
    run = {"loop": LOOP, "started": "2026-03-04T08:55:00+00:00", "transcripts": {"hiring_manager_deep_dive": str(story)}}
    (loops / f"{LOOP}-20260304-085500.json").write_text(json.dumps(run))
    return {"strong": strong, "weak": weak, "cut": cut, "story": story}


Ready = Callable[[Pilot], Awaitable[None]]


async def _home(pilot: Pilot) -> None:
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, HomeScreen) and len(pilot.app.screen.sessions) == 4)


async def home(pilot: Pilot) -> None:
    await _home(pilot)


async def interview(pilot: Pilot) -> None:
    await _home(pilot)
    pilot.app.start_round(PracticeRequest("product_sense", seed=7, mode="coach", out=config.transcripts_dir() / "live.jsonl"))  # type: ignore[attr-defined]
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, InterviewScreen) and pilot.app.screen.session is not None)
    screen: InterviewScreen = pilot.app.screen  # type: ignore[assignment]
    await wait_until(pilot, lambda: not screen.busy)
    screen.query_one("#answer", TextArea).insert(STRONG_ANSWERS[0])
    await pilot.press("ctrl+s")
    await wait_until(pilot, lambda: len(screen.session.transcript.turns) == 3 and not screen.busy)  # type: ignore[union-attr]
    await pilot.press(*"Draft of the next")
    await pilot.pause()


async def confirm(pilot: Pilot) -> None:
    await interview(pilot)
    await pilot.press("ctrl+r")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
    await pilot.pause()


async def report(pilot: Pilot) -> None:
    await _home(pilot)
    await pilot.app.run_action("transcripts")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, TranscriptsScreen) and pilot.app.screen.sessions)
    pilot.app.open_transcript(config.transcripts_dir() / "weak-product-sense.jsonl")  # type: ignore[attr-defined]
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, TranscriptScreen) and pilot.app.screen.grades)
    await pilot.press("o")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ReportScreen) and pilot.app.screen.grade is not None)
    await pilot.press("down")
    await pilot.pause()


async def replay(pilot: Pilot) -> None:
    await _home(pilot)
    pilot.app.open_transcript(config.transcripts_dir() / "strong-product-sense.jsonl")  # type: ignore[attr-defined]
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, TranscriptScreen) and pilot.app.screen.grades)
    await pilot.press("p")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ReplayScreen))
    await pilot.press("space", "space")
    await wait_until(pilot, lambda: pilot.app.screen.shown == 3)  # type: ignore[attr-defined]
    await pilot.pause()


async def transcripts(pilot: Pilot) -> None:
    await _home(pilot)
    await pilot.app.run_action("transcripts")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, TranscriptsScreen) and len(pilot.app.screen.shown) == 4)
    await pilot.pause()


async def transcript(pilot: Pilot) -> None:
    """The reader with its two kept grades (two rubrics) compared."""
    await _home(pilot)
    pilot.app.open_transcript(config.transcripts_dir() / "strong-product-sense.jsonl")  # type: ignore[attr-defined]
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, TranscriptScreen) and len(pilot.app.screen.grades) == 2)
    screen: TranscriptScreen = pilot.app.screen  # type: ignore[assignment]
    await wait_until(pilot, lambda: isinstance(screen.query_one("#rubric"), Select))
    await pilot.pause()


async def rubrics_screen(pilot: Pilot) -> None:
    await _home(pilot)
    await pilot.app.run_action("rubrics")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, RubricsScreen) and pilot.app.screen.rows)
    await pilot.press("down", "down")  # product_sense
    await wait_until(pilot, lambda: pilot.app.screen.selected.ident == "product_sense")  # type: ignore[attr-defined]
    await pilot.pause()


async def prompt(pilot: Pilot) -> None:
    await rubrics_screen(pilot)
    await pilot.press("n")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, PromptScreen))
    await pilot.pause()


async def history(pilot: Pilot) -> None:
    await _home(pilot)
    await pilot.app.run_action("history")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, HistoryScreen) and "Progress over" in pilot.app.screen.text)  # type: ignore[attr-defined]
    await pilot.pause()


async def loop(pilot: Pilot) -> None:
    await _home(pilot)
    pilot.app.start_loop(pilot.app.screen.request(), LOOP)  # type: ignore[attr-defined]
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, LoopScreen) and pilot.app.screen.states)
    screen: LoopScreen = pilot.app.screen  # type: ignore[assignment]
    await wait_until(pilot, lambda: "Committee" in screen.committee_text)
    await pilot.pause()


async def help_screen(pilot: Pilot) -> None:
    await _home(pilot)
    await pilot.press("f1")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, HelpScreen))
    await pilot.pause()


SCREENS: dict[str, Ready] = {
    "home": home,
    "interview": interview,
    "confirm": confirm,
    "report": report,
    "replay": replay,
    "transcripts": transcripts,
    "transcript": transcript,
    "rubrics": rubrics_screen,
    "prompt": prompt,
    "history": history,
    "loop": loop,
    "help": help_screen,
}
SIZES = {"80x24": (80, 24), "120x40": (120, 40)}
