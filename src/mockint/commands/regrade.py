"""`mockint regrade`: re-grade many transcripts, keeping every grade beside its transcript.

Finished grades are saved one by one (atomically), so after Ctrl-C or a crash a rerun of the same
command grades only what is left: a transcript whose identical grade exists (same transcript hash,
rubric sha256, grader, samples) is skipped unless --force. The LLM grader runs with bounded
concurrency on one client, whose retries honour Retry-After on 429s.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from mockint import gradestore, rubrics
from mockint.errors import MockintError
from mockint.grading.cohort import Job, Outcome, grader_name, plan, summary
from mockint.grading.run import expand_paths, grade_file
from mockint.rubrics import LoadedRubric
from mockint.services.grading import choose_grader
from mockint.settings import Settings, current
from mockint.transcripts.loading import load_any

COMPLETION_TOKENS_PER_CRITERION = 150  # evidence, reasoning and score: an estimate for --dry-run


def dry_run(jobs: list[Job], loaded: LoadedRubric, grader: str, settings: Settings, samples: int) -> str:
    if grader == "offline":
        return f"{len(jobs)} transcript(s) to grade offline: no model calls, no tokens, no cost.\n"
    from mockint.grading.llm_grader import system_prompt, user_message
    from mockint.llm import tokens

    system = system_prompt(loaded.rubric)
    prompt = completion = unreadable = 0
    for job in jobs:
        try:
            transcript = load_any(job.path)
        except MockintError:
            unreadable += 1
            continue
        messages = [
            {"role": "system", "content": system},
            {"role": "user", "content": user_message(transcript, loaded.rubric, "0" * 16)},
        ]
        prompt += tokens.count_messages(messages, settings.grader_model) * samples
        completion += COMPLETION_TOKENS_PER_CRITERION * len(loaded.rubric.criteria) * samples
    calls = (len(jobs) - unreadable) * samples
    out = (
        f"{calls} call(s) to {settings.grader_model} for {len(jobs) - unreadable} transcript(s) "
        f"(up to {calls * (settings.validation_retries + 1)} if replies need re-asking): "
        f"about {prompt:,} prompt tokens and {completion:,} completion tokens"
    )
    price = settings.price(settings.grader_model)
    out += (
        f", about ${prompt / 1e6 * price[0] + completion / 1e6 * price[1]:.2f}.\n"
        if price
        else " (no price known for this model; add one under [prices] in the config file).\n"
    )
    if unreadable:
        out += f"{unreadable} file(s) could not be read and would be skipped.\n"
    return out


class Progress:
    """A progress bar with rate and ETA on a terminal; plain periodic lines otherwise."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.done = 0
        self.failed = 0
        self.started = time.monotonic()
        self._bar: Any = None
        self._last_line = 0.0
        if total and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn
            from rich.progress import Progress as RichProgress

            self._bar = RichProgress(
                TextColumn("grading"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[outcome]} {task.fields[rate]}"),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._task = self._bar.add_task("grading", total=total, rate="", outcome="")
            self._bar.start()

    def outcome(self) -> str:
        """What the count so far means: a failure is never counted as graded."""
        return f"{self.done - self.failed} graded, {self.failed} failed"

    def advance(self, *, failed: bool = False) -> None:
        self.done += 1
        self.failed += failed
        elapsed = max(time.monotonic() - self.started, 1e-9)
        rate = self.done / elapsed
        if self._bar is not None:
            self._bar.update(self._task, advance=1, rate=f"{rate:.1f}/s", outcome=self.outcome())
        elif time.monotonic() - self._last_line > 5 or self.done == self.total:
            left = (self.total - self.done) / rate if rate else 0
            sys.stderr.write(
                f"mockint: {self.done}/{self.total} done: {self.outcome()} ({rate:.1f}/s, about {left:.0f} s left)\n"
            )
            self._last_line = time.monotonic()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()


POOL_MIN_JOBS = 64  # below this a pool's start-up (about 0.1 s a worker) costs more than it wins
JobResult = tuple[str, Any]  # ("graded", Grade) or ("failed", why)


def _grade_and_save(job: Job, loaded: LoadedRubric) -> JobResult:
    """Grade one file and keep the grade; what went wrong is returned, never raised, so a pool reports it per file."""
    try:
        grade = grade_file(job.path, loaded)
        gradestore.save(grade, job.path)
        return "graded", grade
    except MockintError as exc:
        return "failed", str(exc)
    except OSError as exc:  # e.g. NAME.grades exists as a file
        return "failed", f"cannot keep the grade: {exc.strerror or exc}"


def _grade_chunk(jobs: list[Job], loaded: LoadedRubric) -> list[JobResult]:
    return [_grade_and_save(job, loaded) for job in jobs]


def _record(job: Job, result: JobResult, outcome: Outcome, progress: Progress) -> None:
    kind, value = result
    if kind == "graded":
        outcome.graded.append(value)
    else:
        outcome.failed.append((job.path, value))
    progress.advance(failed=kind != "graded")


def pool_workers(jobs: int, workers: int | None = None) -> int:
    """How many processes grade `jobs` transcripts: every core, or one for a small batch."""
    cores = workers or os.cpu_count() or 1
    return 1 if jobs < POOL_MIN_JOBS else max(1, min(cores, jobs))


def run_offline(
    jobs: list[Job], loaded: LoadedRubric, outcome: Outcome, progress: Progress, *, workers: int | None = None
) -> None:
    """Grade on every core (a process pool, in chunks) or, for a small batch, in this process. Results are taken in
    the jobs' order either way, so the output, the kept grades and the per-file errors are the same."""
    count = pool_workers(len(jobs), workers)
    if count == 1:
        for job in jobs:
            _record(job, _grade_and_save(job, loaded), outcome, progress)
        return
    # the first transcript is graded here: it builds the grader's compiled terms and caches once, which the
    # workers then inherit (fork) instead of each building their own
    _record(jobs[0], _grade_and_save(jobs[0], loaded), outcome, progress)
    rest = jobs[1:]
    size = max(4, min(32, len(rest) // (count * 8) or 1))  # small enough to balance, large enough to amortise
    chunks = [rest[i : i + size] for i in range(0, len(rest), size)]
    pool = ProcessPoolExecutor(max_workers=count)
    try:
        for chunk, results in zip(chunks, pool.map(_grade_chunk, chunks, [loaded] * len(chunks)), strict=True):
            for job, result in zip(chunk, results, strict=True):
                _record(job, result, outcome, progress)
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


async def run_llm(
    jobs: list[Job],
    loaded: LoadedRubric,
    settings: Settings,
    samples: int,
    concurrency: int,
    outcome: Outcome,
    progress: Progress,
    client: Any = None,
) -> None:
    from mockint.grading.llm_grader import grade_async
    from mockint.llm.client import LLMError, make_client

    own = client is None
    client = client or make_client(settings)
    gate = asyncio.Semaphore(concurrency)

    async def one(job: Job) -> None:
        async with gate:
            started = time.perf_counter()
            problem: str | None = None
            try:
                transcript = await asyncio.to_thread(load_any, job.path)  # file reads and writes off the loop
                grade = await grade_async(
                    transcript,
                    loaded.rubric,
                    source=job.path,
                    rubric_sha256=loaded.sha256,
                    settings=settings,
                    samples=samples,
                    client=client,
                )
                grade = grade.model_copy(
                    update={
                        "transcript_sha256": job.key.transcript_sha256 if job.key else None,
                        "duration_s": round(time.perf_counter() - started, 4),
                    }
                )
                await asyncio.to_thread(gradestore.save, grade, job.path)  # an fsynced write: in a thread
                outcome.graded.append(grade)
            except MockintError as exc:
                problem = str(exc)
            except OSError as exc:
                problem = f"cannot keep the grade: {exc.strerror or exc}"
            except LLMError as exc:
                problem = f"LLM grader: {exc}"
            if problem is not None:  # recorded here, not by counting the shared list, which other calls append to
                outcome.failed.append((job.path, problem))
            progress.advance(failed=problem is not None)

    try:
        await asyncio.gather(*(one(job) for job in jobs))
    finally:
        if own:
            await client.close()


def run(args: argparse.Namespace, *, client_factory: Callable[[], Any] | None = None) -> int:
    if args.concurrency < 1:
        raise MockintError("--concurrency must be at least 1")
    if args.samples < 1:
        raise MockintError("--samples must be at least 1")
    settings = current()
    loaded = rubrics.resolve(args.rubric)
    grader = choose_grader(args.grader, settings)
    samples = args.samples if grader == "llm" else 1
    if args.batch_api:
        from mockint.commands.regrade_batch import run as run_batch

        return run_batch(args, loaded, settings, samples)
    paths = expand_paths(args.paths)
    outcome = Outcome()
    jobs = plan(paths, loaded, grader_name(grader, settings), samples, args.force, outcome)
    if args.dry_run:
        sys.stdout.write(dry_run(jobs, loaded, grader, settings, samples))
        if outcome.skipped:
            sys.stdout.write(f"{outcome.skipped} transcript(s) already graded with these inputs would be skipped.\n")
        return 0
    started = time.monotonic()
    progress = Progress(len(jobs))
    try:
        if grader == "offline":
            run_offline(jobs, loaded, outcome, progress)
        else:
            asyncio.run(run_llm(jobs, loaded, settings, samples, args.concurrency, outcome, progress))
    except KeyboardInterrupt:
        outcome.interrupted = True
    finally:
        progress.close()
    sys.stdout.write(summary(outcome, len(paths), time.monotonic() - started))
    if outcome.interrupted:
        return 130
    return 1 if outcome.failed else 0
