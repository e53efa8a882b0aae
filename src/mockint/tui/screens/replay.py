"""Replay a transcript turn by turn, stepping or timed, the way the round unfolded. Opened at a given
turn (from a report's evidence), it shows the conversation up to that turn with the turn highlighted."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static

from mockint.domain.transcript import Transcript
from mockint.tui.widgets.chat import ChatMessage
from mockint.tui.widgets.footer import KeysFooter

MIN_PAUSE, WORDS_PER_SECOND, MAX_PAUSE = 1.0, 4.0, 8.0


def pause_for(text: str, speed: float = 1.0) -> float:
    """Timed replay: roughly reading time for the turn, bounded, divided by the chosen speed."""
    return min(MAX_PAUSE, max(MIN_PAUSE, len(text.split()) / WORDS_PER_SECOND)) / speed


class ReplayScreen(Screen[None]):
    CSS_PATH = "replay.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space,right,n", "next", "Next", tooltip="Show the next turn"),
        Binding("left,b", "previous", "Previous", tooltip="Hide the last turn shown"),
        Binding("t", "timed", "Timed", tooltip="Play on by itself at reading speed (again: pause)"),
        Binding("plus,equals_sign", "faster", "Faster", show=False),
        Binding("minus", "slower", "Slower", show=False),
        # priority: once the conversation scrolls, it takes focus, and its own `end` (scroll to the bottom) would win
        Binding("end", "all", "All", priority=True, tooltip="Show every turn"),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    shown: reactive[int] = reactive(0)
    playing: reactive[bool] = reactive(False)

    def __init__(self, transcript: Transcript, *, at_turn: int | None = None, title: str = "") -> None:
        super().__init__()
        self.transcript = transcript
        self.at_turn = at_turn
        self.heading = title or (transcript.meta.round or transcript.meta.id)
        self.speed = 1.0
        self._timer: Timer | None = None
        self._messages: list[ChatMessage] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="replay-status")
        yield VerticalScroll(id="replay")
        yield KeysFooter()

    async def on_mount(self) -> None:
        self.title = "mockint"
        self.sub_title = f"replay · {self.heading}"
        if self.at_turn is not None:
            upto = next((i + 1 for i, t in enumerate(self.transcript.turns) if t.index == self.at_turn), 1)
            await self._show_until(upto)
            target = self._messages[upto - 1]
            target.add_class("-focus")
            self.call_after_refresh(target.scroll_visible, animate=False, top=True)
        else:
            await self._show_until(1)
        self._status()

    def _label(self, index: int) -> ChatMessage:
        turn = self.transcript.turns[index]
        who = "You" if turn.speaker == "candidate" else (self.transcript.meta.interviewer_name or "Interviewer")
        kind = "candidate" if turn.speaker == "candidate" else "interviewer"
        text = turn.text + ("\n\n*(cut off)*" if turn.partial else "")
        for note in self.transcript.notes:  # coach notes sit apart, below the turn they came with
            if note.turn == turn.index:
                text += f"\n\n---\n*Coach:* {note.text}"
        return ChatMessage(who, text, kind=kind, turn=turn.index)

    async def _show_until(self, count: int) -> None:
        count = max(0, min(count, len(self.transcript.turns)))
        area = self.query_one("#replay", VerticalScroll)
        while len(self._messages) > count:
            await self._messages.pop().remove()
        while len(self._messages) < count:
            message = self._label(len(self._messages))
            self._messages.append(message)
            await area.mount(message)
        self.shown = count
        if self.at_turn is None:
            area.scroll_end(animate=False)
        self._status()

    def _status(self) -> None:
        mode = f"timed ×{self.speed:g} (t pauses, +/- speed)" if self.playing else "stepping (space next, t timed)"
        done = " · end of the transcript" if self.shown >= len(self.transcript.turns) else ""
        self.query_one("#replay-status", Static).update(f"turn {self.shown} of {len(self.transcript.turns)} · {mode}{done}")

    async def action_next(self) -> None:
        self.at_turn = None
        await self._show_until(self.shown + 1)
        if self.shown >= len(self.transcript.turns):
            self._stop()

    async def action_previous(self) -> None:
        self.at_turn = None
        self._stop()
        await self._show_until(self.shown - 1)

    async def action_all(self) -> None:
        self.at_turn = None
        self._stop()
        await self._show_until(len(self.transcript.turns))

    def action_timed(self) -> None:
        if self.playing:
            self._stop()
        elif self.shown < len(self.transcript.turns):
            self.playing = True
            self._schedule()
        self._status()

    def action_faster(self) -> None:
        self.speed = min(8.0, self.speed * 2)
        self._status()

    def action_slower(self) -> None:
        self.speed = max(0.25, self.speed / 2)
        self._status()

    def _schedule(self) -> None:
        text = self.transcript.turns[self.shown - 1].text if self.shown else ""
        self._timer = self.set_timer(pause_for(text, self.speed), self._tick)

    async def _tick(self) -> None:
        if not self.playing:
            return
        await self.action_next()
        if self.playing:
            self._schedule()

    def _stop(self) -> None:
        self.playing = False
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._status()
