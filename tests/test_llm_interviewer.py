"""The LLM interviewer against a real chat-completions server on 127.0.0.1: streaming, guidance, time,
faults mid-round (the saved turns survive; a cut-off message is marked partial), and context trimming."""

from __future__ import annotations

import itertools
import socket
from pathlib import Path

from mockint import rubrics
from mockint.domain import Transcript, TranscriptMeta, Turn
from mockint.interview.llm_interviewer import OMITTED, LLMInterviewer
from mockint.rounds import load_round
from mockint.settings import Settings
from mockint.transcripts import read_native

from .chat_server import ChatServer, Fault, Reply
from .conftest import run_subprocess

SECRET = "sk-test-interviewer-secret-77"


def _env(server: ChatServer, home: Path, **extra: str) -> dict[str, str]:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text("[llm]\nmax_retries = 0\ntimeout = 5\n")
    return {
        "MOCKINT_HOME": str(home),
        "OPENAI_BASE_URL": server.base_url,
        "OPENAI_API_KEY": SECRET,
        "MOCKINT_MODEL": "gpt-4o-mini",
        **extra,
    }


def _grade_reply() -> Reply:
    ids = [c.id for c in rubrics.resolve("product_sense").rubric.criteria]
    import json

    return Reply(
        content=json.dumps(
            {"criteria": [{"id": i, "evidence": [], "reasoning": "thin", "score": 1} for i in ids], "injection_attempt": False}
        )
    )


def test_plain_round_streams_saves_tokens_and_guides_the_model(chat_server: ChatServer, tmp_path: Path) -> None:
    chat_server.queue(
        Reply(content="Hi, I'm Priya. Tell me about a product you would improve at Pinterest?", completion_tokens=17),
        Reply(content="Who exactly is this for?", completion_tokens=6),
        Reply(content="Thanks, that's time. We'll follow up soon.", completion_tokens=9),
        _grade_reply(),
    )
    out = tmp_path / "round.jsonl"
    result = run_subprocess(
        "practice",
        "--round",
        "product_sense",
        "--plain",
        "--seed",
        "1",
        "--out",
        str(out),
        stdin="I would add stories.\n\n/end\n",
        env=_env(chat_server, tmp_path / "home"),
    )
    assert result.returncode == 0, result.stderr
    assert "Priya Raman: Hi, I'm Priya." in result.stdout and "Who exactly is this for?" in result.stdout
    transcript = read_native(out)
    assert transcript.meta.backend == "openai" and transcript.meta.model == "gpt-4o-mini"
    assert [t.speaker for t in transcript.turns] == ["interviewer", "candidate", "interviewer", "interviewer"]
    assert [t.tokens for t in transcript.turns] == [17, 5, 6, 9]
    chats = chat_server.chat_requests
    first = chats[0].body
    assert first["stream"] is True and first["stream_options"] == {"include_usage": True}
    spec = load_round("product_sense")
    assert spec.persona.name in first["messages"][0]["content"]
    probe_turn = chats[1].body["messages"]
    assert [m["role"] for m in probe_turn] == ["system", "user", "assistant", "user"], "one system, then alternating"
    last = probe_turn[-1]["content"]
    assert last.startswith("I would add stories.\n\n[note-") and "never reveal" in last, "guidance rides in the last user turn"
    assert "[note-" in probe_turn[0]["content"], "the system prompt explains the fenced private notes"
    assert "Close it now" in chats[2].body["messages"][-1]["content"]
    assert chats[3].body["response_format"]["type"] == "json_schema", "the round is graded by the model at the end"
    assert "llm:gpt-4o-mini" in result.stdout
    assert SECRET not in out.read_text() and SECRET not in result.stdout + result.stderr


