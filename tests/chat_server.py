"""A scripted, OpenAI-compatible HTTP server on 127.0.0.1 for tests, plus the `chat_server` pytest fixture.

The server speaks enough of the OpenAI wire format for the real `openai` client (sync and async) to talk to it:

* ``POST /v1/chat/completions`` (also ``/chat/completions``): plain JSON replies and Server-Sent-Event streams;
* ``POST /v1/files``, ``GET /v1/files/{id}``, ``GET /v1/files/{id}/content``;
* ``POST /v1/batches``, ``GET /v1/batches/{id}``, ``POST /v1/batches/{id}/cancel``;
* ``GET /v1/models`` and ``GET /v1/models/{id}``.

Tests script the replies in order with ``server.queue(Reply(...))``; when the queue is empty the server's
``default_reply`` is used. A reply can inject a fault (HTTP error status, delay, cut stream, invalid JSON, empty
``choices``, dropped connection). Every HTTP request is recorded in ``server.requests``.

Usage::

    def test_something(chat_server: ChatServer) -> None:
        chat_server.queue(Reply(content="hello", prompt_tokens=12, completion_tokens=3))
        client = chat_server.client()  # openai.OpenAI, max_retries=0, timeout=5 s
        ...
        assert chat_server.requests[0].body["temperature"] == 0

Only the standard library is used (plus pytest for the fixture, and openai, imported lazily, for the client helpers).
"""

from __future__ import annotations

import contextlib
import email.parser
import email.policy
import enum
import itertools
import json
import re
import socket
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

import pytest

if TYPE_CHECKING:
    import openai

__all__ = ["ChatServer", "Fault", "FormFile", "RecordedRequest", "Reply", "StoredFile", "chat_server"]

HOST = "127.0.0.1"
DEFAULT_API_KEY = "sk-test-chat-server-0123456789"


class Fault(enum.Enum):
    """Transport-level misbehaviour for one reply (HTTP error statuses and delays are plain `Reply` fields)."""

    STREAM_CUT = "stream_cut"
    """Streaming: send the role chunk and `Reply.cut_after` content deltas, then drop the connection (no `[DONE]`,
    no terminating HTTP chunk). Non-streaming: send half of the JSON body, then drop the connection."""

    INVALID_JSON = "invalid_json"
    """Non-streaming: a 200 `application/json` response whose body is truncated, unparseable JSON.
    Streaming: after the first content delta, an SSE `data:` line that is not JSON."""

    EMPTY_CHOICES = "empty_choices"
    """The completion (or every stream chunk) has `"choices": []`; usage is still reported."""

    CLOSE_CONNECTION = "close_connection"
    """Read the request, then close the connection without sending any response bytes."""


_ERROR_DEFAULTS: dict[int, tuple[str, str, str | None]] = {
    400: ("Invalid request.", "invalid_request_error", None),
    401: ("Incorrect API key provided.", "invalid_request_error", "invalid_api_key"),
    403: ("You are not allowed to access this resource.", "invalid_request_error", "unsupported_country_region_territory"),
    404: ("The requested resource does not exist.", "invalid_request_error", "not_found"),
    409: ("Conflict.", "invalid_request_error", None),
    422: ("Unprocessable entity.", "invalid_request_error", None),
    429: ("Rate limit reached for requests.", "requests", "rate_limit_exceeded"),
    500: ("The server had an error while processing your request. Sorry about that!", "server_error", None),
    502: ("Bad gateway.", "server_error", None),
    503: ("The engine is currently overloaded, please try again later.", "server_error", None),
}


def error_body(status: int, message: str | None = None, *, type: str | None = None, code: str | None = None) -> dict:
    """The OpenAI error envelope: ``{"error": {"message", "type", "param", "code"}}``."""
    default_message, default_type, default_code = _ERROR_DEFAULTS.get(status, (f"HTTP {status}", "server_error", None))
    return {
        "error": {
            "message": message if message is not None else default_message,
            "type": type if type is not None else default_type,
            "param": None,
            "code": code if code is not None else default_code,
        }
    }


