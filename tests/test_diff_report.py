"""`mockint diff` (two grades, a transcript's two latest, a folder summary) and `mockint report` (Markdown and
self-contained, escaped HTML with evidence linked to turns)."""

from __future__ import annotations

import json
import re
import shutil
import stat
import sys
from pathlib import Path

import pytest
import yaml

from mockint import config, gradestore, rubrics
from mockint.domain.grade import CriterionGrade, Evidence, Grade
from mockint.domain.transcript import Transcript, TranscriptMeta, Turn
from mockint.grading.run import grade_file, keep
from mockint.report import compare
from mockint.report.html import grade_html

CAL = Path(__file__).parent / "calibration" / "tuning" / "impact_story"
COHORT = [CAL / n for n in ("borderline_strong_numbers_all_we.txt", "borderline_thin_seller_pricing.txt",
          "strong_fraud_false_declines.txt", "strong_furniture_search_ranking.txt", "strong_grocery_substitutions.txt",
          "weak_keyword_stuffed.txt", "weak_manipulative.txt", "weak_rambling_career_tour.txt")]  # fmt: skip


@pytest.fixture
def mi(cli):
    """`mockint ARGV` in-process (the conftest's `cli` runner)."""
    return cli


# ---------------------------------------------------------------- fixtures


def _cohort(tmp_path: Path) -> Path:
    folder = tmp_path / "cohort"
    folder.mkdir()
    for src in COHORT:
        shutil.copy(src, folder / src.name)
    return folder


def _rubric_v2(hire_min: float = 90) -> None:
    """A user `impact_story` v2: one criterion's signals cut, `learning` dropped, a new criterion, a higher bar."""
    data = yaml.safe_load(rubrics.resolve("impact_story").path.read_text())
    data["version"] = 2
    data["criteria"][0]["signals"] = data["criteria"][0]["signals"][:1]
    data["criteria"] = [c for c in data["criteria"] if c["id"] != "learning"]
    data["criteria"].append({**data["criteria"][1], "id": "impact_copy", "title": "Impact, again"})
    data["verdict"]["hire_min_score"] = hire_min
    (config.user_rubrics_dir() / "impact_story.yaml").write_text(yaml.safe_dump(data, sort_keys=False))


def _grade_all(*paths: str) -> None:
    """Grade offline with the current `impact_story` (built-in, or the user's v2 once written) and keep it."""
    loaded = rubrics.resolve("impact_story")
    for p in paths:
        keep(grade_file(p, loaded), p)


def _two_versions(paths: list[str]) -> None:
    """Every path graded with the built-in v1, then with the user's v2."""
    _grade_all(*paths)
    _rubric_v2()
    _grade_all(*paths)


# ---------------------------------------------------------------- diff


def test_diff_of_two_grade_files_shows_score_verdict_moves_and_criteria_in_one_only(mi, tmp_path: Path) -> None:
    folder = _cohort(tmp_path)
    path = str(folder / "borderline_thin_seller_pricing.txt")
    _two_versions([path])
    (fa, a), (fb, b) = gradestore.grades_for(path)
    moved = [c for c in a.criteria if b.criterion(c.id) and b.criterion(c.id).score != c.score]
    assert a.rubric_version == 1 and b.rubric_version == 2
    assert moved and a.verdict != b.verdict  # the change moved a criterion and flipped the verdict

    res = mi("diff", str(fa), str(fb))
    assert res.code == 0, res.err
    assert res.err == ""  # same transcript: no warning
    assert f"{a.score:5.1f} → {b.score:5.1f}  ({b.score - a.score:+.1f})" in res.out
    assert f"verdict  {a.verdict} → {b.verdict}" in res.out
    assert f"impact_story v1 (sha {a.rubric_sha256[:8]})" in res.out and f"v2 (sha {b.rubric_sha256[:8]})" in res.out
    assert "only in A: learning" in res.out and "only in B: impact_copy" in res.out
    for c in moved:
        after = b.criterion(c.id).score
        assert re.search(
            rf"{re.escape(c.title)}\s+{c.score:g}/4 → {after:g}/4\s+{re.escape(format(after - c.score, '+g'))}\n", res.out
        )

    js = mi("diff", str(fa), str(fb), "--format", "json")
    obj = json.loads(js.out)
    assert obj["a"]["rubric_version"] == 1 and obj["b"]["rubric_version"] == 2
    assert obj["score_delta"] == pytest.approx(b.score - a.score)
    assert obj["verdict_changed"] is True and obj["only_in_a"] == ["learning"] and obj["only_in_b"] == ["impact_copy"]
    assert {c["id"]: c["delta"] for c in obj["criteria"]} == {c.id: b.criterion(c.id).score - c.score for c in moved}
    assert obj["warning"] is None

    md = mi("diff", str(fa), str(fb), "--format", "markdown")
    assert md.out.startswith("# Grade diff") and "| criterion | A | B | change |" in md.out


