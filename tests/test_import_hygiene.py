"""Layers import downward only: --help loads neither textual nor openai; core layers never do."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def _modules_after(code: str) -> set[str]:
    probe = code + "\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_help_imports_neither_textual_nor_openai() -> None:
    code = (
        "import sys\nfrom mockint.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "try:\n    main(['--version'])\nexcept SystemExit:\n    pass"
    )
    loaded = _modules_after(code)
    assert "mockint.cli" in loaded
    assert not {"textual", "openai", "pydantic"} & loaded


@pytest.mark.parametrize(
    "module",
    ["mockint.domain", "mockint.rubrics", "mockint.transcripts", "mockint.yamlmodels", "mockint.report.transcript_text"],
)
def test_core_layers_do_not_import_ui_or_llm(module: str) -> None:
    loaded = _modules_after(f"import {module}")
    assert module in loaded
    assert "textual" not in loaded
    assert "openai" not in loaded


def test_help_lists_every_contract_command() -> None:
    out = subprocess.run([sys.executable, "-m", "mockint", "--help"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0
    for command in (
        "practice",
        "grade",
        "regrade",
        "rubric",
        "transcript",
        "calibrate",
        "diff",
        "report",
        "history",
        "committee",
        "config",
    ):
        assert f"    {command}" in out.stdout, command