@dataclass
class Reply:
    """One scripted reply to a chat-completions request.

    content:      the assistant message (streamed as `deltas`, by default split after each word).
    deltas:       explicit stream pieces; `content` defaults to their concatenation (both given → must agree).
    prompt_tokens / completion_tokens: reported usage; `None` → a rough deterministic estimate.
    finish_reason: "stop", "length", "content_filter", ...
    model:        the `model` field of the response; `None` → echo the request's model.
    status:       HTTP status; >= 400 sends `body` (default: the OpenAI error envelope) instead of a completion,
                  whether or not the request asked to stream.
    body:         for error statuses: a dict (sent as JSON), a str (text/plain, e.g. a proxy's HTML page) or bytes.
    headers:      extra response headers (e.g. {"Retry-After": "1"}), sent with any status.
    delay:        seconds to wait before sending anything (for client timeouts); cut short when the server stops.
    chunk_delay:  streaming: seconds to wait between SSE events.
    fault:        a `Fault`, or None.
    cut_after:    with `Fault.STREAM_CUT`: how many content deltas are sent before the connection drops.
    gate:         streaming: after the first content delta, wait (up to 30 s) for this event before sending the rest,
                  so a test can prove the client saw the first delta while the server still held the others.
    """

    content: str | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    finish_reason: str = "stop"
    model: str | None = None
    deltas: list[str] | None = None
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    chunk_delay: float = 0.0
    fault: Fault | None = None
    cut_after: int = 1
    gate: threading.Event | None = None
    send_usage: bool = True  # streaming: False sends no usage chunk even when asked (as some servers do)

    def __post_init__(self) -> None:
        if self.deltas is not None:
            joined = "".join(self.deltas)
            if self.content is None:
                self.content = joined
            elif self.content != joined:
                raise ValueError("Reply: content and deltas disagree")
        if self.content is None:
            self.content = "OK"
        if self.fault is not None and not isinstance(self.fault, Fault):
            raise TypeError(f"Reply.fault must be a Fault, not {self.fault!r}")

    @classmethod
    def error(
        cls,
        status: int,
        message: str | None = None,
        *,
        type: str | None = None,
        code: str | None = None,
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
    ) -> Reply:
        """An HTTP error reply with the OpenAI error envelope, e.g. ``Reply.error(429, headers={"Retry-After": "1"})``."""
        return cls(
            status=status, body=error_body(status, message, type=type, code=code), headers=dict(headers or {}), delay=delay
        )

    def stream_pieces(self) -> list[str]:
        if self.deltas is not None:
            return list(self.deltas)
        assert self.content is not None
        return re.findall(r"\s*\S+\s*|\s+", self.content)


ReplySource = Reply | Callable[[dict[str, Any]], Reply]
"""A queued item: a `Reply`, or a callable that receives the parsed chat-completions request body and returns one."""


@dataclass(frozen=True)
class FormFile:
    """A file part of a multipart/form-data request."""

    filename: str | None
    content_type: str
    data: bytes


@dataclass
class RecordedRequest:
    """One HTTP request as the server received it."""

    method: str
    path: str
    """The path as sent, without the query string (e.g. "/v1/chat/completions")."""
    query: dict[str, list[str]]
    headers: dict[str, str]
    """Header names are lower-cased (HTTP header names are case-insensitive)."""
    raw: bytes
    """The request body bytes (de-chunked)."""
    body: Any
    """The parsed JSON body, or None when the body is empty or not JSON (e.g. multipart)."""
    form: dict[str, str | FormFile] = field(default_factory=dict)
    """multipart/form-data fields: text fields as str, file parts as FormFile."""
    event_times: list[float] = field(default_factory=list)
    """Streaming responses: `time.monotonic()` right after each SSE event was written to the socket."""

    @property
    def endpoint(self) -> str:
        """The path without a leading "/v1" and trailing "/", e.g. "/chat/completions"."""
        return _endpoint(self.path)

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages", [])) if isinstance(self.body, dict) else []

    @property
    def system_prompt(self) -> str:
        """The concatenated text of all system/developer messages."""
        return "\n".join(_text_of(m.get("content")) for m in self.messages if m.get("role") in ("system", "developer"))

    def find(self, needle: str) -> list[str]:
        """Where `needle` occurs: "path", "query", "header:<name>", "body" — e.g. to prove an API key only travels in
        the Authorization header: ``assert req.find(key) == ["header:authorization"]``."""
        places = []
        if needle in self.path:
            places.append("path")
        if any(needle in k or any(needle in v for v in vs) for k, vs in self.query.items()):
            places.append("query")
        places += [f"header:{k}" for k, v in self.headers.items() if needle in k or needle in v]
        if needle.encode() in self.raw:
            places.append("body")
        return places


