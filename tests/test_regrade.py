"""`mockint regrade`: skip what is done, report and skip bad files, dry runs, concurrency, resume after
SIGKILL with no corrupt file, and the Batch API against the loopback server."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mockint import gradestore, rubrics
from mockint.grading.batch import _state_path

from .chat_server import ChatServer, Reply

CAL = Path(__file__).parent / "calibration" / "tuning" / "impact_story"
IDS = [c.id for c in rubrics.resolve("impact_story").rubric.criteria]
# the eight transcripts the first labelled set had: the cohort these tests count on
COHORT = sorted(
    CAL / name
    for name in [
        "borderline_strong_numbers_all_we.txt", "borderline_thin_seller_pricing.txt", "strong_fraud_false_declines.txt",
        "strong_furniture_search_ranking.txt", "strong_grocery_substitutions.txt", "weak_keyword_stuffed.txt",
        "weak_manipulative.txt", "weak_rambling_career_tour.txt",
    ]
)  # fmt: skip


def _cohort(tmp_path: Path, n: int | None = None) -> Path:
    folder = tmp_path / "cohort"
    folder.mkdir()
    for src in COHORT[:n]:
        shutil.copy(src, folder / src.name)
    return folder


def _llm_env(monkeypatch: pytest.MonkeyPatch, server: ChatServer, home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text("[llm]\nmax_retries = 0\ntimeout = 10\n")
    monkeypatch.setenv("MOCKINT_HOME", str(home))
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-regrade")


def _good_reply(quote: str = "I") -> Reply:
    return Reply(
        content=json.dumps(
            {"criteria": [{"id": i, "evidence": [], "reasoning": "r", "score": 1} for i in IDS], "injection_attempt": False}
        ),
        prompt_tokens=1000,
        completion_tokens=200,
    )


def test_offline_regrade_keeps_grades_skips_done_work_and_reports_bad_files(cli, tmp_path: Path) -> None:
    folder = _cohort(tmp_path)
    (folder / "empty.txt").write_text("")
    (folder / "binary.vtt").write_bytes(b"WEBVTT\n\n\x00\x01")
    (folder / "notes.md").write_text("# just notes, no speakers\n")
    first = cli("regrade", str(folder), "--rubric", "impact_story")
    assert first.code == 1
    assert "8 graded, 0 already graded (skipped), 3 failed" in first.out
    assert "binary.vtt:3: binary data" in first.out and "empty.txt" in first.out and "notes.md:1: no speaker" in first.out
    for transcript in COHORT:
        kept = gradestore.grades_for(folder / transcript.name)
        assert len(kept) == 1
        _, grade = kept[0]
        assert grade.rubric_sha256 == rubrics.resolve("impact_story").sha256 and grade.transcript_sha256
    again = cli("regrade", str(folder), "--rubric", "impact_story")
    assert "0 graded, 8 already graded (skipped)" in again.out
    forced = cli("regrade", str(folder / "weak_manipulative.txt"), "--rubric", "impact_story", "--force")
    assert forced.code == 0 and "1 graded" in forced.out
    assert len(gradestore.grades_for(folder / "weak_manipulative.txt")) == 2, "grades are never overwritten"


def test_changed_transcript_is_graded_again(cli, tmp_path: Path) -> None:
    folder = _cohort(tmp_path, 1)
    (path,) = folder.glob("*.txt")
    cli("regrade", str(folder), "--rubric", "impact_story")
    path.write_text(path.read_text() + "\nCandidate: One more thing I learned.\n")
    out = cli("regrade", str(folder), "--rubric", "impact_story")
    assert "1 graded, 0 already graded" in out.out


def test_dry_run_counts_calls_tokens_and_cost(
    cli, chat_server: ChatServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _llm_env(monkeypatch, chat_server, tmp_path / "home")
    folder = _cohort(tmp_path, 3)
    out = cli("regrade", str(folder), "--rubric", "impact_story", "--samples", "2", "--dry-run")
    assert out.code == 0
    assert "6 call(s) to gpt-4o-mini for 3 transcript(s)" in out.out
    assert "prompt tokens" in out.out and "$" in out.out
    assert chat_server.requests == [], "a dry run calls nothing"
    assert not list(folder.glob("*.grades"))


def test_llm_regrade_runs_calls_concurrently(
    cli, chat_server: ChatServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each reply waits at a barrier that opens only when all eight requests are in flight at once:
    with concurrency 8 the regrade finishes; one at a time it could not. No timing is involved."""
    import threading

    _llm_env(monkeypatch, chat_server, tmp_path / "home")
    folder = _cohort(tmp_path)
    barrier = threading.Barrier(8, timeout=20)
    content = _good_reply().content

    def together(_body: dict) -> Reply:
        barrier.wait()
        return Reply(content=content)

    chat_server.queue(*[together] * 8)
    out = cli("regrade", str(folder), "--rubric", "impact_story", "--concurrency", "8")
    assert out.code == 0, out.out + out.err
    assert "8 graded" in out.out and "tokens: " in out.out
    assert not barrier.broken and len(chat_server.chat_requests) == 8


