"""Chat completions through `openai`: streaming for the interviewer, strict JSON for the grader, and one
error type whose kind says what went wrong (the key never appears in a message)."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import openai

from mockint.settings import Settings

ErrorKind = Literal[
    "timeout", "rate_limit", "server", "connection", "auth", "bad_request", "stream_cut", "invalid_json", "empty", "truncated",
    "context", "other",
]


JsonMode = Literal["json_schema", "json_object", "prompt"]
# Words in a server's refusal that mean it does not support the response format asked for.
_FORMAT_REFUSED = re.compile(r"response_format|json_schema|json_object|'text' or|grammar|schema", re.IGNORECASE)


def refuses_format(exc: LLMError) -> bool:
    """True when a failed call was refused for its response format (so a plainer one may work)."""
    return exc.kind in ("bad_request", "server") and bool(_FORMAT_REFUSED.search(str(exc)))


class LLMError(Exception):
    """A model call that failed after the client's own retries. `kind` drives what the UI offers."""

    def __init__(self, kind: ErrorKind, message: str, *, retry_after: float | None = None, partial: str = "") -> None:
        super().__init__(message)
        self.kind = kind
        self.retry_after = retry_after
        self.partial = partial


@dataclass
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cut: bool = False  # the reply stopped at max_tokens (finish_reason "length")

    def add(self, other: Usage) -> None:
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens


def deadline(settings: Settings) -> float:
    """The most one call may take in all: the per-call timeout for each attempt the client may make."""
    return settings.timeout * (settings.max_retries + 1)


def make_client(settings: Settings) -> openai.AsyncOpenAI:
    """An async client; openai itself retries 429 (honouring Retry-After), 5xx, timeouts and connection errors."""
    return openai.AsyncOpenAI(
        api_key=settings.api_key or "not-needed",
        base_url=settings.base_url,
        timeout=settings.timeout,
        max_retries=settings.max_retries,
    )


def _scrub(text: str, secret: str | None) -> str:
    return text.replace(secret, "[redacted]") if secret else text


SERVER_WORDS = 300  # how much of a server's own error message a user is shown


def server_words(exc: BaseException, secret: str | None) -> str:
    """The server's own error message (body text, whitespace folded, key redacted, capped), or ""."""
    body: object = getattr(exc, "body", None)
    text = ""
    if isinstance(body, dict):
        inner = body.get("error", body)
        text = str(inner.get("message", "") if isinstance(inner, dict) else inner)
    elif isinstance(body, str):
        text = body
    if not text:
        response = getattr(exc, "response", None)
        try:
            text = response.text if response is not None else ""
        except Exception:  # a streamed or closed response has no text to give
            text = ""
    if not text:
        text = str(getattr(exc, "message", "") or "")
    text = " ".join(_scrub(text, secret).split())
    return text[:SERVER_WORDS] + ("…" if len(text) > SERVER_WORDS else "")


def classify(exc: BaseException, secret: str | None = None, partial: str = "") -> LLMError:
    """Map openai's exceptions onto LLMError with a one-line message fit for a user."""
    if isinstance(exc, LLMError):
        return exc
    if isinstance(exc, openai.APITimeoutError):
        return LLMError("timeout", "the model did not answer in time", partial=partial)
    if isinstance(exc, openai.RateLimitError):
        retry = exc.response.headers.get("retry-after") if exc.response is not None else None
        after = float(retry) if retry and retry.replace(".", "", 1).isdigit() else None
        wait = f"; retry after {after:g} s" if after is not None else ""
        return LLMError(
            "rate_limit", f"the endpoint is rate limiting requests (HTTP 429{wait})", retry_after=after, partial=partial
        )
    if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
        return LLMError("auth", f"the endpoint refused the API key (HTTP {exc.status_code})", partial=partial)
    if isinstance(exc, openai.InternalServerError):
        words = server_words(exc, secret)
        said = f": {words}" if words else ""
        return LLMError("server", f"the endpoint failed (HTTP {exc.status_code}){said}", partial=partial)
    if isinstance(exc, openai.APIStatusError):
        detail = server_words(exc, secret)
        return LLMError("bad_request", f"the endpoint rejected the request (HTTP {exc.status_code}): {detail}", partial=partial)
    if isinstance(exc, openai.APIConnectionError):
        kind: ErrorKind = "stream_cut" if partial else "connection"
        what = "the connection dropped mid-reply" if partial else "cannot reach the endpoint"
        return LLMError(kind, what, partial=partial)
    if isinstance(exc, json.JSONDecodeError | openai.APIResponseValidationError):
        return LLMError("invalid_json", "the endpoint sent a reply that is not valid JSON", partial=partial)
    text = _scrub(str(exc), secret).splitlines()[0][:200] if str(exc) else type(exc).__name__
    kind = "stream_cut" if partial else "other"
    return LLMError(kind, f"the model call failed: {text}", partial=partial)


