# ruff: noqa: F811
"""The scripted OpenAI-compatible server (tests/chat_server.py) against the real `openai` client, sync and async.

Each fault is asserted with the exact exception type the client raises, so tests of mockint's LLM code can rely on it.
"""

from __future__ import annotations

import http.client
import json
import threading
import time

import httpx2
import openai
import pydantic
import pytest

# The `chat_server` fixture is imported so this module works without conftest support; pytest injects it by parameter
# name, which ruff reads as shadowing the import (F811).
from tests.chat_server import ChatServer, Fault, Reply, chat_server  # noqa: F401

MESSAGES = [
    {"role": "system", "content": "You are a strict PM interviewer. Rubric: X-FACTOR."},
    {"role": "user", "content": "Hi"},
]


def _create(client: openai.OpenAI, **kwargs):
    return client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES, **kwargs)


async def _acreate(client: openai.AsyncOpenAI, **kwargs):
    return await client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES, **kwargs)


# -- lifecycle ---------------------------------------------------------------------------------------------------------


def test_starts_fast_on_loopback_and_stops_cleanly() -> None:
    before = {t.ident for t in threading.enumerate()}
    started = time.monotonic()
    server = ChatServer().start()
    try:
        assert time.monotonic() - started < 2.0  # generous: CI machines can be busy
        assert server.base_url == f"http://127.0.0.1:{server.port}/v1"
        assert server.port > 0
        server.queue(Reply(content="up"))
        assert _create(server.client()).choices[0].message.content == "up"
    finally:
        stopping = time.monotonic()
        server.stop()
    assert time.monotonic() - stopping < 3.0
    # the serve thread and the handler threads are all joined (other tests' threads may come and go)
    leftover = [
        t.name
        for t in threading.enumerate()
        if t.ident not in before and ("chat-server" in t.name or "process_request" in t.name)
    ]
    assert leftover == []
    with pytest.raises(ConnectionRefusedError):
        http.client.HTTPConnection("127.0.0.1", server.port, timeout=1).request("GET", "/v1/models")