def test_diff_warns_when_the_grades_are_of_different_transcripts(mi, tmp_path: Path) -> None:
    folder = _cohort(tmp_path)
    one, two = str(folder / "weak_manipulative.txt"), str(folder / "strong_fraud_false_declines.txt")
    _grade_all(one, two)
    res = mi("diff", str(gradestore.latest(one)[0]), str(gradestore.latest(two)[0]))
    assert res.code == 0
    assert "mockint: note: the grades are of different transcripts" in res.err
    assert res.err.count("\n") == 1


def test_diff_of_a_transcript_compares_its_two_latest_grades(mi, tmp_path: Path) -> None:
    folder = _cohort(tmp_path)
    path = str(folder / "borderline_strong_numbers_all_we.txt")
    _two_versions([path])
    res = mi("diff", path, "--rubric", "impact_story", "--format", "json")
    assert res.code == 0, res.err
    (fa, _), (fb, _) = gradestore.grades_for(path)
    obj = json.loads(res.out)
    assert (obj["a"]["file"], obj["b"]["file"]) == (str(fa), str(fb))


def test_diff_of_a_folder_summarises_how_the_rubric_change_moved_verdicts(mi, tmp_path: Path) -> None:
    folder = _cohort(tmp_path)
    paths = sorted(str(p) for p in folder.glob("*.txt"))
    compared, single = paths[:-2], paths[-2:]
    _grade_all(*paths)
    _rubric_v2()
    _grade_all(*compared)  # the last two keep a single grade: skipped

    pairs = [(gradestore.grades_for(p)[0][1], gradestore.grades_for(p)[-1][1]) for p in compared]
    down = sum(a.verdict == "hire" and b.verdict == "no_hire" for a, b in pairs)
    up = sum(a.verdict == "no_hire" and b.verdict == "hire" for a, b in pairs)
    mean = sum(b.score - a.score for a, b in pairs) / len(pairs)
    assert down + up >= 1  # the raised bar flips at least one verdict, so the counts are tested

    res = mi("diff", str(folder))
    assert res.code == 0, res.err
    assert f"Compared {len(compared)} transcripts" in res.out
    assert f"verdicts: {down} hire → no_hire, {up} no_hire → hire, {len(pairs) - down - up} unchanged" in res.out
    assert f"mean score change: {mean:+.1f}" in res.out
    assert "criteria that moved most" in res.out and "Problem, impact, solution narrative" in res.out
    assert f"skipped ({len(single)}):" in res.out
    for p in single:
        assert f"{p}: 1 kept grade of rubric impact_story" in res.out

    obj = json.loads(mi("diff", str(folder), "--format", "json").out)
    assert (obj["compared"], obj["hire_to_no_hire"], obj["no_hire_to_hire"]) == (len(compared), down, up)
    assert obj["mean_score_delta"] == pytest.approx(mean, abs=1e-3)
    assert obj["criteria"][0]["id"] == "narrative_structure"  # moved the most: its signals were cut
    assert sorted(s["transcript"] for s in obj["skipped"]) == single


def test_diff_folder_with_nothing_to_compare_exits_1(mi, tmp_path: Path) -> None:
    folder = _cohort(tmp_path)
    res = mi("diff", str(folder))
    assert res.code == 1
    assert "Compared 0 transcripts" in res.out and "no kept grades" in res.out