async def stream_chat(
    client: openai.AsyncOpenAI,
    *,
    model: str,
    messages: list[dict[str, str]],
    temperature: float,
    max_tokens: int | None = None,
    on_delta: Callable[[str], None] | None = None,
    secret: str | None = None,
    deadline: float | None = None,
) -> tuple[str, Usage]:
    """Stream one reply; `on_delta` sees each piece as it arrives. A cut stream raises LLMError with the partial text.
    `deadline` bounds the whole call in seconds (a server that trickles bytes never trips a per-read timeout)."""
    parts: list[str] = []
    usage = Usage()
    finished = cut = False
    try:
        async with asyncio.timeout(deadline):
            # the messages are plain dicts of the wire format, not the SDK's TypedDicts
            stream = await client.chat.completions.create(  # type: ignore[call-overload]
                model=model,
                messages=messages,
                temperature=temperature,
                stream=True,
                stream_options={"include_usage": True},
                **({"max_tokens": max_tokens} if max_tokens else {}),
            )
            async for chunk in stream:
                if chunk.usage is not None:
                    usage = Usage(chunk.usage.prompt_tokens or 0, chunk.usage.completion_tokens or 0)
                for choice in chunk.choices:
                    delta = choice.delta.content if choice.delta is not None else None
                    if delta:
                        parts.append(delta)
                        if on_delta is not None:
                            on_delta(delta)
                    if choice.finish_reason is not None:
                        finished = True
                        cut = choice.finish_reason == "length"
    except TimeoutError:
        raise LLMError("timeout", f"the model did not finish within {deadline:g} s", partial="".join(parts)) from None
    except Exception as exc:
        raise classify(exc, secret, "".join(parts)) from exc
    text = "".join(parts)
    if not text.strip():
        raise LLMError("empty", "the model sent an empty reply")
    if not finished:
        raise LLMError("stream_cut", "the reply stopped before the model finished", partial=text)
    usage.cut = cut
    return text, usage


async def complete_json(
    client: openai.AsyncOpenAI,
    *,
    model: str,
    messages: list[dict[str, str]],
    schema: dict[str, Any],
    schema_name: str,
    secret: str | None = None,
    max_tokens: int | None = None,
    mode: JsonMode = "json_schema",
    deadline: float | None = None,
) -> tuple[str, Usage]:
    """One non-streaming call at temperature 0 asking for JSON; returns the raw text. `mode` is how: a strict
    JSON-schema response format, plain `json_object`, or nothing (the schema is then in the prompt)."""
    formats: dict[str, Any] = {
        "json_schema": {"type": "json_schema", "json_schema": {"name": schema_name, "strict": True, "schema": schema}},
        "json_object": {"type": "json_object"},
    }
    try:
        async with asyncio.timeout(deadline):
            response = await client.chat.completions.create(  # type: ignore[call-overload]
                model=model,
                messages=messages,
                temperature=0,
                **({"response_format": formats[mode]} if mode in formats else {}),
                **({"max_tokens": max_tokens} if max_tokens else {}),
            )
    except TimeoutError:
        raise LLMError("timeout", f"the model did not finish within {deadline:g} s") from None
    except Exception as exc:
        raise classify(exc, secret) from exc
    usage = Usage()
    if getattr(response, "usage", None) is not None:
        usage = Usage(response.usage.prompt_tokens or 0, response.usage.completion_tokens or 0)
    if not getattr(response, "choices", None):
        raise LLMError("empty", "the model sent no choices")
    choice = response.choices[0]
    content = choice.message.content
    if getattr(choice, "finish_reason", None) == "length":
        limit = f" at {max_tokens} tokens" if max_tokens else ""
        raise LLMError("truncated", f"the reply was cut off{limit} before it finished", partial=content or "")
    if not content or not content.strip():
        raise LLMError("empty", "the model sent an empty reply")
    return content, usage


async def ping(settings: Settings, timeout: float = 4.0) -> str | None:
    """None when the endpoint answers a model listing; else a one-line reason (for the app's backend line)."""
    client = openai.AsyncOpenAI(
        api_key=settings.api_key or "not-needed", base_url=settings.base_url, timeout=timeout, max_retries=0
    )
    try:
        await client.models.list()
    except openai.NotFoundError:
        return None  # some servers (proxies, llama.cpp builds) have no model listing but do serve chat
    except Exception as exc:
        return str(classify(exc, settings.api_key))
    finally:
        await client.close()
    return None