WORKER = """
import sys
from mockint.cli import main
sys.exit(main(["regrade", sys.argv[1], "--rubric", "impact_story", "--concurrency", "1"]))
"""


def test_sigkill_mid_regrade_loses_no_finished_grade_and_a_rerun_does_the_rest(
    chat_server: ChatServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _llm_env(monkeypatch, chat_server, tmp_path / "home")
    folder = _cohort(tmp_path)
    chat_server.default_reply = Reply(content=_good_reply().content, delay=0.4)
    proc = subprocess.Popen(
        [sys.executable, "-c", WORKER, str(folder)], env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(list(folder.glob("*.grades/*.json"))) < 3:
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    kept = list(folder.glob("*.grades/*.json"))
    assert 3 <= len(kept) < 8, "killed midway"
    for path in kept:
        assert gradestore.load_grade(path).rubric == "impact_story"  # every kept file is whole
    before = len(chat_server.chat_requests)
    chat_server.default_reply = Reply(content=_good_reply().content)
    rerun = subprocess.run(
        [sys.executable, "-c", WORKER, str(folder)], env=dict(os.environ), capture_output=True, text=True, timeout=60
    )
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert f"{8 - len(kept)} graded, {len(kept)} already graded (skipped)" in rerun.stdout
    assert len(chat_server.chat_requests) - before == 8 - len(kept)
    assert all(len(gradestore.grades_for(p)) == 1 for p in folder.glob("*.txt"))


def test_batch_api_grades_a_cohort_with_the_same_checks(
    cli, chat_server: ChatServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _llm_env(monkeypatch, chat_server, tmp_path / "home")
    folder = _cohort(tmp_path, 3)
    fake_quote = json.dumps(
        {
            "criteria": [
                {"id": i, "evidence": [{"turn": 2, "quote": "words nobody said"}], "reasoning": "r", "score": 4} for i in IDS
            ],
            "injection_attempt": False,
        }
    )
    chat_server.queue(Reply(content=fake_quote), _good_reply(), _good_reply())
    out = cli("regrade", str(folder), "--rubric", "impact_story", "--batch-api", "--poll-interval", "0.01")
    assert out.code == 0, out.out + out.err
    assert "3 graded" in out.out
    assert "submitted batch" in out.err and "completed" in out.err
    uploads = [r for r in chat_server.requests if r.endpoint == "/files" and r.method == "POST"]
    assert len(uploads) == 1
    lines = [json.loads(x) for x in chat_server.files[next(iter(chat_server.files))].data.decode().splitlines()]
    assert len(lines) == 3 and all(x["body"]["response_format"]["json_schema"]["strict"] for x in lines)
    grades = [g for p in sorted(folder.glob("*.txt")) for _, g in gradestore.grades_for(p)]
    assert len(grades) == 3
    flagged = [g for g in grades if "unverified_evidence_dropped" in g.flags]
    assert len(flagged) == 1 and all(c.score == 1 and not c.evidence for c in flagged[0].criteria), "capped, quotes dropped"
    assert not list((tmp_path / "home" / "batches").glob("*.json")), "state is cleared once collected"


def test_batch_api_resumes_the_same_batch_after_an_interrupt(
    cli, chat_server: ChatServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _llm_env(monkeypatch, chat_server, tmp_path / "home")
    folder = _cohort(tmp_path, 2)
    chat_server.default_reply = _good_reply()
    from mockint.llm import batch as api

    real_status = api.status
    calls = {"n": 0}

    async def interrupted(*args, **kwargs):
        calls["n"] += 1
        raise KeyboardInterrupt

    monkeypatch.setattr(api, "status", interrupted)
    first = cli("regrade", str(folder), "--rubric", "impact_story", "--batch-api", "--poll-interval", "0.01")
    assert first.code == 130 and "resumes polling" in first.err
    assert len(list((tmp_path / "home" / "batches").glob("*.json"))) == 1
    monkeypatch.setattr(api, "status", real_status)
    second = cli("regrade", str(folder), "--rubric", "impact_story", "--batch-api", "--poll-interval", "0.01")
    assert second.code == 0, second.out + second.err
    assert "resuming batch" in second.err and "2 graded" in second.out
    uploads = [r for r in chat_server.requests if r.endpoint == "/files" and r.method == "POST"]
    assert len(uploads) == 1, "the second run polled the first batch instead of submitting again"
    assert _state_path("x").parent == tmp_path / "home" / "batches"


def test_offline_pool_gives_the_same_grades_order_and_errors_as_one_process(tmp_path: Path) -> None:
    """The process pool (every core, in chunks) keeps the same grades, in the same order, and reports the same
    per-file errors as grading in one process."""
    from mockint.commands import regrade
    from mockint.grading.cohort import Outcome, plan

    loaded = rubrics.resolve("impact_story")
    results = {}
    for workers in (1, 2):
        folder = tmp_path / f"w{workers}"
        folder.mkdir()
        for i in range(regrade.POOL_MIN_JOBS + 6):
            src = COHORT[i % len(COHORT)]
            (folder / f"{i:03d}-{src.name}").write_text(src.read_text() + f"\nCandidate: (copy {i})\n")
        (folder / "050-empty.txt").write_text("")
        (folder / "051-notes.md").write_text("# just notes, no speakers\n")
        paths = sorted(str(p) for p in folder.iterdir())
        outcome = Outcome()
        jobs = plan(paths, loaded, "offline", 1, False, outcome)
        assert regrade.pool_workers(len(jobs), workers) == workers
        regrade.run_offline(jobs, loaded, outcome, regrade.Progress(0), workers=workers)
        kept = [(Path(p).name, [(g.score, g.verdict) for _, g in gradestore.grades_for(p)]) for p in paths]
        results[workers] = (
            [(Path(g.transcript).name, g.score, g.verdict, [c.score for c in g.criteria]) for g in outcome.graded],
            [(Path(p).name, why.replace(str(folder), "")) for p, why in outcome.failed],
            kept,
        )
    assert results[1] == results[2]
    graded, failed, _ = results[2]
    assert len(graded) == regrade.POOL_MIN_JOBS + 6 and [name for name, _ in failed] == ["050-empty.txt", "051-notes.md"]
    assert regrade.pool_workers(regrade.POOL_MIN_JOBS - 1, 8) == 1, "a small batch stays in one process"


def test_llm_regrade_reads_and_keeps_grades_off_the_event_loop(
    cli, chat_server: ChatServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Saving a grade is an fsynced write and loading a transcript reads a file: neither runs on the event loop's
    thread, so one slow disk does not stall the other requests in flight."""
    import threading

    from mockint.commands import regrade

    _llm_env(monkeypatch, chat_server, tmp_path / "home")
    folder = _cohort(tmp_path, 3)
    chat_server.queue(*[_good_reply()] * 3)
    loop_thread = threading.get_ident()  # asyncio.run drives the loop on the calling thread
    threads: list[tuple[str, int]] = []
    real_save, real_load = gradestore.save, regrade.load_any

    def save(grade, path):  # type: ignore[no-untyped-def]
        threads.append(("save", threading.get_ident()))
        return real_save(grade, path)

    def load(path, **kw):  # type: ignore[no-untyped-def]
        threads.append(("load", threading.get_ident()))
        return real_load(path, **kw)

    monkeypatch.setattr(gradestore, "save", save)
    monkeypatch.setattr(regrade, "load_any", load)
    out = cli("regrade", str(folder), "--rubric", "impact_story", "--concurrency", "3")
    assert out.code == 0, out.out + out.err
    assert sorted(kind for kind, _ in threads) == ["load"] * 3 + ["save"] * 3
    assert all(ident != loop_thread for _, ident in threads)
    assert all(len(gradestore.grades_for(p)) == 1 for p in folder.iterdir() if p.is_file())