def test_diff_rejects_bad_and_foreign_files_with_one_line(mi, tmp_path: Path) -> None:
    foreign = tmp_path / "package.json"
    foreign.write_text('{"name": "left-pad", "version": "1.0.0"}')
    folder = _cohort(tmp_path)
    path = str(folder / "weak_manipulative.txt")
    _grade_all(path)
    grade_file_path = str(gradestore.latest(path)[0])
    for argv, needle in [
        (("diff", str(foreign), grade_file_path), "not a mockint grade"),
        (("diff", grade_file_path, str(tmp_path / "missing.json")), "no such file"),
        (("diff", grade_file_path, path), "not a mix"),
        (("diff", path), "1 kept grade(s) of rubric impact_story; two are needed"),
    ]:
        res = mi(*argv)
        assert res.code == 2, (argv, res)
        assert res.err.startswith("mockint: error: ") and needle in res.err and res.err.count("\n") == 1
        assert "Traceback" not in res.err


def _grade(criteria: list[CriterionGrade], **kw: object) -> Grade:
    base = dict(transcript="t.txt", rubric="r", rubric_version=1, rubric_sha256="a" * 64, grader="offline", score=50.0)
    return Grade(**{**base, "verdict": "no_hire", "criteria": criteria, **kw})  # type: ignore[arg-type]


def test_compare_flags_unscored_criteria_and_transcript_identity() -> None:
    a = _grade([CriterionGrade(id="x", score=2, max=4, weight=1), CriterionGrade(id="y", score=None, max=4, weight=1)])
    b = _grade(
        [CriterionGrade(id="x", score=2, max=4, weight=1), CriterionGrade(id="y", score=3, max=4, weight=1)],
        flags=["injection_attempt"],
        grader="llm:m",
    )
    d = compare.diff_grades(a, b)
    assert [(c.id, c.before, c.after, c.delta) for c in d.moved] == [("y", None, 3, None)]
    assert d.unchanged == ["x"] and d.flags_added == ["injection_attempt"] and d.flags_removed == []
    assert compare.different_transcripts(a, b.model_copy(update={"transcript": "./t.txt"})) is None
    changed = compare.different_transcripts(
        a.model_copy(update={"transcript_sha256": "1"}), b.model_copy(update={"transcript_sha256": "2"})
    )
    assert changed == "t.txt changed between the two grades (its sha256 differs)"
    assert compare.pick_pair([("p1", a), ("p2", a)]) is None
    assert compare.pick_pair([("p1", a), ("p2", a)], strict=False) == (("p1", a), ("p2", a))
    assert compare.pick_pair([("p0", b), ("p1", a), ("p2", a)]) == (("p0", b), ("p2", a))


# ---------------------------------------------------------------- report


def test_report_markdown_grades_offline_once_then_reuses_the_kept_grade(mi, tmp_path: Path) -> None:
    path = tmp_path / "fraud.txt"
    shutil.copy(CAL / "strong_fraud_false_declines.txt", path)
    first = mi("report", str(path), "--rubric", "impact_story")
    assert first.code == 0, first.err
    assert "graded offline and kept it" in first.err
    kept = gradestore.grades_for(path)
    assert len(kept) == 1
    grade = kept[0][1]
    assert first.out.startswith(f"# {'Hire' if grade.verdict == 'hire' else 'No hire'} · {grade.score:.0f}/100 · impact_story")
    assert "## Transcript" in first.out and "[2] Candidate" in first.out and "```text" in first.out

    again = mi("report", str(path))  # no --rubric: the latest kept grade, whatever its rubric
    assert again.code == 0 and again.err == "" and again.out == first.out
    assert len(gradestore.grades_for(path)) == 1


def test_report_needs_a_rubric_for_a_transcript_with_no_round_and_no_grade(mi, tmp_path: Path) -> None:
    path = tmp_path / "fraud.txt"
    shutil.copy(CAL / "strong_fraud_false_declines.txt", path)
    res = mi("report", str(path))
    assert res.code == 2 and "pass --rubric ID" in res.err and res.err.count("\n") == 1
    assert not gradestore.grades_dir(path).exists()