@dataclass
class StoredFile:
    id: str
    filename: str
    purpose: str
    data: bytes
    created_at: int

    def as_object(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "file",
            "bytes": len(self.data),
            "created_at": self.created_at,
            "filename": self.filename,
            "purpose": self.purpose,
            "status": "processed",
            "expires_at": None,
            "status_details": None,
        }


def _role_problem(messages: list[Any]) -> str | None:
    """What a strict template would raise on, or None (an independent check of mockint's layout)."""
    roles = [m.get("role") if isinstance(m, dict) else None for m in messages]
    if roles[:1] == ["system"]:
        roles = roles[1:]
    if not roles:
        return "no conversation"
    if roles[0] != "user":
        return f"starts with {roles[0]}"
    for i, role in enumerate(roles):
        expected = "user" if i % 2 == 0 else "assistant"
        if role != expected:
            return f"message {i + 1} is {role}, expected {expected}"
    if roles[-1] != "user":
        return "ends with assistant"
    return None


def _endpoint(path: str) -> str:
    path = urlsplit(path).path
    if path == "/v1" or path.startswith("/v1/"):
        path = path[3:]
    return path.rstrip("/") or "/"


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # content parts: [{"type": "text", "text": ...}, ...]
        return "\n".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return ""


def estimate_tokens(text: str) -> int:
    """A crude, deterministic token count (words and punctuation marks)."""
    return len(re.findall(r"\w+|[^\w\s]", text))


def _usage(request: dict[str, Any], reply: Reply) -> dict[str, Any]:
    if reply.prompt_tokens is not None:
        prompt = reply.prompt_tokens
    else:
        messages = request.get("messages") or []
        prompt = sum(3 + estimate_tokens(_text_of(m.get("content"))) for m in messages if isinstance(m, dict)) + 3
    completion = reply.completion_tokens if reply.completion_tokens is not None else estimate_tokens(reply.content or "")
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
        "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
        "completion_tokens_details": {
            "reasoning_tokens": 0,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0,
        },
    }


_BROKEN_EVENT = '{"id": "chatcmpl-broken", "choices": [{"delta": {"content": "'


