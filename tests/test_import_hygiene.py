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
    [
        "mockint.domain",
        "mockint.rubrics",
        "mockint.transcripts",
        "mockint.yamlmodels",
        "mockint.report.transcript_text",
        "mockint.grading.offline",
        "mockint.grading.run",
        "mockint.interview.session",
        "mockint.commands.grade",
        "mockint.commands.practice",
        "mockint.settings",
        "mockint.services.grading",
        "mockint.services.sessions",
        "mockint.services.rounds",
        "mockint.services.loops",
        "mockint.services.history",
        "mockint.services.exports",
        "mockint.services.rubric_files",
        "mockint.interview.base",
    ],
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


def test_offline_grading_never_loads_openai(tmp_path) -> None:
    """Only llm/ talks to openai, and only when a model is used: an offline grade does not load it."""
    transcript = tmp_path / "t.txt"
    transcript.write_text("Interviewer: q\n\nCandidate: I led the launch.\n")
    code = (
        f"import sys\nfrom mockint.cli import main\nmain(['grade', {str(transcript)!r}, '--rubric', 'impact_story', "
        "'--grader', 'offline', '--format', 'json'])"
    )
    loaded = _modules_after(code)
    assert "mockint.grading.offline" in loaded
    assert "openai" not in loaded and "textual" not in loaded


def test_only_llm_package_imports_openai() -> None:
    """Source check: `import openai` appears only under src/mockint/llm/."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "src" / "mockint"
    offenders = [
        str(p.relative_to(root))
        for p in root.rglob("*.py")
        if "llm" not in p.relative_to(root).parts[:1]
        and any(line.strip().startswith(("import openai", "from openai")) for line in p.read_text().splitlines())
    ]
    assert offenders == []
    textual_users = [
        str(p.relative_to(root))
        for p in root.rglob("*.py")
        if p.relative_to(root).parts[0] != "tui"
        and any(line.strip().startswith(("import textual", "from textual")) for line in p.read_text().splitlines())
    ]
    assert textual_users == []


# Layers, lowest first: a module may import its own layer and the ones before it, never one after it.
LAYERS = [
    {"domain", "errors", "config", "textfiles", "yamlmodels"},
    {"settings", "rubrics", "rounds", "transcripts", "gradestore", "llm"},
    {"grading"},
    {"interview", "report"},
    {"services"},
    {"commands", "cli", "tui", "__main__"},
]


def _layer(name: str) -> int | None:
    return next((i for i, layer in enumerate(LAYERS) if name in layer), None)


def test_layers_import_downward_only() -> None:
    """Source check over every module-level and late import: services sits below both front ends and above the
    core; nothing below the front ends imports one (commands, cli, tui), and the two front ends do not import
    each other except to open the app (commands/practice -> tui.launch; cli -> commands, tui.launch)."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "src" / "mockint"
    offenders = []
    for path in root.rglob("*.py"):
        parts = path.relative_to(root).with_suffix("").parts
        own = _layer(parts[0])
        if own is None:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("mockint."):
                target = node.module.split(".")[1]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names if a.name.startswith("mockint.")]
                if not names:
                    continue
                target = names[0].split(".")[1]
            else:
                continue
            theirs = _layer(target)
            if theirs is not None and theirs > own:
                offenders.append(f"{'/'.join(parts)} imports mockint.{target}")
            if parts[0] == "commands" and target == "cli":
                offenders.append(f"{'/'.join(parts)} imports the cli back")
    assert offenders == []


def test_services_neither_parse_arguments_nor_print() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "src" / "mockint" / "services"
    for path in root.glob("*.py"):
        text = path.read_text()
        for banned in ("import argparse", "argparse.", "print(", "sys.stdout", "sys.stderr", "import textual", "from textual"):
            assert banned not in text, f"{path.name} uses {banned}"


def test_report_renderers_read_no_files() -> None:
    """report/ renders; finding transcripts and loading grades is services' job (issue 14)."""
    loaded = _modules_after("import mockint.report.history_view, mockint.report.grade_text")
    assert not {"mockint.gradestore", "mockint.transcripts.store", "mockint.rubrics", "mockint.services"} & loaded
