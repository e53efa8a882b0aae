"""YAML -> pydantic model, with errors that name file, line and field.

PyYAML composes a node graph that keeps line marks; we build a map from each
field path to its line, then translate pydantic's error locations through it.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from mockint.errors import MockintError, one_line
from mockint.textfiles import read_text

M = TypeVar("M", bound=BaseModel)
Loc = tuple[str | int, ...]
MAX_YAML_BYTES = 2 * 1024 * 1024

MAX_NODES = 200_000  # far beyond any real rubric; stops alias "bombs" that expand exponentially
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # type: ignore[assignment]
_PATH_IN_MESSAGE = re.compile(r"^((?:[A-Za-z_][A-Za-z0-9_]*)(?:\[\d+\])?(?:\.[A-Za-z_][A-Za-z0-9_]*(?:\[\d+\])?)*): (.+)$")


class Problem(typing.NamedTuple):
    line: int | None
    field: str
    message: str

    def render(self, shown: str) -> str:
        where = f"{shown}:{self.line}" if self.line is not None else shown
        text = f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        return one_line(text)


def parse_yaml(text: str, shown: str) -> tuple[Any, dict[Loc, int]]:
    """Parse one YAML document; return the data and a map from field path to 1-based line."""
    if not text.strip():
        raise MockintError("file is empty", path=shown)
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                raise MockintError("file holds no YAML document", path=shown)
            lines: dict[Loc, int] = {}
            _walk(node, (), lines, shown, [0])
            data = loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        raise MockintError(f"invalid YAML: {problem}", path=shown, line=line) from None
    except yaml.YAMLError as exc:
        raise MockintError(f"invalid YAML: {str(exc).splitlines()[0]}", path=shown) from None
    except RecursionError:
        raise MockintError("YAML is nested too deeply", path=shown) from None
    return data, lines


def _walk(node: yaml.Node, loc: Loc, lines: dict[Loc, int], shown: str, count: list[int]) -> None:
    count[0] += 1
    if count[0] > MAX_NODES:
        raise MockintError(
            f"YAML expands to more than {MAX_NODES:,} values (nested aliases?)", path=shown, line=node.start_mark.line + 1
        )
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in seen and key_node.tag != "tag:yaml.org,2002:merge":
                where = ".".join(str(p) for p in loc)
                field = f"{where}.{key}" if where else key
                raise MockintError(f"{field}: duplicate key (first at line {seen[key]})", path=shown, line=line)
            seen[key] = line
            lines[(*loc, key)] = line
            _walk(value_node, (*loc, key), lines, shown, count)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines[(*loc, i)] = item.start_mark.line + 1
            _walk(item, (*loc, i), lines, shown, count)
    if loc not in lines:
        lines[loc] = node.start_mark.line + 1


def format_loc(loc: Loc) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _parse_loc(text: str) -> Loc:
    loc: list[str | int] = []
    for name, index in re.findall(r"([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]", text):
        loc.append(name if name else int(index))
    return tuple(loc)


def _line_for(loc: Loc, lines: dict[Loc, int]) -> int | None:
    norm = tuple(p if isinstance(p, int) else str(p) for p in loc)
    for end in range(len(norm), -1, -1):
        if norm[:end] in lines:
            return lines[norm[:end]]
    return None


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The pydantic model class that owns the field at `loc` (for 'did you mean')."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            if isinstance(part, str) and part in current.model_fields:
                current = current.model_fields[part].annotation
                continue
            return None
        args = typing.get_args(current)
        if not args:
            return None
        current = args[-1]
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(tp: Any) -> Any:
    """Strip Optional/Union down to the single model type inside, if there is one."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        models = [a for a in typing.get_args(tp) if isinstance(a, type) and issubclass(a, BaseModel)]
        if len(models) == 1:
            return models[0]
    return tp


_UNION_TAGS = {"int", "str", "float", "bool", "constrained-int", "constrained-str"}


def _merge_union_members(errors: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """A union field (`version: int | str`) fails once per member; say it once: "a valid integer or string"."""
    out: list[dict[str, Any]] = []
    for err in errors:
        loc = tuple(err["loc"])
        prev = out[-1] if out else None
        if (
            prev is not None
            and loc
            and loc[-1] in _UNION_TAGS
            and prev["loc"][-1] in _UNION_TAGS
            and tuple(prev["loc"][:-1]) == loc[:-1]
        ):
            prev["msg"] = prev["msg"] + " or " + err["msg"].removeprefix("Input should be ")
            continue
        out.append(dict(err))
    for err in out:
        if err["loc"] and err["loc"][-1] in _UNION_TAGS:
            err["loc"] = tuple(err["loc"][:-1])
    return out


def problems(exc: ValidationError, model: type[BaseModel], lines: dict[Loc, int]) -> list[Problem]:
    out: list[Problem] = []
    for err in _merge_union_members(exc.errors(include_url=False)):
        loc: Loc = tuple(err["loc"])
        msg = str(err["msg"])
        if err["type"] == "extra_forbidden":
            owner = _model_at(model, loc[:-1])
            name = str(loc[-1])
            msg = f"unknown field {name!r}"
            if owner is not None:
                close = difflib.get_close_matches(name, list(owner.model_fields), n=1, cutoff=0.6)
                if close:
                    msg += f" (did you mean {close[0]!r}?)"
        elif err["type"] == "value_error":
            msg = msg.removeprefix("Value error, ")
            match = _PATH_IN_MESSAGE.match(msg)
            if match:
                loc = (*loc, *_parse_loc(match.group(1)))
                msg = match.group(2)
        elif err["type"] == "missing":
            msg = "required field is missing"
        msg = msg[:1].lower() + msg[1:]
        out.append(Problem(_line_for(loc, lines), format_loc(loc), msg))
    return out


def check_model(text: str, model: type[M], shown: str) -> tuple[M | None, list[Problem]]:
    """Validate YAML text against `model`, returning every problem found (YAML errors raise)."""
    data, lines = parse_yaml(text, shown)
    if not isinstance(data, dict):
        kind = type(data).__name__ if data is not None else "nothing"
        raise MockintError(f"expected a mapping of fields at the top level, found {kind}", path=shown, line=1)
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, problems(exc, model, lines)


def load_model(path: str | Path, model: type[M], *, display: str | None = None) -> M:
    """Read and validate a YAML file; raise one MockintError naming the first problem's line."""
    shown = display if display is not None else str(path)
    text = read_text(path, max_bytes=MAX_YAML_BYTES, display=shown)
    obj, found = check_model(text, model, shown)
    if obj is None:
        first = found[0]
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        raise MockintError(
            f"{first.field}: {first.message}{more}" if first.field else first.message + more, path=shown, line=first.line
        )
    return obj
