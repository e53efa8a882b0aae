"""Rubric authoring: the documented example is valid, `rubric test` catches a bad example that wins,
and the interviewer's prompt template renders for every round in both modes."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2

from mockint import config, rubrics
from mockint.rounds import load_round, round_ids

from .conftest import DATA, REPO


def _readme_example() -> str:
    text = (REPO / "rubrics" / "README.md").read_text()
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
    complete = [b for b in blocks if "criteria:" in b and "verdict:" in b and "scale:" in b]
    assert complete, "rubrics/README.md must show a complete example rubric"
    return max(complete, key=len)


def test_documented_example_rubric_checks_and_tests_clean(cli, tmp_path: Path) -> None:
    path = tmp_path / "example.yaml"
    path.write_text(_readme_example())
    checked = cli("rubric", "check", str(path))
    assert checked.code == 0, checked.err
    tested = cli("rubric", "test", str(path))
    assert tested.code == 0, tested.out + tested.err


def test_rubric_test_fails_when_a_bad_example_wins(cli, tmp_path: Path) -> None:
    text = (DATA / "sample_rubric.yaml").read_text()
    good = '["Raise weekly saves per user by 5% within 8 weeks."]'
    bad = '["Engagement goes up."]'
    swapped = text.replace(good, "GOOD").replace(bad, good).replace("GOOD", bad)
    path = tmp_path / "swapped.yaml"
    path.write_text(swapped)
    result = cli("rubric", "test", str(path))
    assert result.code == 1
    assert "FAIL" in result.out and "metric: good [1] vs bad [" in result.out


def test_builtin_rubrics_pass_their_own_examples(cli) -> None:
    result = cli("rubric", "test")
    assert result.code == 0, result.out
    assert result.out.count("ok    ") == 6


def test_interviewer_template_renders_for_every_round_in_both_modes() -> None:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(config.prompts_dir()), undefined=jinja2.StrictUndefined)
    for rid in round_ids():
        spec = load_round(rid)
        rubric = rubrics.resolve(spec.rubric).rubric
        texts = {}
        for mode in ("realistic", "coach"):
            text = env.get_template(spec.template).render(
                round=spec, rubric=rubric, question=spec.questions[0], mode=mode, company="pinterest", track="pm", minutes_left=3
            )
            assert spec.persona.name.split()[0] in text
            assert spec.questions[0].text[:40] in text
            assert rubric.criteria[0].probes[0][:30] in text
            texts[mode] = text.lower()
        assert texts["realistic"] != texts["coach"]
        assert "hint" in texts["coach"]
