"""Home: choose a round (track, company, round, mode, backend) and start it, or pick up a recent session."""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, DataTable, Header, Label, Select, Static

from mockint.errors import MockintError
from mockint.report.scores import verdict_and_score
from mockint.tui.data import PracticeRequest, SessionInfo, scan_sessions, short
from mockint.tui.screens.choices import load_choices, save_choices
from mockint.tui.widgets.footer import KeysFooter

if TYPE_CHECKING:
    from mockint.domain.round import TrackSpec

COMPANIES = [("Pinterest", "pinterest"), ("Generic (any company)", "generic")]
MODES = [("Realistic: grade at end", "realistic"), ("Coach: hints as you go", "coach")]
RECENT_LIMIT = 30
LOOP_PREFIX = "loop:"
NARROW = 100  # below this width the Recent list shortens long round ids so its result column shows whole
ROUND_WIDTH = 14


def result_text(session: SessionInfo) -> str:
    """The Recent list's last column, at most 18 characters: `no hire · 72/100`, `resumable · 3 ans`."""
    if session.error:
        return "unreadable"
    if not session.finished:
        return f"resumable · {session.answers} ans"
    if session.verdict:
        return verdict_and_score(session.verdict, session.score)
    return "finished"


def recent_row(session: SessionInfo, *, narrow: bool) -> tuple[str, str, str]:
    """Date, round and result; the date is `03-02 18:15` so the three fit beside the form at 80 columns."""
    when = session.started.astimezone().strftime("%m-%d %H:%M") if session.started else "—"
    return when, short(session.round, ROUND_WIDTH) if narrow else session.round, result_text(session)


def pick(options: list[tuple[str, str]], wanted: str | None, default: str) -> str:
    """A remembered choice, when it is still one of the options."""
    return wanted if wanted in {value for _, value in options} else default


def backend_choices() -> tuple[list[tuple[str, str]], str]:
    """Offline always; the model backend when an endpoint is configured (then it is the default)."""
    from mockint.settings import current

    try:
        settings = current()
    except Exception:  # a broken config file: the offline backend still works; `mockint config` explains
        return [("Offline (scripted)", "offline")], "offline"
    choices = [("Offline (scripted)", "offline")]
    if settings.endpoint_configured:
        choices.insert(0, (f"Model: {settings.interviewer_model}", "openai"))
    return choices, "openai" if settings.llm_enabled else "offline"


