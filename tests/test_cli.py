"""The CLI: every contract command exists, and bad input anywhere is one line on stderr with exit 2."""

from __future__ import annotations

import pytest

from .conftest import run_subprocess


@pytest.mark.parametrize(
    "argv",
    [
        ["diff", "missing-a.json", "missing-b.json"],
        ["report", "missing.jsonl"],
        ["grade", "missing.txt", "--rubric", "no_such_rubric"],
        ["regrade", "missing-dir", "--rubric", "impact_story", "--concurrency", "0"],
        ["calibrate", "missing-dir", "--rubric", "impact_story"],
        ["committee", "--loop", "no_such_loop"],
        ["rubric", "check", "missing.yaml"],
        ["transcript", "show", "missing.vtt"],
        ["practice", "--round", "product_sense", "--plain", "--resume", "missing.jsonl"],
    ],
)
def test_bad_input_to_every_command_is_one_line_and_exit_2(cli, argv: list[str]) -> None:
    result = cli(*argv)
    assert result.code == 2, (argv, result.out, result.err)
    assert result.err.startswith("mockint: error: ")
    assert "Traceback" not in result.err
    # one line per problem (a multi-file command may add one summary line, also prefixed)
    assert all(line.startswith("mockint: ") for line in result.err.splitlines())
    assert result.err.count("\n") <= 2


def test_usage_error_is_one_line(cli) -> None:
    result = cli("grade")
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert "PATH" in result.err


def test_grade_without_rubric_names_the_file_that_has_no_round(cli, tmp_path) -> None:
    """--rubric is optional for native transcripts; a plain-text one says which file needs it, and the others go on."""
    text = tmp_path / "talk.txt"
    text.write_text("Interviewer: Tell me about a launch.\n\nCandidate: I shipped ranking; zero results fell 30% to 12%.\n")
    result = cli("grade", str(text))
    assert result.code == 1
    assert result.err.splitlines()[0] == f"mockint: error: {text}: the transcript records no round or rubric; pass --rubric ID"


def test_a_module_that_fails_to_import_is_not_reported_as_not_available(monkeypatch) -> None:
    """The lazy command import is a plain import: a packaging error surfaces as itself, not as a usage message."""
    import importlib

    from mockint import cli as cli_module

    def broken(name: str):
        raise ModuleNotFoundError("No module named 'mockint.commands.grade'", name="mockint.commands.grade")

    monkeypatch.setattr(importlib, "import_module", broken)
    with pytest.raises(ModuleNotFoundError):
        cli_module.main(["grade", "x.jsonl"])


def test_practice_does_not_import_the_cli_back() -> None:
    """commands/practice.py opens the app through tui.launch, not through mockint.cli (no import cycle)."""
    from pathlib import Path

    import mockint.commands.practice as practice

    source = Path(practice.__file__).read_text()
    assert "mockint.cli" not in source and "import cli" not in source


def test_version_and_module_entry_point() -> None:
    out = run_subprocess("--version")
    assert out.returncode == 0
    assert out.stdout.startswith("mockint ")
