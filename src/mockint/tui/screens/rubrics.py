"""Rubrics: built-in and your own, with criteria and anchors; validate (file:line errors), edit in
$EDITOR and reload, or start a new one from a template in your rubrics folder."""

from __future__ import annotations

import asyncio
import os
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Markdown, Static

from mockint.errors import MockintError
from mockint.tui.data import new_rubric
from mockint.tui.screens.prompt import PromptScreen
from mockint.tui.widgets.footer import KeysFooter


@dataclass(frozen=True)
class RubricRow:
    """A rubric as listed: loaded, or broken with the first error (validate shows all of them)."""

    ident: str
    path: Path
    builtin: bool
    loaded: object | None  # LoadedRubric when valid
    error: str | None = None
    overrides: bool = False  # yours, with the id of a built-in: used instead of it

    @property
    def origin(self) -> str:
        if self.loaded is None:
            return "broken"
        if self.builtin:
            return "built-in"
        return "override" if self.overrides else "yours"


def list_rubrics() -> list[RubricRow]:
    from mockint import config
    from mockint.rubrics import list_all

    builtin_dir = config.builtin_rubrics_dir().resolve()
    builtin_ids = {p.stem for p in builtin_dir.glob("*.yaml")}
    rows: list[RubricRow] = []
    for item in list_all():
        if isinstance(item, tuple):
            path, error = item
            builtin = path.resolve().parent == builtin_dir
            rows.append(RubricRow(path.stem, path, builtin, None, error, overrides=not builtin and path.stem in builtin_ids))
        else:
            ident = item.rubric.id
            rows.append(RubricRow(ident, item.path, item.builtin, item, overrides=not item.builtin and ident in builtin_ids))
    return rows


def rubric_markdown(row: RubricRow) -> str:
    """Criteria with weights, must-pass and every anchor: what the grader and interviewer work from."""
    if row.loaded is None:
        return f"# {row.ident}\n\n**This rubric does not load.** Press **v** to list every problem.\n"
    r = row.loaded.rubric  # type: ignore[attr-defined]
    where = "built-in" if row.builtin else ("yours, used instead of the built-in of this id" if row.overrides else "yours")
    out = [f"# {r.title}", "", f"`{r.id}` v{r.version} · round `{r.round}` · {where} · `{shown_path(row.path)}`", ""]
    if r.description:
        out += [r.description.strip(), ""]
    scale = ", ".join(f"{level.score} {level.label}" for level in r.scale)
    out += [f"**Scale:** {scale} · hire at {r.verdict.hire_min_score:g}/100", ""]
    for c in r.criteria:
        must = " · **must pass**" if c.must_pass else ""
        out += [f"## {c.title}", "", f"`{c.id}` · weight {c.weight:g}{must}", "", c.description.strip(), ""]
        for level in sorted(c.anchors):
            out.append(f"- **{level} {r.label(level)}:** {c.anchors[level]}")
        out.append("")
    return "\n".join(out)


def shown_path(path: Path) -> str:
    """Paths in messages, short: relative to MOCKINT_HOME for your rubrics, the file name for built-ins."""
    from mockint import config

    try:
        return str(path.resolve().relative_to(config.home().resolve()))
    except ValueError:
        return path.name


def editor_command(path: Path) -> list[str]:
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or ("nano" if shutil.which("nano") else "vi")
    return [*shlex.split(editor), str(path)]


