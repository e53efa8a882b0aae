"""The mockint app: screens on a stack (home at the bottom), command-palette commands for the main
actions, F1/? help, and quit that protects a running round."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from mockint.tui.backend import InterviewerBackend, OfflineBackend
from mockint.tui.data import PracticeRequest
from mockint.tui.theme import THEMES


class MockintApp(App[int]):
    """`practice` opens straight into a round; `clock` and `stream_delay` make tests and snapshots stable."""

    CSS_PATH = "app.tcss"
    TITLE = "mockint"
    # screens get `-narrow` below 100 columns, where they shorten labels and columns so 80×24 shows everything
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012 (Textual reads it from the class)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1,question_mark", "help", "Help", tooltip="Every screen's keys"),
        Binding("ctrl+q", "quit", "Quit", priority=True, tooltip="Quit (a running round asks first and stays resumable)"),
    ]

    def __init__(
        self,
        *,
        practice: PracticeRequest | None = None,
        backend: InterviewerBackend | None = None,
        clock: Callable[[], float] = time.monotonic,
        stream_delay: float = 0.01,
        seed: int | None = None,
        theme: str = "mockint",
    ) -> None:
        super().__init__()
        self.practice = practice
        self.fixed_backend = backend  # tests pass one; otherwise each round gets the backend it asks for
        self.stream_delay = stream_delay
        self.backend: InterviewerBackend = backend or OfflineBackend(delay=stream_delay)
        self.clock = clock
        self.seed = seed
        self._theme_name = theme

    def on_mount(self) -> None:
        for theme in THEMES:
            self.register_theme(theme)
        self.theme = self._theme_name
        from mockint.tui.screens.home import HomeScreen

        self.push_screen(HomeScreen())
        if self.practice is not None:
            self.start_round(self.practice)

    # ------------------------------------------------------------ navigation

    def start_round(self, request: PracticeRequest) -> None:
        from mockint.errors import MockintError
        from mockint.tui.backend import backend_for
        from mockint.tui.screens.interview import InterviewScreen

        backend = self.fixed_backend
        if backend is None:
            try:
                backend = backend_for(request, offline_delay=self.stream_delay)
            except MockintError as exc:
                self.notify(str(exc), title="Cannot start the round", severity="error", timeout=10)
                return
        self.push_screen(InterviewScreen(request, backend))

    def start_loop(self, request: PracticeRequest, loop_id: str) -> None:
        """A whole loop: its rounds one after another, and the committee's view across them."""
        from mockint.tui.screens.loop import LoopScreen

        self.push_screen(LoopScreen(request, loop_id))

    def open_transcript(self, path: Path) -> None:
        from mockint.tui.screens.transcripts import TranscriptScreen

        self.push_screen(TranscriptScreen(path))

    def _to_home(self) -> bool:
        """Pop back to home before opening a browser from the palette; refuse while a round is live."""
        from mockint.tui.screens.interview import InterviewScreen

        if any(isinstance(s, InterviewScreen) and s.live for s in self.screen_stack):
            self.notify("Leave or end the round first (escape or ctrl+r).", severity="warning")
            return False
        while len(self.screen_stack) > 2:
            self.pop_screen()
        return True

    def action_transcripts(self) -> None:
        from mockint.tui.screens.transcripts import TranscriptsScreen

        if self._to_home():
            self.push_screen(TranscriptsScreen())

    def action_rubrics(self) -> None:
        from mockint.tui.screens.rubrics import RubricsScreen

        if self._to_home():
            self.push_screen(RubricsScreen())

    def action_history(self) -> None:
        from mockint.tui.screens.history import HistoryScreen

        if self._to_home():
            self.push_screen(HistoryScreen())

    def action_home(self) -> None:
        self._to_home()

    def action_help(self) -> None:
        from mockint.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_toggle_light(self) -> None:
        self.theme = "mockint-light" if self.theme == "mockint" else "mockint"

    async def action_quit(self) -> None:
        from mockint.tui.screens.interview import InterviewScreen

        for screen in self.screen_stack:
            if isinstance(screen, InterviewScreen) and screen.live:
                live: InterviewScreen = screen
                if self.screen is not live:
                    # A dialog is up over the round: close it, then ask about quitting.
                    while self.screen is not live:
                        self.pop_screen()
                live.leave(then_exit=True)
                return
        self.exit(0)

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """An SVG of the screen into MOCKINT_HOME/screenshots (Textual's default, ~/Downloads, may not exist)."""
        from mockint.tui.screens.screenshot import screenshot_name

        svg = self.export_screenshot()  # rendering needs the event loop; writing the file does not
        self._save_screenshot(svg, filename or screenshot_name(self.screen))

    @work(thread=True, group="screenshot")
    def _save_screenshot(self, svg: str, filename: str) -> None:
        from mockint.errors import MockintError
        from mockint.tui.screens.screenshot import save_screenshot

        try:
            where = save_screenshot(svg, filename)
        except (OSError, MockintError) as exc:
            why = f"{exc.filename}: {exc.strerror}" if isinstance(exc, OSError) and exc.strerror else str(exc)
            self.call_from_thread(self.notify, why, title="Screenshot not saved", severity="error", timeout=10)
            return
        self.call_from_thread(self.notify, str(where), title="Screenshot saved", timeout=8)

    # Textual's own entries that mockint replaces: "Keys" (F1 help lists every key), "Theme" (mockint's light and
    # dark themes are the ones that keep contrast), "Screenshot" (saved where it can be found, see above).
    REPLACED_COMMANDS = frozenset({"Keys", "Theme", "Screenshot"})

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand("New round", "Back to the home screen to choose and start a round", self.action_home)
        yield SystemCommand("Transcripts", "Browse, read, grade and compare saved transcripts", self.action_transcripts)
        yield SystemCommand("Rubrics", "Browse, validate, edit and create rubrics", self.action_rubrics)
        yield SystemCommand("History", "How your scores moved over your sessions", self.action_history)
        yield SystemCommand("Help", "Every screen's keys (F1)", self.action_help)
        yield SystemCommand("Light / dark theme", "Switch between mockint's light and dark colours", self.action_toggle_light)
        yield SystemCommand(
            "Screenshot",
            "Save an SVG of this screen in MOCKINT_HOME/screenshots",
            lambda: self.set_timer(0.1, self.action_screenshot),
        )
        for command in super().get_system_commands(screen):
            if command.title not in self.REPLACED_COMMANDS:
                yield command
