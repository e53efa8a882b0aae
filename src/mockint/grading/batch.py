"""`regrade --batch-api`: grade a cohort through the OpenAI Batch API, with the same checks as live grading.

The request file, the batch id and which request belongs to which transcript are kept in a state file
under MOCKINT_HOME/batches/, so an interrupted run resumes polling the same batch instead of paying
twice. Results go through the same verification (quotes located in their turns, scores capped without
evidence, unscored criteria null) and are kept in the grade store; a reply that fails validation
cannot be re-asked inside a batch, so its criteria are null and flagged `unscored_criteria`.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mockint import config, gradestore
from mockint.errors import MockintError
from mockint.grading.cohort import Outcome, grader_name, plan
from mockint.grading.llm_grader import SCHEMA_NAME, build_grade, parse_reply, request_messages, response_schema, to_sample
from mockint.llm import batch as api
from mockint.llm.client import LLMError, Usage, make_client
from mockint.rubrics import LoadedRubric
from mockint.settings import Settings
from mockint.transcripts.loading import load_any
from mockint.transcripts.store import write_atomic


def _state_path(ident: str) -> Path:
    folder = config.home() / "batches"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder / f"{ident}.json"


def build_requests(
    jobs: list[Any], loaded: LoadedRubric, settings: Settings, samples: int, outcome: Outcome
) -> tuple[bytes, dict[str, str]]:
    """JSONL of chat-completions requests (one per transcript and sample) and custom_id -> transcript path."""
    lines, owners = [], {}
    schema = response_schema(loaded.rubric)
    for i, job in enumerate(jobs):
        try:
            transcript = load_any(job.path)
        except MockintError as exc:
            outcome.failed.append((job.path, str(exc)))
            continue
        for s in range(samples):
            custom_id = f"t{i}-s{s}"
            owners[custom_id] = job.path
            body = {
                "model": settings.grader_model,
                "temperature": 0,
                "messages": request_messages(transcript, loaded.rubric),
                "response_format": {
                    "type": "json_schema",
                    "json_schema": {"name": SCHEMA_NAME, "strict": True, "schema": schema},
                },
            }
            lines.append(json.dumps({"custom_id": custom_id, "method": "POST", "url": "/v1/chat/completions", "body": body}))
    return ("\n".join(lines) + "\n").encode(), owners


def collect(output: str, errors: str, owners: dict[str, str], loaded: LoadedRubric, settings: Settings, outcome: Outcome) -> None:
    """Turn the batch's result lines into verified grades, kept beside their transcripts."""
    by_path: dict[str, list[Any]] = {}
    failed: dict[str, str] = {}
    for line in errors.splitlines():
        if line.strip():
            record = json.loads(line)
            path = owners.get(record.get("custom_id", ""))
            if path:
                err = record.get("error") or (record.get("response") or {}).get("body", {}).get("error") or {}
                failed[path] = f"batch request failed: {err.get('message', 'unknown error')}"
    for line in output.splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        path = owners.get(record.get("custom_id", ""))
        if path is None:
            continue
        response = record.get("response") or {}
        body = response.get("body") or {}
        if response.get("status_code", 200) >= 400 or not body.get("choices"):
            failed[path] = f"batch request failed (HTTP {response.get('status_code')})"
            continue
        raw = body["choices"][0]["message"].get("content") or ""
        usage = Usage(body.get("usage", {}).get("prompt_tokens", 0), body.get("usage", {}).get("completion_tokens", 0))
        by_path.setdefault(path, []).append((raw, usage))
    for path, replies in by_path.items():
        try:
            transcript = load_any(path)
            samples = [to_sample(parse_reply(raw, loaded.rubric), transcript, loaded.rubric, usage) for raw, usage in replies]
            grade = build_grade(samples, transcript, loaded.rubric, source=path, rubric_sha256=loaded.sha256, settings=settings)
            grade = grade.model_copy(update={"transcript_sha256": gradestore.transcript_sha256(path)})
            gradestore.save(grade, path)
            outcome.graded.append(grade)
        except MockintError as exc:
            outcome.failed.append((path, str(exc)))
    outcome.failed += [(p, why) for p, why in failed.items() if p not in by_path]


