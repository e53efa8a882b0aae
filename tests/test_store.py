"""The native store: append-only, fsynced, owner-only, survives SIGKILL, resumable, never rewritten in place."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from mockint.domain import Transcript, TranscriptMeta, Turn
from mockint.errors import MockintError
from mockint.transcripts import TranscriptWriter, read_native, write_atomic
from mockint.transcripts.store import serialise


def _meta(**kw: object) -> TranscriptMeta:
    return TranscriptMeta(
        id="t1", round="product_sense", track="pm", company="pinterest", backend="offline", app_version="test", **kw
    )


def test_round_trip_and_permissions(tmp_path: Path) -> None:
    path = tmp_path / "t1.jsonl"
    with TranscriptWriter.create(path, _meta()) as writer:
        writer.add_turn("interviewer", "Who is the user?")
        writer.add_turn("candidate", "A first-time home buyer.", tokens=7)
        writer.finish()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    transcript = read_native(path)
    assert transcript.finished
    assert [(t.index, t.speaker, t.text) for t in transcript.turns] == [
        (1, "interviewer", "Who is the user?"),
        (2, "candidate", "A first-time home buyer."),
    ]
    assert transcript.turns[1].tokens == 7
    assert transcript.meta.ended is not None
    records = [json.loads(line) for line in path.read_text().splitlines()]
    assert [r["type"] for r in records] == ["meta", "turn", "turn", "end"]


def test_create_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    TranscriptWriter.create(path, _meta()).close()
    with pytest.raises(MockintError, match="already exists"):
        TranscriptWriter.create(path, _meta())


WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from mockint.domain import TranscriptMeta
    from mockint.transcripts import TranscriptWriter
    w = TranscriptWriter.create(Path(sys.argv[1]), TranscriptMeta(id="k", round="impact_story"))
    for i in range(3):
        w.add_turn("interviewer" if i % 2 == 0 else "candidate", f"turn number {i + 1} " + "word " * 200)
        print(i + 1, flush=True)
    time.sleep(60)
    """
)


def test_sigkill_mid_round_keeps_every_completed_turn_and_resumes_same_file(tmp_path: Path) -> None:
    path = tmp_path / "k.jsonl"
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        seen = [proc.stdout.readline().strip() for _ in range(3)]
        assert seen == ["1", "2", "3"]
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    # simulate the kill landing mid-write of a fourth turn: a torn final line
    with path.open("ab") as fh:
        fh.write(b'{"type":"turn","index":4,"speaker":"cand')
    cut = read_native(path)
    assert not cut.finished
    assert [t.text.split()[2] for t in cut.turns] == ["1", "2", "3"]

    inode = path.stat().st_ino
    with TranscriptWriter.resume(path) as writer:
        assert len(writer.transcript.turns) == 3
        writer.add_turn("candidate", "after the crash")
        writer.finish()
    assert path.stat().st_ino == inode, "resume must continue the same file"
    done = read_native(path)
    assert done.finished
    assert [t.index for t in done.turns] == [1, 2, 3, 4]
    assert done.turns[-1].text == "after the crash"
    assert all(json.loads(line) for line in path.read_text().splitlines())


def test_finished_round_cannot_be_resumed(tmp_path: Path) -> None:
    path = tmp_path / "f.jsonl"
    with TranscriptWriter.create(path, _meta()) as writer:
        writer.finish()
    before = path.read_bytes()
    with pytest.raises(MockintError, match="finished"):
        TranscriptWriter.resume(path)
    assert path.read_bytes() == before


def test_corrupt_record_in_the_middle_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    with TranscriptWriter.create(path, _meta()) as writer:
        writer.add_turn("candidate", "one")
        writer.add_turn("candidate", "two")
    lines = path.read_text().splitlines()
    lines[1] = lines[1][:10]
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(MockintError) as info:
        read_native(path)
    assert info.value.line == 2
    assert str(info.value).startswith(f"{path}:2: invalid JSON record")


def test_out_of_order_turn_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "o.jsonl"
    transcript = Transcript(meta=_meta(), turns=[Turn(index=2, speaker="candidate", text="x")])
    path.write_bytes(serialise(transcript))
    with pytest.raises(MockintError, match=r":2: turn index 2 out of order"):
        read_native(path)


def test_atomic_write_replaces_whole_file_and_leaves_no_temp(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    write_atomic(path, b"first\n")
    write_atomic(path, b"second\n")
    assert path.read_bytes() == b"second\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(os.listdir(tmp_path)) == ["a.jsonl"]


def test_atomic_write_failure_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.jsonl"
    write_atomic(path, b"old\n")

    def boom(*_a: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        write_atomic(path, b"new\n")
    assert path.read_bytes() == b"old\n"
    assert sorted(os.listdir(tmp_path)) == ["a.jsonl"]


def test_atomic_write_makes_missing_folders_owner_only_and_refuses_a_file_as_folder(tmp_path: Path) -> None:
    tmp_path.chmod(0o755)
    target = tmp_path / "a" / "b" / "c.json"
    write_atomic(target, b"{}\n")
    assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o755, "a folder that exists keeps its mode"
    assert [stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "a", tmp_path / "a" / "b")] == [0o700, 0o700]
    blocker = tmp_path / "plain"
    blocker.write_text("x")
    with pytest.raises(MockintError, match=r"plain: is not a folder"):
        write_atomic(blocker / "c.json", b"{}\n")
