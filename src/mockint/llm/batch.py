"""The OpenAI Batch API: upload a JSONL of requests, create a batch, poll it, download its results."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mockint.llm.client import classify

DONE_STATES = ("completed", "failed", "expired", "cancelled")


@dataclass
class BatchStatus:
    id: str
    status: str
    total: int
    completed: int
    failed: int
    output_file_id: str | None
    error_file_id: str | None
    errors: list[str]


async def submit(client: Any, jsonl: bytes, *, secret: str | None = None, window: str = "24h") -> str:
    try:
        uploaded = await client.files.create(file=("mockint-batch.jsonl", jsonl), purpose="batch")
        batch = await client.batches.create(input_file_id=uploaded.id, endpoint="/v1/chat/completions", completion_window=window)
    except Exception as exc:
        raise classify(exc, secret) from exc
    return str(batch.id)


async def status(client: Any, batch_id: str, *, secret: str | None = None) -> BatchStatus:
    try:
        batch = await client.batches.retrieve(batch_id)
    except Exception as exc:
        raise classify(exc, secret) from exc
    counts = getattr(batch, "request_counts", None)
    errors = []
    if getattr(batch, "errors", None) is not None and getattr(batch.errors, "data", None):
        errors = [str(e.message) for e in batch.errors.data if getattr(e, "message", None)]
    return BatchStatus(
        str(batch.id),
        str(batch.status),
        int(getattr(counts, "total", 0) or 0),
        int(getattr(counts, "completed", 0) or 0),
        int(getattr(counts, "failed", 0) or 0),
        batch.output_file_id,
        batch.error_file_id,
        errors,
    )


async def download(client: Any, file_id: str, *, secret: str | None = None) -> str:
    try:
        content = await client.files.content(file_id)
    except Exception as exc:
        raise classify(exc, secret) from exc
    return str(content.text)
