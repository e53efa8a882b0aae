"""CLI skeleton: every contract command exists; unfinished ones say so in one line and exit 2."""

from __future__ import annotations

import pytest

from .conftest import run_subprocess


@pytest.mark.parametrize(
    "argv",
    [
        ["diff", "a.json", "b.json"],
        ["report", "t.jsonl"],
        ["history"],
        ["committee"],
    ],
)
def test_unfinished_commands_exit_2_with_one_line(cli, argv: list[str]) -> None:
    result = cli(*argv)
    assert result.code == 2
    assert result.err.startswith("mockint: error: ")
    assert "not available yet" in result.err
    assert result.err.count("\n") == 1


def test_usage_error_is_one_line(cli) -> None:
    result = cli("grade", "x.txt")
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert "--rubric" in result.err


def test_version_and_module_entry_point() -> None:
    out = run_subprocess("--version")
    assert out.returncode == 0
    assert out.stdout.startswith("mockint ")