class HomeScreen(Screen[None]):
    """The first screen: everything a practice round needs is one Tab away, and ctrl+s starts it."""

    CSS_PATH = "home.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "start", "Start", tooltip="Start a round with the choices on the left"),
        Binding("t", "app.transcripts", "Transcripts", tooltip="Browse, read and grade saved transcripts"),
        Binding("r", "app.rubrics", "Rubrics", tooltip="Browse, validate, edit and create rubrics"),
        Binding("h", "app.history", "History", tooltip="How your scores moved over your sessions"),
        Binding("d", "drill", "Drill", tooltip="Three questions on your weakest criterion, graded on it alone"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.sessions: list[SessionInfo] = []

    def compose(self) -> ComposeResult:
        from mockint.rounds import load_loop, load_round, load_tracks, loop_ids, round_ids

        tracks = load_tracks()
        self.tracks: dict[str, TrackSpec] = tracks
        first_track = next(iter(tracks.values()))
        rounds = [(load_round(r).title, r) for r in round_ids()]
        rounds += [(f"Whole loop: {load_loop(lp).title}", f"{LOOP_PREFIX}{lp}") for lp in loop_ids()]
        last = load_choices()  # one small JSON file: quicker than a worker round trip
        track_options = [(t.title, t.id) for t in tracks.values()]
        track = pick(track_options, last.get("track"), first_track.id)
        self._track_shown = track  # a track change resets the round; restoring the saved track must not
        backends, default = backend_choices()
        yield Header()
        with Horizontal(id="body"):
            with Vertical(id="new-round"):
                yield Label("Track", classes="field")
                yield Select(track_options, value=track, allow_blank=False, id="track", compact=True)
                yield Label("Company", classes="field")
                yield Select(
                    COMPANIES,
                    value=pick(COMPANIES, last.get("company"), "pinterest"),
                    allow_blank=False,
                    id="company",
                    compact=True,
                )
                yield Label("Round", classes="field")
                first_round = tracks[track].rounds[0]
                yield Select(
                    rounds, value=pick(rounds, last.get("round"), first_round), allow_blank=False, id="round", compact=True
                )
                yield Label("Mode", classes="field")
                yield Select(MODES, value=pick(MODES, last.get("mode"), "realistic"), allow_blank=False, id="mode", compact=True)
                yield Label("Backend", classes="field")
                yield Select(
                    backends,
                    value=pick(backends, last.get("backend"), default),
                    allow_blank=False,
                    id="backend-choice",
                    compact=True,
                )
                yield Static("", id="backend")
                yield Button("Start round  ctrl+s", id="start", variant="primary", compact=True)
                yield Button("Drill weakest skill  d", id="drill", compact=True)
            with Vertical(id="recent"):
                yield Label("enter: resume, or read a finished one", classes="title")
                yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
                yield Static("No sessions yet: start a round on the left.", id="empty")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = "mockint"
        self.sub_title = "practise product-manager interviews"
        self.border_titles()
        table = self.query_one("#sessions", DataTable)
        table.add_columns("date", "round", "result")
        self.query_one("#track", Select).focus()
        self.check_backend()

    @on(Select.Changed, "#backend-choice")
    def backend_changed(self) -> None:
        self.check_backend()

    @work(exclusive=True, group="home-ping")
    async def check_backend(self) -> None:
        """Say whether the chosen model is reachable (a model listing, in a worker; offline needs nothing)."""
        line = self.query_one("#backend", Static)
        if self.query_one("#backend-choice", Select).value != "openai":
            line.update("No key needed; nothing leaves this machine.")
            return
        line.update("Checking the endpoint...")
        from mockint.llm.client import ping
        from mockint.settings import current

        problem = await ping(current())
        line.update("Endpoint reachable." if problem is None else f"Endpoint not reachable: {problem}")

    def border_titles(self) -> None:
        self.query_one("#new-round").border_title = "New round"
        self.query_one("#recent").border_title = "Recent"

    def on_screen_resume(self) -> None:
        self.load_sessions()

    @work(exclusive=True, group="home-sessions")
    async def load_sessions(self) -> None:
        """Reading every transcript is file I/O: off the event loop."""
        sessions = await asyncio.to_thread(scan_sessions)
        self.sessions = sessions[:RECENT_LIMIT]
        self.fill_recent()

    def fill_recent(self) -> None:
        table = self.query_one("#sessions", DataTable)
        row = table.cursor_row
        table.clear()
        narrow = self.size.width < NARROW
        for s in self.sessions:
            table.add_row(*recent_row(s, narrow=narrow), key=str(s.path))
        if self.sessions:
            table.move_cursor(row=min(row, len(self.sessions) - 1))
        self.query_one("#empty").display = not self.sessions
        table.display = bool(self.sessions)

    def on_resize(self) -> None:
        """Crossing 100 columns changes how long round ids are shown."""
        if self.sessions:
            self.fill_recent()

    @on(Select.Changed, "#track")
    def track_changed(self, event: Select.Changed) -> None:
        if str(event.value) == self._track_shown:
            return
        self._track_shown = str(event.value)
        track = self.tracks.get(str(event.value))
        if track is not None:
            self.query_one("#round", Select).value = track.rounds[0]

    def request(self) -> PracticeRequest:
        track = str(self.query_one("#track", Select).value)
        company = str(self.query_one("#company", Select).value)
        return PracticeRequest(
            round_id=str(self.query_one("#round", Select).value),
            track=track,
            company=company,
            mode=str(self.query_one("#mode", Select).value),
            seed=getattr(self.app, "seed", None),
            backend=str(self.query_one("#backend-choice", Select).value),
        )

    @work(thread=True, group="home-choices")
    def remember(self, request: PracticeRequest) -> None:
        """Keep the choices for next time (an fsynced write: in a thread). Failing to is not worth a word."""
        with contextlib.suppress(OSError, MockintError):
            save_choices(
                {
                    "track": request.track or "",
                    "company": request.company or "",
                    "round": request.round_id,
                    "mode": request.mode,
                    "backend": request.backend,
                }
            )

    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        request = self.request()
        self.remember(request)
        if request.round_id.startswith(LOOP_PREFIX):
            self.app.start_loop(request, request.round_id.removeprefix(LOOP_PREFIX))  # type: ignore[attr-defined]
        else:
            self.app.start_round(request)  # type: ignore[attr-defined]

    @on(Button.Pressed, "#drill")
    @work(exclusive=True, group="home-drill")
    async def action_drill(self) -> None:
        """A drill on the weakest criterion in your history (reading it is file I/O: off the event loop)."""
        from mockint import config
        from mockint.services.drills import choose_target
        from mockint.services.history import load_sessions

        try:
            sessions = await asyncio.to_thread(load_sessions, config.transcripts_dir())
            target = choose_target(None, None, sessions)
        except MockintError as exc:
            self.notify(str(exc), title="Cannot start a drill", severity="error")
            return
        self.notify(target.reason, title="Drill", timeout=8)
        base = self.request()
        request = PracticeRequest(
            round_id=target.round_id, track=base.track, company=base.company, mode=base.mode, seed=base.seed,
            backend=base.backend, drill=target.criterion,
        )  # fmt: skip
        self.app.start_round(request)  # type: ignore[attr-defined]

    @on(DataTable.RowSelected, "#sessions")
    def session_selected(self, event: DataTable.RowSelected) -> None:
        chosen = next((s for s in self.sessions if str(s.path) == event.row_key.value), None)
        if chosen is None or chosen.error:
            self.notify((chosen.error if chosen else None) or "That session is gone.", severity="error")
            return
        if chosen.finished:
            self.app.open_transcript(chosen.path)  # type: ignore[attr-defined]
        else:
            backend = str(self.query_one("#backend-choice", Select).value)
            self.app.start_round(PracticeRequest(round_id=chosen.round, resume=chosen.path, backend=backend))  # type: ignore[attr-defined]
