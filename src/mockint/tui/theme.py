"""mockint's colours. Textual paints its own background, so a dark and a light variant (switchable from
the command palette) read the same in any terminal; both keep text contrast at WCAG AA or better."""

from __future__ import annotations

from textual.theme import Theme

DARK = Theme(
    name="mockint",
    primary="#5AA9E6",
    secondary="#B48EAD",
    accent="#F2A541",
    warning="#E6C15A",
    error="#F0716B",
    success="#6CC58A",
    foreground="#E4E7EB",
    background="#15191E",
    surface="#1D232A",
    panel="#252D36",
    dark=True,
)

LIGHT = Theme(
    name="mockint-light",
    primary="#1F6FB2",
    secondary="#7A4E8C",
    accent="#B25E00",
    warning="#8A6400",
    error="#B3261E",
    success="#1E7A3C",
    foreground="#1B1F24",
    background="#FAFAF7",
    surface="#F0F1EE",
    panel="#E3E6E8",
    dark=False,
)

THEMES = (DARK, LIGHT)