def test_cut_stream_is_saved_as_partial_and_retry_continues(chat_server: ChatServer, tmp_path: Path) -> None:
    chat_server.queue(
        Reply(content="Tell me about a product you love."),
        Reply(content="That is interesting, and I wonder who", fault=Fault.STREAM_CUT, cut_after=3),
        Reply(content="Who exactly is the user?"),
        Reply(content="Thanks, we're done."),
        _grade_reply(),
    )
    out = tmp_path / "cut.jsonl"
    result = run_subprocess(
        "practice",
        "--round",
        "product_sense",
        "--plain",
        "--out",
        str(out),
        stdin="Boards for renters.\n\n/retry\n/end\n",
        env=_env(chat_server, tmp_path / "home"),
    )
    assert result.returncode == 0, result.stderr
    assert "the model failed" in result.stderr and "/retry" in result.stderr
    turns = read_native(out).turns
    assert [(t.speaker, t.partial) for t in turns] == [
        ("interviewer", False),
        ("candidate", False),
        ("interviewer", True),
        ("interviewer", False),
        ("interviewer", False),
    ]
    assert turns[2].text.startswith("That is") and turns[3].text == "Who exactly is the user?"
    retry_messages = chat_server.chat_requests[2].body["messages"]
    assert all("I wonder" not in m["content"] for m in retry_messages), "a cut-off message is not fed back"


