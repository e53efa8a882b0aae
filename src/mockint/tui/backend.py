"""The interviewer as the interview screen sees it: an async stream of text chunks ending in a Reply.

The screen runs `stream()` in an exclusive, cancellable worker and writes each chunk into a Markdown
stream. The offline (scripted) interviewer answers at once; it is chunked by words here so the same
streaming path is exercised before the LLM backend plugs in. A backend that is cancelled mid-reply
must leave the transcript consistent (the offline one saves the whole reply before the first chunk;
an LLM one should save what it got as a `partial` turn) and re-raise the cancellation.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from mockint.domain.transcript import Transcript
from mockint.errors import MockintError
from mockint.interview.base import Reply
from mockint.interview.session import RoundSession, run_now
from mockint.services.rounds import PracticeRequest, choose_backend, open_round, resume_round
from mockint.settings import Backend, Settings, current


class BackendError(MockintError):
    """The interviewer could not reply (e.g. the model endpoint failed); every saved turn is still saved."""

    def __init__(self, message: str, kind: str = "other") -> None:
        super().__init__(message)
        self.kind = kind


@dataclass
class Chunk:
    """A piece of the reply being streamed; the last item of a stream is a `Reply`."""

    text: str


class InterviewerBackend(Protocol):
    name: str

    async def start(self, request: PracticeRequest) -> tuple[RoundSession, Reply | None]:
        """Open a new round. A reply means the opening is saved already; None: stream `opening(session)`."""
        ...

    async def resume(self, path: Path) -> tuple[RoundSession, Reply | None]:
        """Reopen a cut-off round; None means the interviewer still owes a reply (stream `retry(session)`)."""
        ...

    def opening(self, session: RoundSession) -> AsyncIterator[Chunk | Reply]:
        """Stream the first question of a round that `start` left unasked."""
        ...

    def retry(self, session: RoundSession) -> AsyncIterator[Chunk | Reply]:
        """Ask again after a failed reply (the opening if no question got through)."""
        ...

    async def end(self, session: RoundSession) -> tuple[Transcript, Reply | None]:
        """Finish the round: a closing line if the interviewer had not closed it, then the end record."""
        ...

    def stream_reply(self, reply: Reply) -> AsyncIterator[Chunk | Reply]:
        """Stream an already-saved reply (the opening question, the closing line)."""
        ...

    def answer(self, session: RoundSession, text: str) -> AsyncIterator[Chunk | Reply]:
        """Save the candidate's answer, then stream the interviewer's reply (chunks, then the Reply)."""
        ...


def reply_markdown(reply: Reply) -> str:
    """How an interviewer reply reads on screen (the coach hint is shown apart, above it)."""
    return reply.text


_WORDS = re.compile(r"\S+\s*|\s+")


def chunk_words(text: str, per_chunk: int = 3) -> list[str]:
    """Split into chunks of a few words, keeping whitespace and newlines so Markdown survives."""
    pieces = _WORDS.findall(text)
    return ["".join(pieces[i : i + per_chunk]) for i in range(0, len(pieces), per_chunk)]


@dataclass
class OfflineBackend:
    """The scripted interviewer, streamed a few words at a time. `delay` is seconds between chunks. Rounds are
    opened by the same use case `practice --plain` calls (`services.rounds`) and driven through the same async session
    calls the model backend awaits; the scripted interviewer never waits, so each call runs to its end in a worker
    thread (`run_now`): file I/O (fsync) and the probe choice stay off the event loop and the UI never blocks."""

    delay: float = 0.01
    name: str = "offline"
    settings: Settings = field(default_factory=Settings)

    async def start(self, request: PracticeRequest) -> tuple[RoundSession, Reply]:
        # "generic" is passed through: the scripted interviewer then leaves out company-specific questions.
        opened = await asyncio.to_thread(open_round, replace(request, backend=Backend.OFFLINE), self.settings)
        first = await asyncio.to_thread(run_now, opened.session.begin_async())
        return opened.session, first

    async def resume(self, path: Path) -> tuple[RoundSession, Reply | None]:
        opened = await asyncio.to_thread(resume_round, path, self.settings.with_backend(Backend.OFFLINE))
        return opened.session, opened.pending

    async def answer(self, session: RoundSession, text: str) -> AsyncIterator[Chunk | Reply]:
        reply = await asyncio.to_thread(run_now, session.answer_async(text))
        async for item in self.stream_reply(reply):
            yield item

    async def opening(self, session: RoundSession) -> AsyncIterator[Chunk | Reply]:
        reply = await asyncio.to_thread(run_now, session.begin_async())
        async for item in self.stream_reply(reply):
            yield item

    async def retry(self, session: RoundSession) -> AsyncIterator[Chunk | Reply]:
        reply = await asyncio.to_thread(run_now, session.retry_async())
        async for item in self.stream_reply(reply):
            yield item

    async def end(self, session: RoundSession) -> tuple[Transcript, Reply | None]:
        return await asyncio.to_thread(run_now, session.end_async())

    async def stream_reply(self, reply: Reply) -> AsyncIterator[Chunk | Reply]:
        for piece in chunk_words(reply_markdown(reply)):
            yield Chunk(piece)
            await asyncio.sleep(self.delay)
        yield reply


async def _warm(session: RoundSession) -> None:
    """At round start, in worker threads: the model interviewer's tokenizer, prompt template and client, so the first
    answer finds them built (building the tokenizer still holds the GIL for about 0.1 s: better now than mid-round)."""
    warm = getattr(session.interviewer, "warm", None)
    if warm is not None:
        await warm()


@dataclass
class LLMBackend:
    """A model interviewer through the session's async path: replies stream as the model writes them.

    A failure after the client's retries surfaces as BackendError (the session has already saved any
    partial text, marked partial); a cancel mid-reply saves what arrived, marked partial, and re-raises.
    """

    settings: Settings
    name: str = "llm"

    async def start(self, request: PracticeRequest) -> tuple[RoundSession, Reply | None]:
        opened = await asyncio.to_thread(open_round, replace(request, backend=Backend.OPENAI), self.settings)
        await _warm(opened.session)
        return opened.session, None

    async def resume(self, path: Path) -> tuple[RoundSession, Reply | None]:
        opened = await asyncio.to_thread(resume_round, path, self.settings.with_backend(Backend.OPENAI))
        await _warm(opened.session)
        return opened.session, opened.pending

    def opening(self, session: RoundSession) -> AsyncIterator[Chunk | Reply]:
        return self._stream(session, lambda delta: session.begin_async(delta))

    def answer(self, session: RoundSession, text: str) -> AsyncIterator[Chunk | Reply]:
        return self._stream(session, lambda delta: session.answer_async(text, delta))

    def retry(self, session: RoundSession) -> AsyncIterator[Chunk | Reply]:
        return self._stream(session, lambda delta: session.retry_async(delta))

    async def end(self, session: RoundSession) -> tuple[Transcript, Reply | None]:
        return await session.end_async()

    async def stream_reply(self, reply: Reply) -> AsyncIterator[Chunk | Reply]:
        yield Chunk(reply_markdown(reply))
        yield reply

    async def _stream(
        self, session: RoundSession, call: Callable[[Callable[[str], None]], Awaitable[Reply]]
    ) -> AsyncIterator[Chunk | Reply]:
        """Relay the model's deltas as chunks while the call runs; then the Reply."""
        queue: asyncio.Queue[str] = asyncio.Queue()
        received: list[str] = []

        def on_delta(piece: str) -> None:
            received.append(piece)
            queue.put_nowait(piece)

        task = asyncio.ensure_future(call(on_delta))
        try:
            while True:
                getter = asyncio.ensure_future(queue.get())
                done, _ = await asyncio.wait({getter, task}, return_when=asyncio.FIRST_COMPLETED)
                if getter in done:
                    yield Chunk(getter.result())
                    continue
                getter.cancel()
                while not queue.empty():
                    yield Chunk(queue.get_nowait())
                yield task.result()
                return
        except asyncio.CancelledError:
            if not task.done():  # stopped mid-reply: keep what arrived, marked as cut off
                task.cancel()
                with contextlib.suppress(BaseException):
                    await task
                text = "".join(received).strip()
                if text:
                    await asyncio.to_thread(session.writer.add_turn, "interviewer", text, partial=True)
            raise
        except MockintError:
            raise
        except Exception as exc:  # LLMError from the llm layer, without importing it at startup
            kind = getattr(exc, "kind", "other")
            raise BackendError(f"the model failed: {exc}", kind) from None


def backend_for(
    request: PracticeRequest, *, offline_delay: float = 0.01, settings: Settings | None = None
) -> InterviewerBackend:
    """The backend a request asks for (the same choice `practice --plain` makes); the model one needs an endpoint."""
    settings = settings if settings is not None else current()
    if choose_backend(request.backend, settings) == Backend.OPENAI:
        return LLMBackend(settings.with_backend(Backend.OPENAI))
    return OfflineBackend(delay=offline_delay, settings=settings)
