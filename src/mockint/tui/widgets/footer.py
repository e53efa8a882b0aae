"""The footer every screen uses: Textual's, made compact below 100 columns so every key (and F1 Help) fits at 80."""

from __future__ import annotations

from textual import events
from textual.widgets import Footer

NARROW = 100


class KeysFooter(Footer):
    def on_mount(self) -> None:
        self.compact = self.app.size.width < NARROW

    def on_resize(self, event: events.Resize) -> None:
        self.compact = self.app.size.width < NARROW
