"""Finding and loading rubrics: built-in ones by id, user ones by id or path, each with its sha256."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from mockint import config
from mockint.domain.rubric import Rubric
from mockint.errors import MockintError
from mockint.textfiles import read_text
from mockint.yamlmodels import MAX_YAML_BYTES, Problem, check_model, load_model


@dataclass(frozen=True)
class LoadedRubric:
    """A validated rubric with where it came from and the hash that grades record."""

    rubric: Rubric
    path: Path
    sha256: str
    builtin: bool


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rubric_dirs() -> list[tuple[Path, bool]]:
    """User rubrics first (they override built-ins of the same id), then built-in ones."""
    return [(config.user_rubrics_dir(), False), (config.builtin_rubrics_dir(), True)]


def _candidates() -> dict[str, tuple[Path, bool]]:
    found: dict[str, tuple[Path, bool]] = {}
    for folder, builtin in reversed(rubric_dirs()):
        if folder.is_dir():
            for path in sorted(folder.glob("*.y*ml")):
                found[path.stem] = (path, builtin)
    return found


_ID = re.compile(r"^[a-z][a-z0-9_]*$")


def resolve_id(ref: str, *, named_by: str = "the transcript", path: str | None = None) -> LoadedRubric:
    """A rubric named inside a file (a transcript, a kept grade): by id only, never as a path, so an untrusted
    file cannot make mockint open /dev/stdin or an attacker's YAML. Paths come only from the command line.
    `path` is the file that named it, for the error."""
    if not _ID.match(ref):
        raise MockintError(f"{named_by} names rubric {ref[:80]!r}, which is not a rubric id; pass --rubric ID", path=path)
    return resolve(ref)


def resolve(ref: str) -> LoadedRubric:
    """`ref` is a rubric id (user or built-in) or a path to a YAML file."""
    as_path = Path(ref)
    if ref.endswith((".yaml", ".yml")) or as_path.exists() or "/" in ref:
        rubric = load_model(as_path, Rubric, display=ref)
        return LoadedRubric(rubric, as_path, _sha256(as_path), builtin=False)
    known = _candidates()
    if ref not in known:
        import difflib

        close = difflib.get_close_matches(ref, list(known), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else f"; known: {', '.join(sorted(known)) or 'none'}"
        raise MockintError(f"unknown rubric {ref!r}{hint}")
    path, builtin = known[ref]
    rubric = load_model(path, Rubric, display=str(path))
    if rubric.id != ref:
        raise MockintError(f"id: {rubric.id!r} does not match the file name {path.name!r}", path=str(path))
    return LoadedRubric(rubric, path, _sha256(path), builtin)


def check_file(path: Path, shown: str | None = None) -> list[str]:
    """Every problem of one rubric file, each rendered as `file:line: field: message`."""
    display = shown if shown is not None else str(path)
    try:
        text = read_text(path, max_bytes=MAX_YAML_BYTES, display=display)
        _, found = check_model(text, Rubric, display)
    except MockintError as exc:
        return [str(exc)]
    return [p.render(display) for p in found]


def list_all() -> list[LoadedRubric | tuple[Path, str]]:
    """All rubrics found, valid ones loaded; broken ones as (path, error) so a list still shows them."""
    out: list[LoadedRubric | tuple[Path, str]] = []
    for ref, (path, _builtin) in sorted(_candidates().items()):
        try:
            out.append(resolve(ref))
        except MockintError as exc:
            out.append((path, str(exc)))
    return out


def all_paths() -> list[Path]:
    return [path for path, _ in _candidates().values()]


def json_schema() -> str:
    """JSON Schema for rubric files, for editors with the YAML language server."""
    schema = Rubric.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "mockint rubric"
    return json.dumps(schema, indent=2)


__all__ = ["LoadedRubric", "Problem", "check_file", "json_schema", "list_all", "resolve"]