class RubricsScreen(Screen[None]):
    CSS_PATH = "rubrics.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("v", "validate", "Validate", tooltip="Check the selected rubric; errors name file, line and field"),
        Binding("e", "edit", "Edit", tooltip="Open in $EDITOR (a built-in is copied to your folder first), then reload"),
        Binding("n", "new", "New", tooltip="Create a rubric from a template in your rubrics folder"),
        Binding("f5", "reload", "Reload", tooltip="Read the rubric folders again"),
        Binding("escape", "back", "Back", tooltip="Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[RubricRow] = []
        self.selected: RubricRow | None = None
        self._select_after_load: str | None = None

    def compose(self) -> ComposeResult:
        yield Static("Rubrics", id="heading")
        with Horizontal(id="panes"):
            yield DataTable(id="list", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="detail-pane"):
                yield Static("", id="problems")
                yield Markdown("", id="detail")
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one("#list", DataTable)
        table.add_column("id", key="id")
        table.add_column("ver", key="ver")
        table.add_column("crit", key="crit")
        table.add_column("from", key="from")
        self.query_one("#problems").display = False
        table.focus()
        self.action_reload()

    @work(exclusive=True, group="rubrics-load")
    async def action_reload(self) -> None:
        self.rows = await asyncio.to_thread(list_rubrics)
        table = self.query_one("#list", DataTable)
        table.clear()
        for row in self.rows:
            if row.loaded is None:
                table.add_row(escape(row.ident), "–", "–", row.origin, key=str(row.path))
            else:
                r = row.loaded.rubric  # type: ignore[attr-defined]
                table.add_row(escape(r.id), str(r.version), str(len(r.criteria)), row.origin, key=str(row.path))
        self.query_one("#heading", Static).update(
            f"Rubrics · {sum(r.loaded is not None for r in self.rows)} valid, {sum(r.loaded is None for r in self.rows)} broken"
        )
        wanted = self._select_after_load
        self._select_after_load = None
        index = next((i for i, r in enumerate(self.rows) if wanted and str(r.path) == wanted), 0)
        if self.rows:
            table.move_cursor(row=index)
            self.show(self.rows[index])

    @on(DataTable.RowHighlighted, "#list")
    def highlighted(self, event: DataTable.RowHighlighted) -> None:
        row = next((r for r in self.rows if str(r.path) == event.row_key.value), None)
        if row is not None and row is not self.selected:
            self.show(row)

    def show(self, row: RubricRow) -> None:
        self.selected = row
        self.query_one("#problems").display = False
        self.query_one("#detail", Markdown).update(rubric_markdown(row))
        if row.loaded is None:
            self.action_validate()

    @work(exclusive=True, group="rubrics-check")
    async def action_validate(self) -> None:
        from mockint.rubrics import check_file

        row = self.selected
        if row is None:
            return
        problems = await asyncio.to_thread(check_file, row.path, shown_path(row.path))
        if not problems and row.error:
            problems = [row.error]  # e.g. an id that does not match the file name: valid YAML, unusable rubric
        box = self.query_one("#problems", Static)
        box.display = True
        if problems:
            box.set_classes("-bad")
            box.update(
                f"[b]{len(problems)} problem{'s' if len(problems) != 1 else ''}[/b]\n" + "\n".join(escape(p) for p in problems)
            )
        else:
            box.set_classes("-ok")
            box.update(f"[b]OK[/b] {escape(str(row.path))} is valid.")

    def action_edit(self) -> None:
        """Yours: straight into the editor. A built-in is read-only: ask before copying it, since the copy is then
        used instead of the built-in wherever its id is named."""
        row = self.selected
        if row is None:
            return
        if not row.builtin:
            self.edit(row.path)
            return
        from mockint import config
        from mockint.tui.screens.confirm import ConfirmScreen

        target = config.user_rubrics_dir() / row.path.name

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            if not target.exists():
                try:
                    shutil.copyfile(row.path, target)
                    os.chmod(target, 0o600)
                except OSError as exc:
                    self.notify(f"{target}: {exc.strerror or exc}", title="Not copied", severity="error")
                    return
            self.notify(f"Editing your copy; it overrides the built-in {row.ident}.\n{shown_path(target)}", timeout=8)
            self.edit(target)

        self.app.push_screen(
            ConfirmScreen(
                f"{row.ident} is built in and read-only. Edit a copy in your rubrics folder? "
                f"Your copy then overrides the built-in everywhere {row.ident} is used.",
                yes="Copy and edit",
                no="Cancel",
            ),
            confirmed,
        )

    def edit(self, path: Path) -> None:
        self.run_editor(path)
        self._select_after_load = str(path)
        self.action_reload()

    def run_editor(self, path: Path) -> None:
        """Hand the terminal to the editor; where the app cannot suspend (tests, web), just run it."""
        command = editor_command(path)
        try:
            with self.app.suspend():
                result = subprocess.run(command, check=False)
        except SuspendNotSupported:
            result = subprocess.run(command, check=False, stdin=subprocess.DEVNULL, capture_output=True)
        except FileNotFoundError:
            self.notify(f"Editor not found: {command[0]} (set $EDITOR)", severity="error")
            return
        if result.returncode != 0:
            self.notify(f"{command[0]} exited with {result.returncode}", severity="warning")

    def action_new(self) -> None:
        def named(ident: str | None) -> None:
            if ident:
                self.create(ident)

        question = "Id of the new rubric (lowercase, e.g. my_product_sense):"
        self.app.push_screen(PromptScreen(question, placeholder="my_rubric"), named)

    @work(exclusive=True, group="rubrics-new")
    async def create(self, ident: str) -> None:
        """Written atomically and fsynced: in a thread, so the screen does not stall."""
        try:
            path = await asyncio.to_thread(new_rubric, ident)
        except (MockintError, OSError) as exc:
            self.notify(str(exc), title="Not created", severity="error", timeout=8)
            return
        self.notify(f"{path}\nPress e to edit it.", title="Rubric created")
        self._select_after_load = str(path)
        self.action_reload()

    def action_back(self) -> None:
        self.app.pop_screen()
