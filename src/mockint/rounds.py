"""Built-in round specs, loops and tracks from prompts/, validated with file:line errors."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from mockint import config
from mockint.domain.round import LoopSpec, RoundSpec, TrackSpec
from mockint.errors import MockintError
from mockint.yamlmodels import load_model


class TrackFile(BaseModel):
    """prompts/tracks.yaml: the job families and their default rounds."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    tracks: list[TrackSpec] = Field(min_length=1)


def _path(kind: str, ident: str) -> Path:
    path = config.prompts_dir() / kind / f"{ident}.yaml"
    if not path.is_file():
        known = sorted(p.stem for p in (config.prompts_dir() / kind).glob("*.yaml"))
        raise MockintError(f"unknown {kind[:-1]} {ident!r} (known: {', '.join(known) or 'none'})")
    return path


@cache
def load_round(round_id: str) -> RoundSpec:
    path = _path("rounds", round_id)
    spec = load_model(path, RoundSpec)
    if spec.id != round_id:
        raise MockintError(f"id: {spec.id!r} does not match the file name", path=str(path))
    return spec


@cache
def load_loop(loop_id: str) -> LoopSpec:
    return load_model(_path("loops", loop_id), LoopSpec)


@cache
def load_tracks() -> dict[str, TrackSpec]:
    tracks = load_model(config.prompts_dir() / "tracks.yaml", TrackFile).tracks
    return {t.id: t for t in tracks}


def round_ids() -> list[str]:
    return sorted(p.stem for p in (config.prompts_dir() / "rounds").glob("*.yaml"))


def loop_ids() -> list[str]:
    return sorted(p.stem for p in (config.prompts_dir() / "loops").glob("*.yaml"))