class _Dropped(Exception):
    """The handler deliberately dropped the connection."""


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # ChatServer.stop() joins the handler threads itself, after unblocking them
    request_queue_size = 128  # the default backlog of 5 refuses connections when a client opens many at once
    owner: ChatServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        self.owner._handler_crashed(traceback.format_exc())

    def process_request(self, request: Any, client_address: Any) -> None:
        """As ThreadingMixIn does, but every handler thread is recorded before it starts, so stop() can join
        each one (a thread that has not tracked itself yet, or has untracked itself but not yet ended)."""
        thread = threading.Thread(target=self.process_request_thread, args=(request, client_address), daemon=True)
        self.owner._spawned(thread)
        thread.start()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _HTTPServer
    server_version = "chat-server/1.0"
    sys_version = ""

    # -- plumbing ------------------------------------------------------------------------------------------------

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # no 40 ms Nagle/delayed-ACK stalls
        self.owner = self.server.owner
        self.owner._track(self.connection)

    def finish(self) -> None:
        with contextlib.suppress(OSError):
            super().finish()
        self.owner._untrack(self.connection)

    def handle_one_request(self) -> None:
        try:
            super().handle_one_request()
        except _Dropped:
            self.close_connection = True
        except (ConnectionError, TimeoutError):  # the client went away (e.g. it timed out during a `delay`)
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._dispatch()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            parts = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(parts)
                parts.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _drop(self) -> None:
        """Close the connection abruptly: no (further) response bytes, no terminating chunk."""
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)
        raise _Dropped

    def _send(self, status: int, payload: Any, headers: dict[str, str] | None = None, content_type: str | None = None) -> None:
        if isinstance(payload, bytes | bytearray):
            data = bytes(payload)
            content_type = content_type or "application/octet-stream"
        elif isinstance(payload, str):
            data = payload.encode()
            content_type = content_type or "text/plain; charset=utf-8"
        else:
            data = json.dumps(payload).encode()
            content_type = content_type or "application/json"
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self._common_headers(headers)
        self.end_headers()
        self.wfile.write(data)

    def _common_headers(self, extra: dict[str, str] | None) -> None:
        self.send_header("x-request-id", f"req_{self.owner._new_id()}")
        self.send_header("openai-processing-ms", "1")
        for name, value in (extra or {}).items():
            self.send_header(name, value)

    def _error(self, status: int, message: str, code: str | None = None) -> None:
        self._send(status, error_body(status, message, code=code))

    # -- routing -------------------------------------------------------------------------------------------------

    def _dispatch(self) -> None:
        raw = self._read_body()
        split = urlsplit(self.path)
        headers = {k.lower(): v for k, v in self.headers.items()}
        body: Any = None
        form: dict[str, str | FormFile] = {}
        content_type = headers.get("content-type", "")
        if content_type.startswith("multipart/form-data"):
            form = _parse_multipart(content_type, raw)
        elif raw:
            try:
                body = json.loads(raw)
            except ValueError:
                body = None
        request = RecordedRequest(self.command, split.path, parse_qs(split.query), headers, raw, body, form)
        self.owner._record(request)

        method, ep = self.command, _endpoint(split.path)
        parts = ep.strip("/").split("/")
        if method == "POST" and ep == "/chat/completions":
            self._chat(request)
        elif method == "POST" and ep == "/files":
            self._upload(request)
        elif method == "GET" and len(parts) == 2 and parts[0] == "files":
            self._file_object(parts[1])
        elif method == "GET" and len(parts) == 3 and parts[0] == "files" and parts[2] == "content":
            self._file_content(parts[1])
        elif method == "POST" and ep == "/batches":
            self._batch_create(request)
        elif method == "GET" and len(parts) == 2 and parts[0] == "batches":
            self._batch_poll(parts[1])
        elif method == "POST" and len(parts) == 3 and parts[0] == "batches" and parts[2] == "cancel":
            self._batch_cancel(parts[1])
        elif method == "GET" and ep == "/models":
            self._send(200, {"object": "list", "data": [_model_object(m) for m in self.owner.models]})
        elif method == "GET" and len(parts) == 2 and parts[0] == "models":
            if parts[1] in self.owner.models:
                self._send(200, _model_object(parts[1]))
            else:
                self._error(404, f"The model `{parts[1]}` does not exist or you do not have access to it.", "model_not_found")
        else:
            self._error(404, f"Invalid URL ({method} {split.path})", "unknown_url")

    # -- chat completions ----------------------------------------------------------------------------------------

    def _chat(self, request: RecordedRequest) -> None:
        body = request.body
        if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
            self._error(400, "We could not parse the JSON body of your request, or it has no 'messages' array.")
            return
        problem = _role_problem(body["messages"]) if self.owner.strict_roles else None
        if problem is not None:
            self._error(400, f"Conversation roles must alternate user/assistant/user/assistant/... ({problem})")
            return
        reply = self.owner._next_reply(body)
        if reply is None:
            self._error(500, "chat_server: no reply queued and no default_reply configured", "no_scripted_reply")
            return
        if reply.delay > 0 and self.owner._stopping.wait(reply.delay):
            self._drop()
        if reply.fault is Fault.CLOSE_CONNECTION:
            self._drop()
        if reply.status >= 400:
            payload = reply.body if reply.body is not None else error_body(reply.status)
            self._send(reply.status, payload, reply.headers)
            return
        if body.get("stream"):
            self._stream(request, body, reply)
            return
        completion = self.owner._completion(body, reply)
        if reply.fault in (Fault.INVALID_JSON, Fault.STREAM_CUT):
            text = json.dumps(completion).encode()
            if reply.fault is Fault.INVALID_JSON:
                self._send(reply.status, text[: len(text) // 2], reply.headers, content_type="application/json")
                return
            # STREAM_CUT on a non-streaming request: announce the full length, send half, drop.
            self.send_response(reply.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(text)))
            self._common_headers(reply.headers)
            self.end_headers()
            self.wfile.write(text[: len(text) // 2])
            self._drop()
        self._send(reply.status, completion, reply.headers)

    def _stream(self, request: RecordedRequest, body: dict[str, Any], reply: Reply) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self._common_headers(reply.headers)
        self.end_headers()

        stream_options = body.get("stream_options") or {}
        include_usage = bool(stream_options.get("include_usage")) if isinstance(stream_options, dict) else False
        base = {
            "id": f"chatcmpl-{self.owner._new_id()}",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": reply.model or body.get("model") or "gpt-test",
            "service_tier": "default",
            "system_fingerprint": "fp_chat_server",
        }
        first_event = True

        def send(data: str) -> None:
            nonlocal first_event
            if reply.chunk_delay > 0 and not first_event and self.owner._stopping.wait(reply.chunk_delay):
                self._drop()
            first_event = False
            event = f"data: {data}\n\n".encode()
            self.wfile.write(f"{len(event):x}\r\n".encode() + event + b"\r\n")
            self.wfile.flush()
            request.event_times.append(time.monotonic())

        def chunk(delta: dict[str, Any] | None, finish_reason: str | None = None) -> str:
            choices = [] if delta is None else [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}]
            return json.dumps({**base, "choices": choices, **({"usage": None} if include_usage else {})})

        if reply.fault is Fault.EMPTY_CHOICES:
            send(chunk(None))
        else:
            send(chunk({"role": "assistant", "content": "", "refusal": None}))
            pieces = reply.stream_pieces()
            for index, piece in enumerate(pieces):
                if reply.fault is Fault.STREAM_CUT and index >= reply.cut_after:
                    self._drop()
                send(chunk({"content": piece}))
                if index == 0 and reply.gate is not None and not reply.gate.wait(30):
                    self._drop()
                if reply.fault is Fault.INVALID_JSON and index == 0:
                    send(_BROKEN_EVENT)
            if reply.fault is Fault.INVALID_JSON and not pieces:
                send(_BROKEN_EVENT)
            if reply.fault is Fault.STREAM_CUT:
                self._drop()
            send(chunk({}, reply.finish_reason))
        if include_usage and reply.send_usage:
            send(json.dumps({**base, "choices": [], "usage": _usage(body, reply)}))
        send("[DONE]")
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    # -- files and batches ---------------------------------------------------------------------------------------

    def _upload(self, request: RecordedRequest) -> None:
        upload, purpose = request.form.get("file"), request.form.get("purpose")
        if not isinstance(upload, FormFile) or not isinstance(purpose, str):
            self._error(400, "Expected multipart/form-data with a 'file' part and a 'purpose' field.")
            return
        stored = self.owner.add_file(upload.data, purpose=purpose, filename=upload.filename or "upload")
        self._send(200, stored.as_object())

    def _file_object(self, file_id: str) -> None:
        stored = self.owner.files.get(file_id)
        if stored is None:
            self._error(404, f"No such File object: {file_id}")
        else:
            self._send(200, stored.as_object())

    def _file_content(self, file_id: str) -> None:
        stored = self.owner.files.get(file_id)
        if stored is None:
            self._error(404, f"No such File object: {file_id}")
        else:
            self._send(200, stored.data)

    def _batch_create(self, request: RecordedRequest) -> None:
        body = request.body if isinstance(request.body, dict) else {}
        missing = [k for k in ("input_file_id", "endpoint", "completion_window") if not body.get(k)]
        if missing:
            self._error(400, f"Missing required parameter: '{missing[0]}'.")
            return
        if body["input_file_id"] not in self.owner.files:
            self._error(404, f"No such File object: {body['input_file_id']}")
            return
        self._send(200, self.owner._create_batch(body))

    def _batch_poll(self, batch_id: str) -> None:
        batch = self.owner._advance_batch(batch_id)
        if batch is None:
            self._error(404, f"No such Batch object: {batch_id}")
        else:
            self._send(200, batch)

    def _batch_cancel(self, batch_id: str) -> None:
        batch, error = self.owner._cancel_batch(batch_id)
        if batch is None:
            self._error(404 if error is None else 409, error or f"No such Batch object: {batch_id}")
        else:
            self._send(200, batch)


def _model_object(model_id: str) -> dict[str, Any]:
    return {"id": model_id, "object": "model", "created": 1_700_000_000, "owned_by": "chat-server"}


def _parse_multipart(content_type: str, raw: bytes) -> dict[str, str | FormFile]:
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode() + raw
    )
    form: dict[str, str | FormFile] = {}
    if not message.is_multipart():
        return form
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        data = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename is not None or part.get_content_type() != "text/plain":
            form[name] = FormFile(filename, part.get_content_type(), data)
        else:
            form[name] = data.decode("utf-8")
    return form


class ChatServer:
    """A scripted OpenAI-compatible server on 127.0.0.1 (OS-assigned port), served from a background thread.

    Use as a context manager or call `start()` / `stop()`; or use the `chat_server` fixture.
    """

    def __init__(
        self,
        default_reply: ReplySource | None = None,
        *,
        api_key: str = DEFAULT_API_KEY,
        models: tuple[str, ...] = ("gpt-4o-mini", "gpt-4.1-mini"),
        strict_roles: bool = True,
    ) -> None:
        self.default_reply: ReplySource | None = default_reply if default_reply is not None else Reply(content="OK")
        """Used when the queue is empty; may be a callable. Set to None to answer 500 instead."""
        self.api_key = api_key
        """The key the client helpers send (the server does not check it; queue `Reply.error(401)` to reject it)."""
        self.models = models
        self.strict_roles = strict_roles
        """Reject what strict chat templates (Gemma 3, Mistral) reject: anything but an optional leading system
        message followed by user/assistant turns that alternate, starting and ending with user."""
        self.files: dict[str, StoredFile] = {}
        self.batches: dict[str, dict[str, Any]] = {}
        self.errors: list[str] = []
        """Tracebacks of exceptions inside the server's handlers (bugs in this helper); the fixture fails on them."""
        self._queue: deque[ReplySource] = deque()
        self._requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._batch_lock = threading.RLock()
        self._ids = itertools.count(1)
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._handler_threads: set[threading.Thread] = set()
        self._all_threads: list[threading.Thread] = []  # every handler thread ever started, for stop() to join
        self._clients: list[Any] = []
        self._httpd = _HTTPServer((HOST, 0), _Handler)  # binds and listens now: no start-up race
        self._httpd.owner = self
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------------------------------------

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        """The server root, e.g. "http://127.0.0.1:PORT"."""
        return f"http://{HOST}:{self.port}"

    @property
    def base_url(self) -> str:
        """The OpenAI base URL, e.g. "http://127.0.0.1:PORT/v1"."""
        return f"{self.url}/v1"

    def start(self) -> ChatServer:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name=f"chat-server:{self.port}", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Close the helper-made clients, wake delayed handlers, drop open connections, and join every thread."""
        for client in self._clients:
            with contextlib.suppress(Exception):
                client.close()
        self._clients.clear()
        self._stopping.set()
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._httpd.server_close()
        with self._lock:
            connections, threads = list(self._connections), list(self._all_threads)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        for thread in threads:
            thread.join(timeout=5)
        with self._lock:
            self._all_threads = [t for t in self._all_threads if t.is_alive()]

    def __enter__(self) -> ChatServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- scripting and inspection ----------------------------------------------------------------------------------

    def queue(self, *replies: ReplySource) -> None:
        """Append replies, consumed in order by chat-completions requests (and batch lines)."""
        for reply in replies:
            if not isinstance(reply, Reply) and not callable(reply):
                raise TypeError(f"queue() takes Reply objects or callables, not {reply!r}")
        with self._lock:
            self._queue.extend(replies)

    @property
    def pending(self) -> int:
        """How many queued replies have not been used yet."""
        with self._lock:
            return len(self._queue)

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every HTTP request received so far, in arrival order (a copy)."""
        with self._lock:
            return list(self._requests)

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.endpoint == "/chat/completions"]

    @property
    def last_request(self) -> RecordedRequest:
        requests = self.requests
        if not requests:
            raise AssertionError("chat_server received no requests")
        return requests[-1]

    def add_file(self, data: bytes, *, purpose: str = "batch", filename: str = "upload.jsonl") -> StoredFile:
        stored = StoredFile(f"file-{self._new_id()}", filename, purpose, bytes(data), int(time.time()))
        with self._lock:
            self.files[stored.id] = stored
        return stored

    # -- client helpers ------------------------------------------------------------------------------------------

    def _client_kwargs(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        kwargs.setdefault("api_key", self.api_key)
        kwargs.setdefault("base_url", self.base_url)
        kwargs.setdefault("max_retries", 0)
        kwargs.setdefault("timeout", 5.0)
        return kwargs

    def client(self, **kwargs: Any) -> openai.OpenAI:
        """An `openai.OpenAI` pointed at this server: max_retries=0, timeout=5 s, proxies from the environment ignored.
        Any keyword overrides. Closed when the server stops."""
        import openai

        kwargs = self._client_kwargs(kwargs)
        kwargs.setdefault("http_client", openai.DefaultHttpx2Client(trust_env=False))
        client = openai.OpenAI(**kwargs)
        self._clients.append(client)
        return client

    def async_client(self, **kwargs: Any) -> openai.AsyncOpenAI:
        """An `openai.AsyncOpenAI` like `client()`; close it yourself (``async with server.async_client() as c:``)."""
        import openai

        kwargs = self._client_kwargs(kwargs)
        kwargs.setdefault("http_client", openai.DefaultAsyncHttpx2Client(trust_env=False))
        return openai.AsyncOpenAI(**kwargs)

    # -- internals used by the handler ---------------------------------------------------------------------------

    def _new_id(self) -> str:
        return f"{next(self._ids):06x}{int(time.time() * 1000) & 0xFFFFFF:06x}"

    def _spawned(self, thread: threading.Thread) -> None:
        with self._lock:
            self._all_threads.append(thread)

    def _track(self, conn: socket.socket) -> None:
        with self._lock:
            self._connections.add(conn)
            self._handler_threads.add(threading.current_thread())

    def _untrack(self, conn: socket.socket) -> None:
        with self._lock:
            self._connections.discard(conn)
            self._handler_threads.discard(threading.current_thread())

    def _handler_crashed(self, text: str) -> None:
        with self._lock:
            self.errors.append(text)

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)

    def _next_reply(self, body: dict[str, Any]) -> Reply | None:
        with self._lock:
            source = self._queue.popleft() if self._queue else self.default_reply
        if source is None:
            return None
        reply = source if isinstance(source, Reply) else source(body)
        if not isinstance(reply, Reply):
            raise TypeError(f"reply callable returned {reply!r}, not a Reply")
        return reply

    def _completion(self, body: dict[str, Any], reply: Reply) -> dict[str, Any]:
        choices = []
        if reply.fault is not Fault.EMPTY_CHOICES:
            message = {"role": "assistant", "content": reply.content, "refusal": None, "annotations": []}
            choices.append({"index": 0, "message": message, "logprobs": None, "finish_reason": reply.finish_reason})
        return {
            "id": f"chatcmpl-{self._new_id()}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": reply.model or body.get("model") or "gpt-test",
            "choices": choices,
            "usage": _usage(body, reply),
            "service_tier": "default",
            "system_fingerprint": "fp_chat_server",
        }

    # -- batches -------------------------------------------------------------------------------------------------
    # Each GET /batches/{id} advances one step: validating → in_progress → completed (or failed when the input file
    # is not valid JSONL of {custom_id, method, url, body}). Replies are taken from the queue when the batch completes.

    def _create_batch(self, body: dict[str, Any]) -> dict[str, Any]:
        now = int(time.time())
        batch = {
            "id": f"batch_{self._new_id()}",
            "object": "batch",
            "endpoint": body["endpoint"],
            "model": None,
            "errors": None,
            "input_file_id": body["input_file_id"],
            "completion_window": body["completion_window"],
            "status": "validating",
            "output_file_id": None,
            "error_file_id": None,
            "created_at": now,
            "in_progress_at": None,
            "expires_at": now + 24 * 3600,
            "finalizing_at": None,
            "completed_at": None,
            "failed_at": None,
            "expired_at": None,
            "cancelling_at": None,
            "cancelled_at": None,
            "request_counts": {"total": 0, "completed": 0, "failed": 0},
            "metadata": body.get("metadata"),
        }
        with self._batch_lock:
            self.batches[batch["id"]] = batch
        return json.loads(json.dumps(batch))

    def _advance_batch(self, batch_id: str) -> dict[str, Any] | None:
        with self._batch_lock:
            batch = self.batches.get(batch_id)
            return None if batch is None else self._advance_locked(batch)

    def _advance_locked(self, batch: dict[str, Any]) -> dict[str, Any]:
        now = int(time.time())
        if batch["status"] == "validating":
            lines, problems = self._batch_lines(batch)
            if problems:
                batch.update(status="failed", failed_at=now, errors={"object": "list", "data": problems})
            else:
                batch.update(status="in_progress", in_progress_at=now)
                batch["request_counts"]["total"] = len(lines)
        elif batch["status"] == "in_progress":
            self._run_batch(batch)
        elif batch["status"] == "cancelling":
            batch.update(status="cancelled", cancelled_at=now)
        return json.loads(json.dumps(batch))

    def _cancel_batch(self, batch_id: str) -> tuple[dict[str, Any] | None, str | None]:
        with self._batch_lock:
            batch = self.batches.get(batch_id)
            if batch is None:
                return None, None
            if batch["status"] not in ("validating", "in_progress"):
                return None, f"Cannot cancel a batch with status '{batch['status']}'."
            batch.update(status="cancelling", cancelling_at=int(time.time()))
            return json.loads(json.dumps(batch)), None

    def _batch_lines(self, batch: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        data = self.files[batch["input_file_id"]].data.decode("utf-8", errors="replace")
        lines, problems = [], []
        for number, text in enumerate(data.splitlines(), start=1):
            if not text.strip():
                continue
            try:
                line = json.loads(text)
            except ValueError:
                line = None
            if not (isinstance(line, dict) and isinstance(line.get("custom_id"), str) and isinstance(line.get("body"), dict)):
                problems.append({"code": "invalid_json_line", "line": number, "message": "Invalid batch request line."})
                continue
            if line.get("url") != batch["endpoint"] or line.get("method") != "POST":
                problems.append({"code": "mismatched_endpoint", "line": number, "message": "The line's url/method must match."})
                continue
            lines.append(line)
        custom_ids = [line["custom_id"] for line in lines]
        if len(set(custom_ids)) != len(custom_ids):
            problems.append({"code": "duplicate_custom_id", "line": None, "message": "custom_id values must be unique."})
        return lines, problems

    def _run_batch(self, batch: dict[str, Any]) -> None:
        lines, _ = self._batch_lines(batch)
        output, errors = [], []
        for line in lines:
            body = line["body"]
            reply = self._next_reply(body) if _endpoint(line["url"]) == "/chat/completions" else None
            record: dict[str, Any] = {"id": f"batch_req_{self._new_id()}", "custom_id": line["custom_id"]}
            if reply is None:
                record.update(response=None, error={"code": "server_error", "message": "No reply available for this line."})
                errors.append(json.dumps(record))
            elif reply.fault in (Fault.STREAM_CUT, Fault.CLOSE_CONNECTION):
                record.update(response=None, error={"code": "server_error", "message": f"Injected fault: {reply.fault.value}"})
                errors.append(json.dumps(record))
            elif reply.status >= 400:
                payload = reply.body if reply.body is not None else error_body(reply.status)
                record.update(response={"status_code": reply.status, "request_id": f"req_{self._new_id()}", "body": payload})
                record["error"] = None
                errors.append(json.dumps(record))
            else:
                completion = self._completion(body, reply)
                record.update(response={"status_code": 200, "request_id": f"req_{self._new_id()}", "body": completion})
                record["error"] = None
                text = json.dumps(record)
                output.append(text[: len(text) // 2] if reply.fault is Fault.INVALID_JSON else text)
        now = int(time.time())
        batch.update(status="completed", finalizing_at=now, completed_at=now)
        batch["request_counts"] = {"total": len(lines), "completed": len(output), "failed": len(errors)}
        if output:
            batch["output_file_id"] = self.add_file(
                "".join(t + "\n" for t in output).encode(), purpose="batch_output", filename="batch_output.jsonl"
            ).id
        if errors:
            batch["error_file_id"] = self.add_file(
                "".join(t + "\n" for t in errors).encode(), purpose="batch_output", filename="batch_errors.jsonl"
            ).id


@pytest.fixture
def chat_server() -> Iterator[ChatServer]:
    """A started `ChatServer`, stopped after the test; the test fails if a server handler crashed."""
    server = ChatServer().start()
    try:
        yield server
    finally:
        server.stop()
    if server.errors:
        pytest.fail("chat_server handler crashed:\n" + "\n".join(server.errors), pytrace=False)
