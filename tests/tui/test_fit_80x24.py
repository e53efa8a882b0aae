"""At 80×24 nothing essential is cut: verdicts and scores, result columns, file names and every footer key show
whole on every screen (the same scenarios as the snapshots, checked as text so this does not rest on pictures)."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from mockint.report.scores import verdict_and_score
from mockint.tui.app import MockintApp
from mockint.tui.screens.home import result_text
from mockint.tui.screens.loop import LoopScreen
from mockint.tui.screens.transcripts import list_result
from tests.tui import scenarios
from tests.tui.conftest import screen_text, wait_until

SIZE = (80, 24)
MODALS = {"confirm", "prompt", "help"}
FOOTERS = {
    "home": ["^s Start", "t Transcripts", "r Rubrics", "h History", "d Drill"],
    "interview": ["^s Send", "^r End", "^t Hint", "esc Leave"],
    "report": ["e Export .md", "j Jump to evidence", "s Score", "esc Back"],
    "replay": ["end All", "space Next", "b Previous", "t Timed", "esc Back"],
    "transcripts": ["/ Filter", "esc Back", "f5 Reload"],
    "transcript": ["g Grade", "o Report", "p Replay", "esc Back"],
    "rubrics": ["v Validate", "e Edit", "n New", "f5 Reload", "esc Back"],
    "history": ["esc Back", "f5 Reload"],
    "loop": ["^s Next round", "n New loop", "esc Back"],
}


def tables_fit(app: MockintApp) -> None:
    for table in app.screen.query(DataTable):
        if table.display and table.row_count:
            assert table.virtual_size.width <= table.region.width, f"#{table.id} is wider than it shows"


def essentials(name: str, app: MockintApp) -> list[str]:
    """The strings that must show whole on this screen."""
    screen = app.screen
    if name == "home":
        return [result_text(s) for s in screen.sessions] + ["Start round  ctrl+s"]  # type: ignore[attr-defined]
    if name == "interview":
        return ["Product sense · Q 2/7 · 45:00 left · coach", "Draft of the next"]
    if name == "confirm":
        return ["End the round now and see your grade?", "End round (y)", "Keep going (n)"]
    if name == "report":
        grade = screen.grade  # type: ignore[attr-defined]
        return [verdict_and_score(grade.verdict, grade.score), "quotes", "weight"]
    if name == "replay":
        return ["turn 3 of 6 · stepping"]
    if name == "transcripts":
        return [list_result(s) for s in screen.shown] + ["result", "loop-impact-story.jsonl"]  # type: ignore[attr-defined]
    if name == "transcript":
        grades = [g for g, _ in screen.grades]  # type: ignore[attr-defined]
        lines = [
            f"#{i} {g.rubric} v{g.rubric_version} · {verdict_and_score(g.verdict, g.score)}"
            for i, g in enumerate(grades, start=1)
        ]
        return [*lines, "gone", "new", "strong-product-sense.jsonl"]
    if name == "rubrics":
        return [r.ident for r in screen.rows] + ["built-in"]  # type: ignore[attr-defined]
    if name == "prompt":
        return ["Id of the new rubric"]
    if name == "history":
        return ["hire · 82/100", "strong-product-sense.jsonl", "no hire · 12/100", "weak-product-sense.jsonl"]
    if name == "loop":
        assert isinstance(screen, LoopScreen)
        graded = next(s for s in screen.states if s.grade is not None)
        rows = [s.round.title for s in screen.states] + [s.status for s in screen.states]
        result = verdict_and_score(graded.grade.verdict, graded.grade.score)  # type: ignore[union-attr]
        return [*rows, result, "Committee: No hire (so far)"]
    if name == "help":
        return ["mockint — keys"]
    raise AssertionError(name)


@pytest.mark.parametrize("name", list(scenarios.SCREENS))
async def test_essentials_show_whole_at_80x24(name: str) -> None:
    scenarios.store()
    app = scenarios.app()
    async with app.run_test(size=SIZE) as pilot:
        await scenarios.SCREENS[name](pilot)
        text = screen_text(app)
        for wanted in essentials(name, app):
            assert wanted in text, f"{wanted!r} is not shown whole at 80×24:\n{text}"
        tables_fit(app)
        if name not in MODALS:
            footer = text.splitlines()[-1]
            for key in [*FOOTERS[name], "^q Quit", "f1 Help", "^p palette"]:
                assert key in footer, f"{key!r} missing from the footer: {footer!r}"


async def test_every_interview_key_fits_after_a_model_failure_in_coach_mode() -> None:
    """The most keys a screen shows at once: send, end, hint, leave, retry, offline, quit, help."""
    scenarios.store()
    app = scenarios.app()
    async with app.run_test(size=SIZE) as pilot:
        await scenarios.interview(pilot)
        app.screen.failed = True  # type: ignore[attr-defined]
        await wait_until(pilot, lambda: "^g Retry" in screen_text(app).splitlines()[-1])
        footer = screen_text(app).splitlines()[-1]
        for key in [*FOOTERS["interview"], "^g Retry", "^o Offline", "^q Quit", "f1 Help", "^p palette"]:
            assert key in footer, f"{key!r} missing from the footer: {footer!r}"


async def test_lists_follow_the_terminal_across_100_columns() -> None:
    """Shrinking the window re-lays the lists out (no stale wide columns), growing it brings the long forms back."""
    scenarios.store()
    app = scenarios.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await scenarios.loop(pilot)
        table = app.screen.query_one("#loop-rounds", DataTable)
        assert "practised as" in [str(c.label) for c in table.columns.values()]
        await pilot.resize_terminal(80, 24)
        await wait_until(pilot, lambda: "practised as" not in [str(c.label) for c in table.columns.values()])
        tables_fit(app)
        app.pop_screen()
        await wait_until(pilot, lambda: "technical_exp…" in screen_text(app), what="the short round id at 80 columns")
        await pilot.resize_terminal(120, 40)
        await wait_until(pilot, lambda: "technical_explainer" in screen_text(app), what="the whole id again")