@dataclass
class BatchRun:
    """What a batch run did: the outcome (graded, skipped, failed), how many transcripts were asked for, the time it
    took, and, for a dry run, what it would have sent."""

    outcome: Outcome
    total: int
    seconds: float = 0.0
    dry_run: str | None = None


Say = Callable[[str], None]


async def _drive(
    paths: list[str],
    loaded: LoadedRubric,
    settings: Settings,
    samples: int,
    *,
    force: bool,
    dry_run: bool,
    poll_interval: float,
    client: Any,
    say: Say,
) -> BatchRun:
    outcome = Outcome()
    jobs = plan(paths, loaded, grader_name("llm", settings), samples, force, outcome)
    result = BatchRun(outcome, len(paths))
    if not jobs:
        return result
    ident = hashlib.sha256(
        json.dumps(
            [[j.path, j.key.transcript_sha256 if j.key else ""] for j in jobs] + [loaded.sha256, settings.grader_model, samples]
        ).encode()
    ).hexdigest()[:16]
    state_file = _state_path(ident)
    started = time.monotonic()
    if state_file.exists():
        state = json.loads(state_file.read_text())
        say(f"resuming batch {state['batch_id']} ({len(state['owners'])} requests)")
    else:
        jsonl, owners = build_requests(jobs, loaded, settings, samples, outcome)
        if dry_run:
            result.dry_run = (
                f"{len(owners)} batch request(s) to {settings.grader_model} for {len(jobs)} transcript(s); "
                f"{len(jsonl):,} bytes to upload.\n"
            )
            return result
        batch_id = await api.submit(client, jsonl, secret=settings.api_key)
        state = {"batch_id": batch_id, "owners": owners, "rubric_sha256": loaded.sha256, "model": settings.grader_model}
        write_atomic(state_file, json.dumps(state).encode())
        say(f"submitted batch {batch_id} ({len(owners)} requests)")
    while True:
        current = await api.status(client, state["batch_id"], secret=settings.api_key)
        say(f"batch {current.id}: {current.status}, {current.completed}/{current.total} done, {current.failed} failed")
        if current.status in api.DONE_STATES:
            break
        await asyncio.sleep(poll_interval)
    if current.status != "completed" and not current.output_file_id:
        state_file.unlink(missing_ok=True)
        reason = "; ".join(current.errors) or current.status
        raise MockintError(f"batch {current.id} ended without results: {reason}")
    output = await api.download(client, current.output_file_id, secret=settings.api_key) if current.output_file_id else ""
    errors = await api.download(client, current.error_file_id, secret=settings.api_key) if current.error_file_id else ""
    # verifying and keeping the grades reads and fsyncs files: in a thread, so the event loop stays free
    await asyncio.to_thread(collect, output, errors, state["owners"], loaded, settings, outcome)
    state_file.unlink(missing_ok=True)
    result.seconds = time.monotonic() - started
    return result


def run_batch(
    paths: list[str],
    loaded: LoadedRubric,
    settings: Settings,
    samples: int,
    *,
    force: bool = False,
    dry_run: bool = False,
    poll_interval: float = 30.0,
    client: Any = None,
    say: Say = lambda _line: None,
) -> BatchRun:
    """Grade `paths` through the Batch API (or resume the batch an interrupted run left). Progress goes to `say`,
    one line at a time; nothing is printed here. KeyboardInterrupt goes up: the batch keeps running at the
    provider, and the same call again resumes polling it."""

    async def main() -> BatchRun:
        own = client is None
        live = client or make_client(settings)
        try:
            return await _drive(
                paths, loaded, settings, samples, force=force, dry_run=dry_run, poll_interval=poll_interval, client=live, say=say
            )
        finally:
            if own:
                await live.close()

    try:
        return asyncio.run(main())
    except LLMError as exc:
        raise MockintError(f"Batch API: {exc}") from None
