"""Rubric YAML -> model, and the errors a rubric author sees: file, line, field, one line each."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mockint import rubrics
from mockint.domain import Rubric
from mockint.errors import MockintError
from mockint.yamlmodels import load_model

from .conftest import DATA

SAMPLE = (DATA / "sample_rubric.yaml").read_text()


def _broken(tmp_path: Path, old: str, new: str, name: str = "broken.yaml") -> Path:
    assert old in SAMPLE, old
    path = tmp_path / name
    path.write_text(SAMPLE.replace(old, new, 1))
    return path


def _line_of(path: Path, needle: str) -> int:
    for i, line in enumerate(path.read_text().splitlines(), start=1):
        if needle in line:
            return i
    raise AssertionError(needle)


def test_sample_loads_with_hash() -> None:
    loaded = rubrics.resolve(str(DATA / "sample_rubric.yaml"))
    assert loaded.rubric.id == "sample"
    assert loaded.rubric.version == 2
    assert len(loaded.sha256) == 64
    assert loaded.rubric.must_pass_bar == 3
    assert [c.id for c in loaded.rubric.criteria] == ["user", "metric"]


def test_zero_weight_names_file_line_and_field(tmp_path: Path) -> None:
    path = _broken(tmp_path, "    weight: 1\n", "    weight: 0\n")
    problems = rubrics.check_file(path, "rubrics/x.yaml")
    assert problems == [f"rubrics/x.yaml:{_line_of(path, 'weight: 0')}: criteria[1].weight: input should be greater than 0"]


def test_unknown_field_suggests_the_close_one(tmp_path: Path) -> None:
    path = _broken(tmp_path, "    weight: 2\n", "    wieght: 2\n")
    problems = rubrics.check_file(path, "r.yaml")
    line = _line_of(path, "wieght")
    assert f"r.yaml:{line}: criteria[0].wieght: unknown field 'wieght' (did you mean 'weight'?)" in problems
    assert any("criteria[0].weight: required field is missing" in p for p in problems)


def test_wrong_type_is_reported_at_its_line(tmp_path: Path) -> None:
    path = _broken(tmp_path, "    must_pass: true\n", "    must_pass: sometimes\n")
    (problem,) = rubrics.check_file(path, "r.yaml")
    assert problem.startswith(f"r.yaml:{_line_of(path, 'sometimes')}: criteria[0].must_pass: ")


@pytest.mark.parametrize(
    ("old", "new", "field", "needle"),
    [
        ("  - id: metric\n", "  - id: user\n", "criteria[1].id", "duplicate criterion id 'user'"),
        (
            "      4: Names a segment in a situation and why they matter now.\n",
            "",
            "criteria[0].anchors",
            "no anchor for level(s) 4",
        ),
        ("{criterion: metric, min: 2", "{criterion: metrics, min: 2", "verdict.rules[0].criterion", "no criterion 'metrics'"),
        ("{criterion: metric, min: 2", "{criterion: metric, min: 7", "verdict.rules[0].min", "not a level"),
    ],
)
def test_cross_checks_point_at_the_field(tmp_path: Path, old: str, new: str, field: str, needle: str) -> None:
    path = _broken(tmp_path, old, new)
    (problem,) = rubrics.check_file(path, "r.yaml")
    assert f": {field}: " in problem
    assert needle in problem
    line = int(problem.split(":")[1])
    assert 1 < line <= len(path.read_text().splitlines())


def test_cross_check_line_is_the_offending_item(tmp_path: Path) -> None:
    path = _broken(tmp_path, "  - id: metric\n", "  - id: user\n")
    (problem,) = rubrics.check_file(path, "r.yaml")
    second_criterion_line = [i for i, ln in enumerate(path.read_text().splitlines(), 1) if ln == "  - id: user"][1]
    assert problem.startswith(f"r.yaml:{second_criterion_line}: criteria[1].id:")


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("", "file is empty"),
        ("   \n\n", "file is empty"),
        ("id: x\n  bad: [\n", "invalid YAML"),
        ("- just\n- a list\n", "expected a mapping"),
        ("id: a\nid: b\n", "duplicate key"),
    ],
)
def test_malformed_files_get_one_line(tmp_path: Path, content: str, needle: str) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(content)
    with pytest.raises(MockintError) as info:
        load_model(path, Rubric)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path}:")
    assert needle in message


def test_binary_wrong_encoding_and_huge_files(tmp_path: Path) -> None:
    binary = tmp_path / "b.yaml"
    binary.write_bytes(b"id: x\n\x00\x01\x02")
    latin = tmp_path / "l.yaml"
    latin.write_bytes("id: x\ntitle: caf\xe9\n".encode("latin-1"))
    huge = tmp_path / "h.yaml"
    huge.write_bytes(b"# " + b"x" * (3 * 1024 * 1024))
    for path, needle, line in ((binary, "binary data", 2), (latin, "not UTF-8", 2), (huge, "too large", None)):
        with pytest.raises(MockintError) as info:
            load_model(path, Rubric)
        assert needle in str(info.value)
        assert info.value.line == line


def test_utf16_with_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "u.yaml"
    path.write_bytes(SAMPLE.encode("utf-16"))
    assert load_model(path, Rubric).id == "sample"


def test_schema_is_json_schema_of_the_model() -> None:
    schema = json.loads(rubrics.json_schema())
    assert schema["title"] == "mockint rubric"
    assert set(schema["required"]) >= {"id", "version", "title", "round", "scale", "criteria"}
    assert "Criterion" in schema["$defs"]
    assert schema["$defs"]["Criterion"]["additionalProperties"] is False


def test_cli_rubric_check_exit_codes(cli, tmp_path: Path) -> None:
    good = cli("rubric", "check", str(DATA / "sample_rubric.yaml"))
    assert good.code == 0 and "ok" in good.out
    bad_path = _broken(tmp_path, "    weight: 1\n", "    weight: -1\n")
    bad = cli("rubric", "check", str(bad_path), str(DATA / "sample_rubric.yaml"))
    assert bad.code == 2
    assert f"mockint: error: {bad_path}:{_line_of(bad_path, 'weight: -1')}: criteria[1].weight:" in bad.err
    assert "Traceback" not in bad.err


def test_user_rubric_is_found_by_id(cli, mockint_home: Path) -> None:
    folder = mockint_home / "rubrics"
    folder.mkdir(parents=True)
    (folder / "sample.yaml").write_text(SAMPLE)
    assert rubrics.resolve("sample").builtin is False
    listed = cli("rubric", "list")
    assert "sample" in listed.out and "user" in listed.out


def test_unknown_rubric_id_suggests(tmp_path: Path) -> None:
    with pytest.raises(MockintError) as info:
        rubrics.resolve("produt_sense")
    assert "unknown rubric 'produt_sense'" in str(info.value)


def test_control_characters_in_keys_stay_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "k.yaml"
    path.write_text(SAMPLE + '"bad\\nkey": 1\n')
    (problem,) = rubrics.check_file(path, "k.yaml")
    assert "\n" not in problem
    assert "unknown field 'bad\\\\nkey'" in problem or "bad\\nkey" in problem