def test_dead_endpoint_keeps_answers_and_offline_takes_over(tmp_path: Path) -> None:
    with socket.socket() as s:  # a port with nothing listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text("[llm]\nmax_retries = 0\ntimeout = 2\n")
    env = {"MOCKINT_HOME": str(home), "OPENAI_BASE_URL": f"http://127.0.0.1:{port}/v1", "OPENAI_API_KEY": SECRET}
    out = tmp_path / "dead.jsonl"
    result = run_subprocess(
        "practice",
        "--round",
        "impact_story",
        "--plain",
        "--out",
        str(out),
        "--seed",
        "2",
        stdin="/offline\nI led a launch.\n\n/end\n",
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert "cannot reach the endpoint" in result.stderr
    transcript = read_native(out)
    assert transcript.finished
    assert [t.speaker for t in transcript.turns][:2] == ["interviewer", "candidate"]
    assert transcript.candidate_turns()[0].text == "I led a launch."
    assert "graded offline" in result.stderr and "impact_story v1  offline" in result.stdout
    assert result.stderr.count("cannot reach the endpoint") == 1, "after /offline the dead endpoint is not called again"


async def test_conversation_is_trimmed_to_the_context_budget(chat_server: ChatServer) -> None:
    spec = load_round("system_design")
    settings = Settings(
        backend="openai",
        base_url=chat_server.base_url,
        api_key=SECRET,
        context_tokens=3000,
        max_reply_tokens=200,
        max_retries=0,
        timeout=5,
    )
    interviewer = LLMInterviewer(spec, rubrics.resolve(spec.rubric).rubric, settings, seed=0)
    interviewer.question = spec.questions[0]
    turns = [Turn(index=1, speaker="interviewer", text="OPENING QUESTION")]
    for i in range(2, 80):
        turns.append(Turn(index=i, speaker="candidate" if i % 2 == 0 else "interviewer", text=f"turn {i} " + "word " * 60))
    messages = interviewer.messages(Transcript(meta=TranscriptMeta(id="x"), turns=turns), "guidance")
    from mockint.llm import tokens

    assert tokens.count_messages(messages, settings.interviewer_model) <= 3000 - 200
    roles = [m["role"] for m in messages]
    assert roles[0] == "system" and "system" not in roles[1:] and roles[-1] == "user"
    assert all(a != b for a, b in itertools.pairwise(roles[1:])), "strictly alternating"
    assert messages[2]["content"] == "OPENING QUESTION" and messages[3]["content"].startswith(OMITTED)
    assert messages[-2]["content"].startswith("turn 79"), "the interviewer spoke last..."
    assert messages[-1]["content"].startswith("(The candidate has not said anything more.)"), "...so a user turn carries the note"
    assert messages[-1]["content"].endswith(f"[{interviewer.fence}]\nguidance\n[/{interviewer.fence}]")
    chat_server.queue(Reply(content="And the rollout?"))
    reply = await interviewer.next_reply(Transcript(meta=TranscriptMeta(id="x"), turns=turns))
    assert reply.text == "And the rollout?" and not reply.done
    await interviewer.aclose()


def test_the_model_gets_the_same_reading_of_the_last_answer_and_coach_lines_become_notes(
    chat_server: ChatServer, tmp_path: Path
) -> None:
    chat_server.queue(
        Reply(content="Hi, I'm Priya. Which pinners would you build for?"),
        Reply(content="Coach: say exactly who it is for.\n\nWhen you say users want more, who do you mean?"),
        Reply(content="Thanks, that's our time."),
        _grade_reply(),
    )
    out = tmp_path / "reading.jsonl"
    result = run_subprocess(
        "practice", "--round", "product_sense", "--plain", "--mode", "coach", "--seed", "1", "--out", str(out),
        stdin="I think users want more engagement, so maybe a better feed.\n\n/end\n",
        env=_env(chat_server, tmp_path / "home"),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    guidance = chat_server.chat_requests[1].body["messages"][-1]["content"]
    assert "It left thin" in guidance and "users want more" in guidance, guidance
    assert "A follow-up built on their own words" in guidance
    transcript = read_native(out)
    asked = transcript.turns[2]
    assert asked.text == "When you say users want more, who do you mean?", "the coach line is not the interviewer's words"
    assert [(n.turn, n.text) for n in transcript.notes] == [(3, "say exactly who it is for.")]
    assert "[coach] say exactly who it is for." in result.stdout


def test_every_interviewer_layout_passes_a_strict_template(chat_server: ChatServer, tmp_path: Path) -> None:
    """Opening, follow-ups, a closing after an unanswered question, and a retry: all accepted by the strict server."""
    assert chat_server.strict_roles
    chat_server.queue(
        Reply(content="Hi. Tell me about a launch."),
        Reply(content="What moved?"),
        Reply(content="Thanks, we'll stop there."),
        _grade_reply(),
    )
    out = tmp_path / "strict.jsonl"
    result = run_subprocess(
        "practice", "--round", "impact_story", "--plain", "--out", str(out),
        stdin="We shipped search ranking.\n\n/end\n", env=_env(chat_server, tmp_path / "home"),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "roles must alternate" not in result.stderr
    for request in chat_server.chat_requests[:3]:
        roles = [m["role"] for m in request.body["messages"]]
        assert roles[0] == "system" and roles.count("system") == 1 and roles[1] == "user" and roles[-1] == "user", roles


def test_the_strict_server_rejects_what_strict_templates_reject(chat_server: ChatServer) -> None:
    import httpx2

    bad = [{"role": "system", "content": "a"}, {"role": "system", "content": "b"}]
    response = httpx2.post(f"{chat_server.base_url}/chat/completions", json={"model": "gpt-4o-mini", "messages": bad}, timeout=5)
    assert response.status_code == 400 and "roles must alternate" in response.text


async def test_a_server_that_trickles_bytes_is_stopped_at_the_call_deadline(chat_server: ChatServer) -> None:
    """The per-read timeout never fires on a stream that sends a piece every 0.3 s; the total deadline does."""
    import time as _time

    spec = load_round("product_sense")
    settings = Settings(backend="openai", base_url=chat_server.base_url, api_key=SECRET, max_retries=0, timeout=1)
    interviewer = LLMInterviewer(spec, rubrics.resolve(spec.rubric).rubric, settings, seed=0)
    chat_server.queue(Reply(content=" ".join(["word"] * 40), chunk_delay=0.3))
    started = _time.monotonic()
    from mockint.llm.client import LLMError

    try:
        await interviewer.opening(Transcript(meta=TranscriptMeta(id="x")))
    except LLMError as exc:
        assert exc.kind == "timeout" and "within 1 s" in str(exc) and exc.partial.startswith("word")
    else:
        raise AssertionError("the trickling reply should have hit the deadline")
    finally:
        await interviewer.aclose()
    assert _time.monotonic() - started < 4


def test_an_answer_typed_after_a_model_failure_is_saved_and_streamed_turns_keep_their_start(
    chat_server: ChatServer, tmp_path: Path
) -> None:
    chat_server.queue(
        Reply(content="Tell me about a launch."),
        Reply.error(503),
        Reply(content="And what moved?", chunk_delay=0.05),
        Reply(content="Thanks, we'll stop."),
        _grade_reply(),
    )
    out = tmp_path / "typed.jsonl"
    result = run_subprocess(
        "practice", "--round", "impact_story", "--plain", "--out", str(out),
        stdin="We shipped ranking.\n\nI owned the spec myself.\n\n/end\n", env=_env(chat_server, tmp_path / "home"),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    turns = read_native(out).turns
    said = [t.text for t in turns if t.speaker == "candidate"]
    assert said == ["We shipped ranking.", "I owned the spec myself."], "the answer typed at the failure prompt is kept"
    streamed = next(t for t in turns if t.text == "And what moved?")
    assert streamed.started is not None and streamed.ended is not None and streamed.ended > streamed.started


def test_a_reply_cut_at_the_reply_limit_is_saved_as_cut(chat_server: ChatServer, tmp_path: Path) -> None:
    chat_server.queue(
        Reply(content="Tell me about a launch that went", finish_reason="length"),
        Reply(content="What moved?"),
        Reply(content="Thanks."),
        _grade_reply(),
    )
    out = tmp_path / "cut-limit.jsonl"
    result = run_subprocess(
        "practice", "--round", "impact_story", "--plain", "--out", str(out),
        stdin="A search launch.\n\n/end\n", env=_env(chat_server, tmp_path / "home"),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "max_reply_tokens" in result.stderr
    turns = read_native(out).turns
    assert turns[0].partial and turns[0].text == "Tell me about a launch that went"
    assert not turns[2].partial


def test_ctrl_c_mid_reply_keeps_the_part_already_shown(chat_server: ChatServer, tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys

    chat_server.queue(Reply(content=" ".join(f"w{i}" for i in range(60)), chunk_delay=0.2))
    out = tmp_path / "interrupted.jsonl"
    env = {**os.environ, **_env(chat_server, tmp_path / "home")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "mockint", "practice", "--round", "impact_story", "--plain", "--out", str(out)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True,
    )  # fmt: skip
    assert proc.stdout is not None
    seen = ""
    while "w3" not in seen:  # wait until part of the reply has been shown (no clock involved)
        piece = proc.stdout.read(1)
        assert piece, "the reply never started"
        seen += piece
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=30)
    assert proc.returncode == 130
    turns = read_native(out).turns
    assert turns and turns[0].partial and turns[0].text.startswith("w0 w1 w2 w3")


def test_a_silent_model_call_shows_progress(chat_server: ChatServer, tmp_path: Path) -> None:
    chat_server.queue(Reply(content="Tell me about a launch.", delay=5.6), Reply(content="Thanks."))
    home = tmp_path / "home"
    env = _env(chat_server, home)
    (home / "config.toml").write_text("[llm]\nmax_retries = 0\ntimeout = 20\n")
    result = run_subprocess(
        "practice", "--round", "impact_story", "--plain", "--out", str(tmp_path / "slow.jsonl"), stdin="", env=env
    )
    assert result.returncode == 0, result.stderr
    assert "waiting for the model (5 s)" in result.stderr


def test_a_server_that_sends_no_usage_still_gets_a_token_count(chat_server: ChatServer, tmp_path: Path) -> None:
    chat_server.queue(Reply(content="Tell me about a launch you led.", send_usage=False), Reply(content="Thanks."))
    out = tmp_path / "nousage.jsonl"
    result = run_subprocess(
        "practice", "--round", "impact_story", "--plain", "--out", str(out),
        stdin="A search launch.\n\n/end\n", env=_env(chat_server, tmp_path / "home"),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    first = read_native(out).turns[0]
    assert first.tokens is not None and first.tokens > 0
