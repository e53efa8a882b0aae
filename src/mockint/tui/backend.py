"""The interviewer as the interview screen sees it: an async stream of text chunks ending in a Reply.

The screen runs `stream()` in an exclusive, cancellable worker and writes each chunk into a Markdown
stream. The offline (scripted) interviewer answers at once; it is chunked by words here so the same
streaming path is exercised before the LLM backend plugs in. A backend that is cancelled mid-reply
must leave the transcript consistent (the offline one saves the whole reply before the first chunk;
an LLM one should save what it got as a `partial` turn) and re-raise the cancellation.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from mockint.interview.scripted import Reply
from mockint.interview.session import RoundSession
from mockint.tui.data import PracticeRequest


@dataclass
class Chunk:
    """A piece of the reply being streamed; the last item of a stream is a `Reply`."""

    text: str


class InterviewerBackend(Protocol):
    name: str

    async def start(self, request: PracticeRequest) -> tuple[RoundSession, Reply]:
        """Open a new round (its file is created and the opening question saved)."""
        ...

    async def resume(self, path: Path) -> tuple[RoundSession, Reply]:
        """Reopen a cut-off round; the pending interviewer turn is the last saved one."""
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
    """The scripted interviewer, streamed a few words at a time. `delay` is seconds between chunks."""

    delay: float = 0.01
    name: str = "offline"

    async def start(self, request: PracticeRequest) -> tuple[RoundSession, Reply]:
        # File I/O (fsync) and the probe choice run off the event loop so the UI never blocks.
        # "generic" is passed through: the scripted interviewer then leaves out company-specific questions.
        return await asyncio.to_thread(
            RoundSession.start,
            request.round_id,
            track=request.track,
            company=request.company,
            mode=request.mode,
            seed=request.seed,
            out=request.out,
        )

    async def resume(self, path: Path) -> tuple[RoundSession, Reply]:
        return await asyncio.to_thread(RoundSession.resume, path)

    async def answer(self, session: RoundSession, text: str) -> AsyncIterator[Chunk | Reply]:
        reply = await asyncio.to_thread(session.answer, text)
        async for item in self.stream_reply(reply):
            yield item

    async def stream_reply(self, reply: Reply) -> AsyncIterator[Chunk | Reply]:
        for piece in chunk_words(reply_markdown(reply)):
            yield Chunk(piece)
            await asyncio.sleep(self.delay)
        yield reply
