"""Behaviour behind the speed work (the figures are in benchmarks/, not here): a grade is fsynced once,
saves from async code leave the event loop free, the grade index gives what a full read gives, and light
commands import only what they use."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mockint import gradestore, rubrics
from mockint.grading.run import grade_file

CAL = Path(__file__).parent / "calibration" / "tuning" / "impact_story"


def _transcript(tmp_path: Path, name: str = "talk.txt") -> Path:
    src = sorted(CAL.glob("*.txt"))[0]
    target = tmp_path / name
    target.write_text(src.read_text())
    return target


def test_a_kept_grade_is_fsynced_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _transcript(tmp_path)
    grade = grade_file(str(path), rubrics.resolve("impact_story"))
    synced: list[int] = []
    real = os.fsync

    def counting(fd: int) -> None:
        synced.append(fd)
        real(fd)

    monkeypatch.setattr(os, "fsync", counting)
    kept = gradestore.save(grade, path)
    assert len(synced) == 1, "the grade's bytes, before the rename; nothing else"
    assert gradestore.load_grade(kept) == grade
    synced.clear()
    gradestore.save(grade, path)
    assert len(synced) == 1, "a second grade into the existing folder: once again"


def _full_read_kept(path: Path, rubric: str) -> tuple[Path, object, bool] | None:
    """Which kept grade belongs to a transcript, by reading every grade whole (the rule before the index)."""
    found = [pg for pg in gradestore.grades_for(path) if pg[1].rubric == rubric]
    found = [pg for pg in found if not pg[1].grader.startswith("human:")] or found
    if not found:
        return None
    digest = gradestore.transcript_sha256(path)
    current = [pg for pg in found if pg[1].transcript_sha256 in (None, digest)]
    chosen, stale = (current[-1], False) if current else (found[-1], True)
    return chosen[0], chosen[1], stale


def _same_as_a_full_read(path: Path) -> None:
    from mockint.services.grading import kept_grade

    full = gradestore.grades_for(path)
    indexed = gradestore.headers_for(path)
    assert [p for p, _ in indexed] == [p for p, _ in full]
    for (_, header), (_, grade) in zip(indexed, full, strict=True):
        assert header.key == gradestore.key_of(grade) and header.rubric == grade.rubric
        assert header.graded_at == grade.graded_at and header.grader == grade.grader
    for rubric in ("impact_story", "product_sense", "system_design"):
        expected = _full_read_kept(path, rubric)
        got = kept_grade(path, rubric)
        assert (got and (got.file, got.grade, got.stale)) == expected
        last = gradestore.latest(path, rubric)
        assert last == next((pg for pg in reversed(full) if pg[1].rubric == rubric), None)
    for _, grade in full:
        key = gradestore.key_of(grade)
        if key is not None:
            same = gradestore.find_same(path, key)
            assert same == next(pg for pg in reversed(full) if gradestore.key_of(pg[1]) == key)


def test_the_grade_index_gives_what_a_full_read_gives(tmp_path: Path) -> None:
    """Kept grades of several rubrics, graders (a person's too), before and after the file changed, an unreadable
    one; then grades added, removed, edited and the index broken: every answer matches reading every grade."""
    from datetime import UTC, datetime, timedelta

    path = _transcript(tmp_path)
    base = grade_file(str(path), rubrics.resolve("impact_story"))
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for i, (rubric, grader) in enumerate(
        [("impact_story", "offline"), ("product_sense", "offline"), ("impact_story", "human:me"),
         ("impact_story", "llm:m"), ("product_sense", "human:me")] * 4
    ):  # fmt: skip
        gradestore.save(base.model_copy(update={"rubric": rubric, "grader": grader, "graded_at": start + timedelta(i)}), path)
    gradestore.save(base.model_copy(update={"graded_at": None}), path)
    _same_as_a_full_read(path)
    index = gradestore.grades_dir(path) / gradestore.INDEX
    assert index.is_file()
    path.write_text(path.read_text() + "\nCandidate: one more thing.\n")  # the old grades are now stale
    _same_as_a_full_read(path)
    gradestore.save(grade_file(str(path), rubrics.resolve("product_sense")), path)
    _same_as_a_full_read(path)
    folder = gradestore.grades_dir(path)
    files = sorted(folder.glob("*.json"))
    files[0].unlink()
    files[1].write_text("{not a grade")
    edited = files[2].read_text().replace('"rubric": "', '"rubric": "x', 1)
    assert edited != files[2].read_text()
    files[2].write_text(edited)
    _same_as_a_full_read(path)
    index.write_text("[broken")
    _same_as_a_full_read(path)
    index.unlink()
    _same_as_a_full_read(path)


TRANSCRIPT = str(CAL / "strong_fraud_false_declines.txt")
PROBE = """
import sys
from mockint.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(" ".join(sorted(m for m in sys.modules if m.split(".")[0] in ("mockint", "textual", "openai", "pydantic"))))
"""


@pytest.mark.parametrize(
    ("argv", "unused"),
    [
        (["--version"], ["textual", "openai", "pydantic", "mockint.domain.grade", "mockint.settings"]),
        (["transcript", "show", TRANSCRIPT], ["textual", "openai", "mockint.domain.grade", "mockint.grading.offline"]),
        (["rubric", "list"], ["textual", "openai", "mockint.domain.grade", "mockint.grading.offline"]),
        (["config"], ["textual", "openai", "mockint.domain.transcript", "mockint.grading.offline"]),
        (["history"], ["textual", "openai", "mockint.grading.offline", "mockint.grading.detectors"]),
        (["grade", TRANSCRIPT, "--rubric", "impact_story", "--no-save"], ["textual", "openai", "mockint.llm.client"]),
    ],
)
def test_a_command_imports_only_what_it_uses(argv: list[str], unused: list[str], tmp_path: Path) -> None:
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "MOCKINT_BACKEND")}
    env["MOCKINT_HOME"] = str(tmp_path)
    out = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, env=env, timeout=60)
    lines = out.stdout.splitlines()
    loaded = set(lines[-1].split()) if lines else set()
    assert "mockint.cli" in loaded, out.stderr
    assert not [m for m in loaded if any(m == u or m.startswith(u + ".") for u in unused)]


def test_a_model_round_builds_its_tokenizer_template_and_reading_off_the_event_loop(
    chat_server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app awaits a model round on its event loop: the tokenizer, the prompt template and the reading of the
    answers (the grader's detectors) are built in threads, the template once per round, and nothing of it runs on
    the loop's thread (the first answer of a session froze the app for about 245 ms)."""
    import asyncio
    import threading

    from mockint.interview import llm_interviewer as li
    from mockint.llm import tokens
    from mockint.services.rounds import PracticeRequest, open_round
    from mockint.settings import Settings

    from .chat_server import Reply

    where: list[tuple[str, int]] = []

    def spy(module: object, name: str) -> None:
        real = getattr(module, name)

        def wrapper(*args: object, **kwargs: object) -> object:
            where.append((name, threading.get_ident()))
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, wrapper)

    for module, name in [(tokens, "encoding_for_model"), (tokens, "count"), (tokens, "count_messages"),
                         (li, "read"), (li, "probe_target"), (li, "_environment")]:  # fmt: skip
        spy(module, name)
    chat_server.queue(Reply(content="Tell me about a product you would improve?"), Reply(content="Who is it for?"),
                      Reply(content="And how would you know it worked?"), Reply(content="Thanks, that's time."))  # fmt: skip
    settings = Settings(backend="openai", base_url=chat_server.base_url, api_key="sk-perf", max_retries=0, timeout=5)
    request = PracticeRequest("product_sense", seed=1, out=tmp_path / "round.jsonl", backend="openai")

    async def round_on_a_loop() -> int:
        loop_thread = threading.get_ident()
        session = open_round(request, settings).session
        await session.begin_async()
        await session.answer_async("I'd focus on first-time home buyers who save renovation pins but stall.")
        await session.answer_async("Weekly saves per planner should rise 10% in 8 weeks, hide rate under 2%.")
        await session.end_async()
        await session.interviewer.aclose()
        return loop_thread

    loop_thread = asyncio.run(round_on_a_loop())
    names = {name for name, _ in where}
    assert {"encoding_for_model", "count", "count_messages", "read", "probe_target", "_environment"} <= names
    assert [name for name, ident in where if ident == loop_thread] == []
    assert [name for name, _ in where].count("_environment") == 1, "the template is built once per round"
