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
    result = cli("grade", "x.txt")
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert "--rubric" in result.err


def test_version_and_module_entry_point() -> None:
    out = run_subprocess("--version")
    assert out.returncode == 0
    assert out.stdout.startswith("mockint ")