def test_client_helper_ignores_proxy_environment(chat_server: ChatServer, monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.setenv(var, "http://127.0.0.1:9")  # a dead loopback port: using it would fail
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    chat_server.queue(Reply(content="direct"))
    assert _create(chat_server.client()).choices[0].message.content == "direct"


# -- non-streaming -----------------------------------------------------------------------------------------------------


def test_sync_reply_and_usage(chat_server: ChatServer) -> None:
    chat_server.queue(Reply(content="Tell me about a launch.", prompt_tokens=42, completion_tokens=7))
    completion = _create(chat_server.client())
    assert completion.object == "chat.completion"
    assert completion.id.startswith("chatcmpl-")
    assert completion.model == "gpt-4o-mini"  # echoed from the request
    assert completion.choices[0].message.role == "assistant"
    assert completion.choices[0].message.content == "Tell me about a launch."
    assert completion.choices[0].finish_reason == "stop"
    assert completion.usage is not None
    assert (completion.usage.prompt_tokens, completion.usage.completion_tokens, completion.usage.total_tokens) == (42, 7, 49)
    assert completion._request_id is not None and completion._request_id.startswith("req_")


async def test_async_reply_and_usage(chat_server: ChatServer) -> None:
    chat_server.queue(Reply(content="async hello", prompt_tokens=3, completion_tokens=2, finish_reason="length", model="m-x"))
    async with chat_server.async_client() as client:
        completion = await _acreate(client)
    assert completion.choices[0].message.content == "async hello"
    assert completion.choices[0].finish_reason == "length"
    assert completion.model == "m-x"
    assert completion.usage is not None and completion.usage.total_tokens == 5


def test_replies_are_used_in_order_then_the_default(chat_server: ChatServer) -> None:
    chat_server.queue(Reply(content="first"), Reply(content="second"))
    client = chat_server.client()
    assert chat_server.pending == 2
    contents = [_create(client).choices[0].message.content for _ in range(3)]
    assert contents == ["first", "second", "OK"]
    assert chat_server.pending == 0
    chat_server.default_reply = Reply(content="fallback")
    assert _create(client).choices[0].message.content == "fallback"
    chat_server.default_reply = None
    with pytest.raises(openai.InternalServerError) as excinfo:
        _create(client)
    assert excinfo.value.code == "no_scripted_reply"


def test_callable_reply_sees_the_request_body(chat_server: ChatServer) -> None:
    chat_server.queue(lambda body: Reply(content=f"you said {body['messages'][-1]['content']} at t={body['temperature']}"))
    completion = _create(chat_server.client(), temperature=0)
    assert completion.choices[0].message.content == "you said Hi at t=0"


def test_usage_is_estimated_when_not_scripted(chat_server: ChatServer) -> None:
    chat_server.queue(Reply(content="one two three"))
    usage = _create(chat_server.client()).usage
    assert usage is not None
    assert usage.completion_tokens == 3
    assert usage.prompt_tokens > 0
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens


def test_path_without_v1_is_accepted(chat_server: ChatServer) -> None:
    chat_server.queue(Reply(content="no prefix"))
    completion = _create(chat_server.client(base_url=chat_server.url))
    assert completion.choices[0].message.content == "no prefix"
    assert chat_server.last_request.path == "/chat/completions"
    assert chat_server.last_request.endpoint == "/chat/completions"


def test_unknown_route_is_a_404_in_openai_format(chat_server: ChatServer) -> None:
    client = chat_server.client()
    with pytest.raises(openai.NotFoundError) as excinfo:
        client.embeddings.create(model="text-embedding-3-small", input="x")
    assert excinfo.value.code == "unknown_url"
    assert [m.id for m in client.models.list()] == list(chat_server.models)


# -- streaming ---------------------------------------------------------------------------------------------------------


def test_sync_stream_assembles_content_and_reports_usage(chat_server: ChatServer) -> None:
    chat_server.queue(Reply(content="Walk me through your prioritisation.", prompt_tokens=20, completion_tokens=6))
    chunks = list(_create(chat_server.client(), stream=True, stream_options={"include_usage": True}))
    assert all(c.object == "chat.completion.chunk" for c in chunks)
    assert len({c.id for c in chunks}) == 1
    with_choices = [c for c in chunks if c.choices]
    assert with_choices[0].choices[0].delta.role == "assistant"
    contents = [c.choices[0].delta.content for c in with_choices if c.choices[0].delta.content]
    assert len(contents) >= 4  # really split into several deltas
    assert "".join(contents) == "Walk me through your prioritisation."
    assert with_choices[-1].choices[0].finish_reason == "stop"
    assert all(c.choices[0].finish_reason is None for c in with_choices[:-1])
    last = chunks[-1]
    assert last.choices == []
    assert last.usage is not None and (last.usage.prompt_tokens, last.usage.completion_tokens) == (20, 6)
    assert all(c.usage is None for c in chunks[:-1])
    body = chat_server.last_request.body
    assert body["stream"] is True and body["stream_options"] == {"include_usage": True}


async def test_async_stream_with_explicit_deltas(chat_server: ChatServer) -> None:
    chat_server.queue(Reply(deltas=["Hel", "lo, ", "wor", "ld"], prompt_tokens=1, completion_tokens=4))
    async with chat_server.async_client() as client:
        stream = await _acreate(client, stream=True, stream_options={"include_usage": True})
        chunks = [chunk async for chunk in stream]
    deltas = [c.choices[0].delta.content for c in chunks if c.choices and c.choices[0].delta.content]
    assert deltas == ["Hel", "lo, ", "wor", "ld"]
    assert chunks[-1].usage is not None and chunks[-1].usage.total_tokens == 5


def test_stream_without_include_usage_has_no_usage_chunk(chat_server: ChatServer) -> None:
    chat_server.queue(Reply(content="a b"))
    chunks = list(_create(chat_server.client(), stream=True))
    assert all(c.choices for c in chunks)
    assert all(c.usage is None for c in chunks)
    assert chunks[-1].choices[0].finish_reason == "stop"


def test_stream_events_reach_the_client_incrementally(chat_server: ChatServer) -> None:
    # The server sends the first word, then holds the rest until the client has read that word. A server (or a
    # client) that buffered the stream would deadlock here and fail; no timing is involved.
    gate = threading.Event()
    chat_server.queue(Reply(content="one two three four", gate=gate))
    stream = _create(chat_server.client(), stream=True)
    words = []
    for chunk in stream:
        if chunk.choices and chunk.choices[0].delta.content:
            words.append(chunk.choices[0].delta.content)
            if len(words) == 1:
                assert len(chat_server.last_request.event_times) <= 2, "role and first word at most: the rest is held back"
                gate.set()
    assert "".join(words) == "one two three four"


# -- HTTP errors -------------------------------------------------------------------------------------------------------


def test_429_with_retry_after_raises_rate_limit_error(chat_server: ChatServer) -> None:
    chat_server.queue(Reply.error(429, "Slow down", headers={"Retry-After": "1"}))
    with pytest.raises(openai.RateLimitError) as excinfo:
        _create(chat_server.client())
    err = excinfo.value
    assert err.status_code == 429
    assert err.response.headers["retry-after"] == "1"
    assert err.code == "rate_limit_exceeded"
    assert err.message == "Error code: 429 - Slow down"
    assert len(chat_server.chat_requests) == 1  # max_retries=0: no retry


async def test_async_429_raises_rate_limit_error(chat_server: ChatServer) -> None:
    chat_server.queue(Reply.error(429, headers={"Retry-After": "1"}))
    async with chat_server.async_client() as client:
        with pytest.raises(openai.RateLimitError) as excinfo:
            await _acreate(client)
    assert excinfo.value.response.headers["retry-after"] == "1"


def test_client_retries_honour_retry_after(chat_server: ChatServer) -> None:
    chat_server.queue(Reply.error(429, headers={"retry-after-ms": "10"}), Reply(content="after retry"))
    completion = _create(chat_server.client(max_retries=1))
    assert completion.choices[0].message.content == "after retry"
    assert [r.headers["x-stainless-retry-count"] for r in chat_server.chat_requests] == ["0", "1"]


@pytest.mark.parametrize(
    ("status", "exc_type"),
    [
        (400, openai.BadRequestError),
        (401, openai.AuthenticationError),
        (500, openai.InternalServerError),
        (503, openai.InternalServerError),
    ],
)
def test_error_statuses_raise_the_matching_exception(chat_server: ChatServer, status: int, exc_type: type) -> None:
    chat_server.queue(Reply.error(status))
    with pytest.raises(exc_type) as excinfo:
        _create(chat_server.client())
    assert type(excinfo.value) is exc_type
    assert excinfo.value.status_code == status


def test_error_status_applies_to_streaming_requests_too(chat_server: ChatServer) -> None:
    chat_server.queue(Reply.error(500))
    with pytest.raises(openai.InternalServerError):
        _create(chat_server.client(), stream=True)


def test_non_json_error_body(chat_server: ChatServer) -> None:
    chat_server.queue(Reply(status=502, body="<html>502 Bad Gateway</html>"))
    with pytest.raises(openai.InternalServerError) as excinfo:
        _create(chat_server.client())
    assert excinfo.value.status_code == 502
    assert excinfo.value.body == "<html>502 Bad Gateway</html>"


# -- transport faults --------------------------------------------------------------------------------------------------


def test_delay_beyond_timeout_raises_api_timeout_error(chat_server: ChatServer) -> None:
    chat_server.queue(Reply(content="too late", delay=3.0), Reply(content="in time"))
    client = chat_server.client(timeout=0.3)
    started = time.monotonic()
    with pytest.raises(openai.APITimeoutError):
        _create(client)
    assert time.monotonic() - started < 1.5
    assert _create(client).choices[0].message.content == "in time"  # the server keeps serving


async def test_async_delay_beyond_timeout_raises_api_timeout_error(chat_server: ChatServer) -> None:
    chat_server.queue(Reply(delay=3.0))
    async with chat_server.async_client(timeout=0.3) as client:
        with pytest.raises(openai.APITimeoutError):
            await _acreate(client)


def test_delay_within_timeout_succeeds(chat_server: ChatServer) -> None:
    chat_server.queue(Reply(content="slow", delay=0.2))
    started = time.monotonic()
    assert _create(chat_server.client(timeout=2)).choices[0].message.content == "slow"
    assert time.monotonic() - started >= 0.2


def test_stream_cut_yields_partial_deltas_then_api_connection_error(chat_server: ChatServer) -> None:
    chat_server.queue(Reply(content="alpha beta gamma delta", fault=Fault.STREAM_CUT, cut_after=2))
    received = []
    stream = _create(chat_server.client(), stream=True)
    with pytest.raises(openai.APIConnectionError) as excinfo:
        for chunk in stream:
            received.append(chunk.choices[0].delta.content)
    assert type(excinfo.value) is openai.APIConnectionError  # not APITimeoutError, not a raw httpx2 error
    assert isinstance(excinfo.value.__cause__, httpx2.RemoteProtocolError)
    assert received == ["", "alpha ", "beta "]


async def test_async_stream_cut_yields_partial_deltas_then_api_connection_error(chat_server: ChatServer) -> None:
    chat_server.queue(Reply(deltas=["a", "b", "c"], fault=Fault.STREAM_CUT, cut_after=1))
    received = []
    async with chat_server.async_client() as client:
        stream = await _acreate(client, stream=True)
        with pytest.raises(openai.APIConnectionError) as excinfo:
            async for chunk in stream:
                received.append(chunk.choices[0].delta.content)
    assert type(excinfo.value) is openai.APIConnectionError
    assert received == ["", "a"]


def test_non_streaming_body_cut_raises_api_connection_error(chat_server: ChatServer) -> None:
    chat_server.queue(Reply(fault=Fault.STREAM_CUT))
    with pytest.raises(openai.APIConnectionError) as excinfo:
        _create(chat_server.client())
    assert type(excinfo.value) is openai.APIConnectionError


def test_invalid_json_body_raises_json_decode_error(chat_server: ChatServer) -> None:
    # The client does not wrap this: response.json() raises json.JSONDecodeError (a ValueError), not an openai error.
    chat_server.queue(Reply(content="never parsed", fault=Fault.INVALID_JSON))
    with pytest.raises(json.JSONDecodeError) as excinfo:
        _create(chat_server.client())
    assert not isinstance(excinfo.value, openai.OpenAIError)


async def test_async_invalid_json_body_raises_json_decode_error(chat_server: ChatServer) -> None:
    chat_server.queue(Reply(fault=Fault.INVALID_JSON))
    async with chat_server.async_client() as client:
        with pytest.raises(json.JSONDecodeError):
            await _acreate(client)


def test_invalid_json_stream_event_raises_json_decode_error_after_first_delta(chat_server: ChatServer) -> None:
    chat_server.queue(Reply(content="first second", fault=Fault.INVALID_JSON))
    received = []
    with pytest.raises(json.JSONDecodeError):
        for chunk in _create(chat_server.client(), stream=True):
            received.append(chunk.choices[0].delta.content)
    assert received == ["", "first "]


def test_empty_choices(chat_server: ChatServer) -> None:
    chat_server.queue(Reply(fault=Fault.EMPTY_CHOICES, prompt_tokens=5, completion_tokens=0))
    completion = _create(chat_server.client())
    assert completion.choices == []
    assert completion.usage is not None and completion.usage.prompt_tokens == 5


def test_empty_choices_in_a_stream(chat_server: ChatServer) -> None:
    chat_server.queue(Reply(fault=Fault.EMPTY_CHOICES))
    chunks = list(_create(chat_server.client(), stream=True, stream_options={"include_usage": True}))
    assert chunks and all(c.choices == [] for c in chunks)
    assert chunks[-1].usage is not None


def test_closed_connection_raises_api_connection_error(chat_server: ChatServer) -> None:
    chat_server.queue(Reply(fault=Fault.CLOSE_CONNECTION), Reply(content="recovered"))
    client = chat_server.client()
    with pytest.raises(openai.APIConnectionError) as excinfo:
        _create(client)
    assert type(excinfo.value) is openai.APIConnectionError
    assert isinstance(excinfo.value.__cause__, httpx2.RemoteProtocolError)
    assert _create(client).choices[0].message.content == "recovered"
    assert len(chat_server.chat_requests) == 2  # the dropped request was read and recorded


async def test_async_closed_connection_raises_api_connection_error(chat_server: ChatServer) -> None:
    chat_server.queue(Reply(fault=Fault.CLOSE_CONNECTION))
    async with chat_server.async_client() as client:
        with pytest.raises(openai.APIConnectionError) as excinfo:
            await _acreate(client, stream=True)
    assert type(excinfo.value) is openai.APIConnectionError


def test_handler_crash_is_reported() -> None:
    def broken(body: dict) -> Reply:
        raise RuntimeError("bug in a reply callable")

    with ChatServer() as server:
        server.queue(broken)
        with pytest.raises(openai.APIConnectionError):
            _create(server.client())
    assert len(server.errors) == 1 and "bug in a reply callable" in server.errors[0]


# -- structured output -------------------------------------------------------------------------------------------------


class Verdict(pydantic.BaseModel):
    score: int
    reason: str


def test_structured_output_returns_scripted_content_as_is(chat_server: ChatServer) -> None:
    schema = {"type": "object", "properties": {"score": {"type": "integer"}}, "required": ["score"]}
    response_format = {"type": "json_schema", "json_schema": {"name": "verdict", "schema": schema, "strict": True}}
    chat_server.queue(Reply(content='{"score": 4}'), Reply(content="not json at all"))
    client = chat_server.client()
    assert _create(client, response_format=response_format).choices[0].message.content == '{"score": 4}'
    assert _create(client, response_format=response_format).choices[0].message.content == "not json at all"
    assert chat_server.last_request.body["response_format"] == response_format


def test_structured_output_parse_valid_and_invalid(chat_server: ChatServer) -> None:
    chat_server.queue(Reply(content='{"score": 3, "reason": "clear"}'), Reply(content='{"score": "high"'))
    client = chat_server.client()
    parsed = client.chat.completions.parse(model="gpt-4o-mini", messages=MESSAGES, response_format=Verdict)
    assert parsed.choices[0].message.parsed == Verdict(score=3, reason="clear")
    sent = chat_server.last_request.body["response_format"]
    assert sent["type"] == "json_schema" and sent["json_schema"]["schema"]["required"] == ["score", "reason"]
    with pytest.raises(pydantic.ValidationError):
        client.chat.completions.parse(model="gpt-4o-mini", messages=MESSAGES, response_format=Verdict)


# -- request recording -------------------------------------------------------------------------------------------------


def test_requests_are_recorded_with_headers_and_body(chat_server: ChatServer) -> None:
    chat_server.queue(Reply(content="noted"))
    _create(chat_server.client(api_key="sk-secret-abc123"), temperature=0, max_completion_tokens=50)
    (request,) = chat_server.requests
    assert request.method == "POST"
    assert request.path == "/v1/chat/completions"
    assert request.headers["authorization"] == "Bearer sk-secret-abc123"
    assert request.headers["content-type"] == "application/json"
    assert request.find("sk-secret-abc123") == ["header:authorization"]
    assert request.body["temperature"] == 0
    assert request.body["max_completion_tokens"] == 50
    assert request.body["model"] == "gpt-4o-mini"
    assert "X-FACTOR" in request.system_prompt
    assert request.messages[-1] == {"role": "user", "content": "Hi"}
    assert json.loads(request.raw) == request.body


# -- files and batches -------------------------------------------------------------------------------------------------


def _batch_input(*custom_ids: str) -> bytes:
    lines = [
        {
            "custom_id": cid,
            "method": "POST",
            "url": "/v1/chat/completions",
            "body": {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": cid}]},
        }
        for cid in custom_ids
    ]
    return "".join(json.dumps(line) + "\n" for line in lines).encode()


def test_files_and_batch_round_trip(chat_server: ChatServer) -> None:
    client = chat_server.client()
    uploaded = client.files.create(file=("requests.jsonl", _batch_input("q-1", "q-2", "q-3")), purpose="batch")
    assert uploaded.object == "file" and uploaded.purpose == "batch" and uploaded.filename == "requests.jsonl"
    assert client.files.content(uploaded.id).content == _batch_input("q-1", "q-2", "q-3")
    assert client.files.retrieve(uploaded.id).bytes == len(_batch_input("q-1", "q-2", "q-3"))
    assert chat_server.requests[0].form["purpose"] == "batch"

    batch = client.batches.create(input_file_id=uploaded.id, endpoint="/v1/chat/completions", completion_window="24h")
    assert batch.status == "validating" and batch.input_file_id == uploaded.id and batch.output_file_id is None

    chat_server.queue(
        lambda body: Reply(content=f"answer to {body['messages'][0]['content']}", prompt_tokens=2, completion_tokens=3),
        Reply.error(429),
        Reply(content="third"),
    )
    polled = client.batches.retrieve(batch.id)
    assert polled.status == "in_progress"
    assert chat_server.pending == 3  # replies are only consumed when the batch completes
    polled = client.batches.retrieve(batch.id)
    assert polled.status == "completed" and polled.completed_at is not None
    assert polled.request_counts is not None
    assert (polled.request_counts.total, polled.request_counts.completed, polled.request_counts.failed) == (3, 2, 1)
    assert polled.output_file_id and polled.error_file_id

    output = [json.loads(line) for line in client.files.content(polled.output_file_id).text.splitlines()]
    assert [line["custom_id"] for line in output] == ["q-1", "q-3"]
    assert output[0]["response"]["status_code"] == 200
    completion = output[0]["response"]["body"]
    assert completion["object"] == "chat.completion"
    assert completion["choices"][0]["message"]["content"] == "answer to q-1"
    assert completion["usage"]["total_tokens"] == 5
    assert openai.types.chat.ChatCompletion.model_validate(output[1]["response"]["body"]).choices[0].message.content == "third"
    errors = [json.loads(line) for line in client.files.content(polled.error_file_id).text.splitlines()]
    assert errors[0]["custom_id"] == "q-2"
    assert errors[0]["response"]["status_code"] == 429
    assert errors[0]["response"]["body"]["error"]["code"] == "rate_limit_exceeded"

    with pytest.raises(openai.ConflictError):
        client.batches.cancel(batch.id)


async def test_async_batch_cancel(chat_server: ChatServer) -> None:
    file = chat_server.add_file(_batch_input("only"))
    async with chat_server.async_client() as client:
        batch = await client.batches.create(input_file_id=file.id, endpoint="/v1/chat/completions", completion_window="24h")
        cancelling = await client.batches.cancel(batch.id)
        assert cancelling.status == "cancelling" and cancelling.cancelling_at is not None
        cancelled = await client.batches.retrieve(batch.id)
        assert cancelled.status == "cancelled" and cancelled.output_file_id is None
        with pytest.raises(openai.NotFoundError):
            await client.batches.retrieve("batch_missing")


def test_batch_with_invalid_input_fails_validation(chat_server: ChatServer) -> None:
    client = chat_server.client()
    bad = chat_server.add_file(_batch_input("dup", "dup") + b"not json\n")
    batch = client.batches.create(input_file_id=bad.id, endpoint="/v1/chat/completions", completion_window="24h")
    failed = client.batches.retrieve(batch.id)
    assert failed.status == "failed" and failed.failed_at is not None
    assert failed.errors is not None and failed.errors.data is not None
    assert {e.code for e in failed.errors.data} == {"invalid_json_line", "duplicate_custom_id"}
    with pytest.raises(openai.NotFoundError):
        client.batches.create(input_file_id="file-missing", endpoint="/v1/chat/completions", completion_window="24h")
