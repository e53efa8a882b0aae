"""Shared fixtures: an isolated MOCKINT_HOME, no OpenAI settings from the developer's shell, a CLI runner."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

from mockint.cli import main

pytest_plugins = ["tests.chat_server"]  # the `chat_server` fixture: a chat-completions server on 127.0.0.1

# Fuzzing explores fresh inputs locally; under CI it replays a fixed sequence, so a landing never hinges on luck.
settings.register_profile("ci", derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "default")

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def mockint_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("MOCKINT_HOME", str(home))
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "MOCKINT_MODEL", "MOCKINT_BACKEND"):
        monkeypatch.delenv(var, raising=False)
    return home


@pytest.fixture(scope="session", autouse=True)
def repo_stays_clean():
    """Grades are kept beside transcripts; no test may leave any beside the repo's own files."""
    yield
    leftovers = [str(p.relative_to(REPO)) for p in REPO.rglob("*.grades") if ".venv" not in p.parts]
    assert not leftovers, f"tests wrote grades into the repo: {leftovers}"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A private copy of tests/data, for tests whose commands write beside their inputs."""
    import shutil

    return Path(shutil.copytree(DATA, tmp_path / "data"))


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):
    """Run mockint in-process and capture its exit code, stdout and stderr."""

    def run(*argv: str) -> Result:
        try:
            code = main(list(argv))
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def run_subprocess(
    *argv: str, stdin: str | None = None, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "mockint", *argv], input=stdin, capture_output=True, text=True, env=full_env, timeout=timeout
    )
