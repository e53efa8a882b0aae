"""Settings: defaults < config file < environment, with sources; clear errors; the key never shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from mockint.errors import MockintError
from mockint.llm import tokens
from mockint.settings import load


def test_precedence_and_sources(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        '[llm]\nbase_url = "http://localhost:11434/v1"\ntimeout = 30\n\n[interviewer]\nmodel = "llama3.1"\n'
        '\n[grader]\nmodel = "qwen2.5"\n\n[prices."qwen2.5"]\ninput_per_mtok = 0.1\noutput_per_mtok = 0.2\n'
    )
    s = load(env={}, path=path)
    assert (s.base_url, s.timeout, s.interviewer_model, s.grader_model) == (
        "http://localhost:11434/v1",
        30,
        "llama3.1",
        "qwen2.5",
    )
    assert s.backend == "openai" and s.sources["backend"] == "a key or base URL is set"
    assert s.sources["interviewer.model"].startswith("config file")
    assert s.price("qwen2.5") == (0.1, 0.2)
    env = {"MOCKINT_MODEL": "gpt-4o", "OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "MOCKINT_BACKEND": "offline"}
    s = load(env=env, path=path)
    assert (s.interviewer_model, s.grader_model, s.base_url, s.backend) == (
        "gpt-4o",
        "gpt-4o",
        "http://127.0.0.1:9/v1",
        "offline",
    )
    assert s.sources["grader.model"] == "env MOCKINT_MODEL"
    assert load(env={}, path=tmp_path / "missing.toml").backend == "offline"


def test_key_comes_from_env_and_is_never_shown(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-SECRET-123")
    out = cli("config")
    assert out.code == 0
    assert "SECRET" not in out.out + out.err
    assert "set (hidden)" in out.out and "env OPENAI_API_KEY" in out.out
    assert "SECRET" not in cli("config", "--format", "json").out


@pytest.mark.parametrize(
    ("content", "needle", "line"),
    [
        ("[llm\nbase_url = 1\n", "invalid TOML", 1),
        ('[llm]\ntimeout = "soon"\n', "llm.timeout", None),
        ("[llm]\nbase_ulr = 'x'\n", "llm.base_ulr: unknown setting", None),
        ("backend = 'cloud'\n", "backend", None),
    ],
)
def test_bad_config_files_get_one_line(tmp_path: Path, content: str, needle: str, line: int | None) -> None:
    path = tmp_path / "config.toml"
    path.write_text(content)
    with pytest.raises(MockintError) as info:
        load(env={}, path=path)
    assert needle in str(info.value) and "\n" not in str(info.value)
    assert str(info.value).startswith(str(path))
    assert info.value.line == line


def test_bad_backend_env() -> None:
    with pytest.raises(MockintError, match="MOCKINT_BACKEND"):
        load(env={"MOCKINT_BACKEND": "gpu"}, path=Path("/nonexistent/config.toml"))


def test_token_counts_are_exact_and_offline() -> None:
    assert tokens.encoding("cl100k_base").encode("hello world") == [15339, 1917]
    assert tokens.encoding("o200k_base").encode("hello world") == [24912, 2375]
    assert tokens.count("hello world", "gpt-4") == 2
    assert tokens.count_messages([{"role": "user", "content": "hello world"}], "gpt-4o") == 2 + 4 + 3
