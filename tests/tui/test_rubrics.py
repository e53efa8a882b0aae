"""Rubrics browser: list, anchors, validation errors with lines, new from template, edit and reload."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import DataTable, Label, Markdown, Static

from mockint import config
from mockint.tui.app import MockintApp
from mockint.tui.screens.confirm import ConfirmScreen
from mockint.tui.screens.prompt import PromptScreen
from mockint.tui.screens.rubrics import RubricsScreen
from tests.tui.conftest import wait_until

BROKEN = """\
id: broken
version: 1
title: Broken on purpose
round: product_sense
scale:
  - {score: 1, label: Weak}
  - {score: 2, label: Strong}
criteria:
  - id: a
    title: A
    description: d
    wieght: 2
"""


async def open_rubrics(pilot, app: MockintApp) -> RubricsScreen:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await app.run_action("rubrics")
    await wait_until(pilot, lambda: isinstance(app.screen, RubricsScreen) and app.screen.rows)
    return app.screen  # type: ignore[return-value]


async def test_list_detail_and_broken_file(make_app: Callable[..., MockintApp]) -> None:
    (config.user_rubrics_dir() / "broken.yaml").write_text(BROKEN)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_rubrics(pilot, app)
        table = screen.query_one("#list", DataTable)
        assert table.row_count == 7  # six built-in rubrics and the broken one
        problems = screen.query_one("#problems", Static)
        # The broken one sorts first and is validated as soon as it is shown.
        await wait_until(pilot, lambda: problems.display and "rubrics/broken.yaml:12:" in str(problems.render()))
        assert "did you mean 'weight'" in str(problems.render())
        await pilot.press("down")
        detail = screen.query_one("#detail", Markdown)
        await wait_until(pilot, lambda: "`executive`" in detail.source)
        assert "**1 " in detail.source and "**4 " in detail.source  # anchors for each level
        await pilot.press("v")
        await wait_until(pilot, lambda: "OK" in str(problems.render()))


async def test_new_rubric_from_template(make_app: Callable[..., MockintApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_rubrics(pilot, app)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, PromptScreen))
        await pilot.press(*"my_rubric", "enter")
        await wait_until(pilot, lambda: any(r.ident == "my_rubric" for r in screen.rows))
        assert (config.user_rubrics_dir() / "my_rubric.yaml").is_file()
        assert screen.selected is not None and screen.selected.ident == "my_rubric"
        await pilot.press("v")
        await wait_until(pilot, lambda: "OK" in str(screen.query_one("#problems", Static).render()))


@pytest.fixture
def fake_editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An 'editor' that renames the rubric's title, so reload can be seen."""
    script = tmp_path / "editor.py"
    script.write_text(
        "import sys, pathlib\np = pathlib.Path(sys.argv[1])\n"
        "p.write_text(p.read_text().replace('title: ', 'title: Edited ', 1))\n"
    )
    monkeypatch.setenv("VISUAL", f"{sys.executable} {script}")
    return script


async def test_edit_copies_a_builtin_then_reloads(make_app: Callable[..., MockintApp], fake_editor: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_rubrics(pilot, app)
        assert screen.selected is not None and screen.selected.ident == "executive"
        copy = config.user_rubrics_dir() / "executive.yaml"
        await pilot.press("e")  # a built-in: asked first, and no copy until the answer is yes
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "overrides the built-in" in str(app.screen.query_one("#question", Label).render())
        assert not copy.exists()
        await pilot.press("n")
        await wait_until(pilot, lambda: app.screen is screen)
        assert not copy.exists(), "declining leaves no copy"
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: screen.selected is not None and screen.selected.path == copy)
        assert "title: Edited " in copy.read_text()
        await wait_until(pilot, lambda: "# Edited " in screen.query_one("#detail", Markdown).source)
        assert not screen.selected.builtin and screen.selected.overrides and screen.selected.origin == "override"
        assert "used instead of the built-in" in screen.query_one("#detail", Markdown).source
        table = screen.query_one("#list", DataTable)
        row = next(i for i, r in enumerate(screen.rows) if r.path == copy)
        assert str(table.get_row_at(row)[3]) == "override"
        await pilot.press("e")  # your copy: straight to the editor, no question
        await wait_until(pilot, lambda: "title: Edited Edited " in copy.read_text())
        assert app.screen is screen