def test_report_html_escapes_the_transcript_and_links_evidence_to_turns(mi, tmp_path: Path) -> None:
    src = (CAL / "strong_fraud_false_declines.txt").read_text()
    hostile = "Candidate: I added <script>alert('pwned')</script> and <img src=x onerror=alert(1)> to the page.\n"
    path = tmp_path / "hostile.txt"
    path.write_text(src.rstrip("\n") + "\n\nInterviewer: Anything else?\n\n" + hostile)
    out = tmp_path / "out" / "report.html"
    res = mi("report", str(path), "--rubric", "impact_story", "--format", "html", "-o", str(out))
    assert res.code == 0, res.err
    assert str(out) in res.out
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    page = out.read_text()

    assert "<script" not in page.lower() and "<img" not in page.lower()
    assert "&lt;script&gt;alert(&#x27;pwned&#x27;)&lt;/script&gt;" in page
    assert "prefers-color-scheme: dark" in page and "<style>" in page
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", page)  # nothing external
    grade = gradestore.latest(path)[1]
    links = set(re.findall(r'href="#turn-(\d+)"', page))
    anchors = set(re.findall(r'id="turn-(\d+)"', page))
    cited = {str(e.turn) for c in grade.criteria for e in c.evidence}
    assert cited and cited <= links <= anchors
    assert f"{grade.score:.0f}/100" in page
    for c in grade.criteria:
        assert f'id="crit-{c.id}"' in page


def test_grade_html_escapes_every_field_of_a_hostile_grade() -> None:
    transcript = Transcript(
        meta=TranscriptMeta(id="x<y"),
        turns=[
            Turn(index=1, speaker="interviewer", text="Q?"),
            Turn(index=2, speaker="candidate", text='I said "<b>bold</b>" & left'),
        ],
    )
    crit = CriterionGrade(
        id='c"><i>',
        title="<h1>title</h1>",
        score=3,
        max=4,
        weight=1,
        evidence=[Evidence(turn=2, quote='"<b>bold</b>"'), Evidence(turn=9, quote="gone")],
        rationale="<em>why</em>",
        missing=["<u>m</u>"],
    )
    page = grade_html(_grade([crit], verdict_reasons=["<r>"], practise_next=["<p>"], flags=["<f>"]), transcript)
    body = page.split("</style>", 1)[1]
    for raw in ("<b>", "<h1>title", "<em>", "<u>", "<r>", "<f>", "<i>", 'id="c">'):
        assert raw not in body, raw
    assert "<mark>&quot;&lt;b&gt;bold&lt;/b&gt;&quot;</mark> &amp; left" in body  # the quote is highlighted in its turn
    assert "turn 9 (not in this transcript)" in body and 'href="#turn-9"' not in body
    assert "width:75%" in body


def test_diff_reads_a_saved_line_of_grade_json_output(mi, cli, tmp_path: Path) -> None:
    path = _cohort(tmp_path) / "strong_fraud_false_declines.txt"
    _grade_all(str(path))
    printed = cli("grade", str(path), "--rubric", "technical_explainer", "--format", "json", "--no-save")
    assert printed.code == 0
    saved = tmp_path / "other.jsonl"
    saved.write_text(printed.out)
    res = mi("diff", str(gradestore.latest(path)[0]), str(saved), "--format", "json")
    assert res.code == 0, res.err
    assert "different rubrics (impact_story vs technical_explainer)" in res.err
    obj = json.loads(res.out)
    assert obj["b"]["rubric"] == "technical_explainer" and obj["criteria"] == [] and obj["only_in_a"]


def test_report_of_a_native_session_grades_it_with_its_rounds_rubric(mi, tmp_path: Path) -> None:
    from mockint.transcripts.loading import load_any
    from mockint.transcripts.store import serialise, write_atomic

    transcript = load_any(CAL / "weak_rambling_career_tour.txt")
    transcript.meta = transcript.meta.model_copy(update={"round": "impact_story"})
    path = tmp_path / "session.jsonl"
    write_atomic(path, serialise(transcript))
    res = mi("report", str(path), "--format", "html")
    assert res.code == 0, res.err
    assert gradestore.latest(path, "impact_story") is not None
    assert res.out.startswith("<!doctype html>") and "impact_story" in res.out


@pytest.mark.parametrize(
    "module",
    [
        "mockint.commands.diff",
        "mockint.commands.report",
        "mockint.commands.history",
        "mockint.commands.committee",
        "mockint.report.html",
        "mockint.report.compare",
        "mockint.report.history_view",
    ],
)
def test_these_commands_load_neither_textual_nor_openai(module: str) -> None:
    import subprocess

    code = f"import sys, {module}; print(sorted({{'textual', 'openai'}} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.strip() == "[]"
