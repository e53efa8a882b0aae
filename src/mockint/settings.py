"""Effective settings: built-in defaults < the TOML config file < environment variables.

Each value remembers where it came from, so `mockint config` can say why it is what it is. The API
key is read only from the environment (OPENAI_API_KEY, or the variable named by `api_key_env`) and
is never written anywhere; `redacted()` is the only way it is shown.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mockint import config
from mockint.errors import MockintError

DEFAULT_MODEL = "gpt-4o-mini"
CONFIG_NAME = "config.toml"

# USD per million tokens; used for cost in grades when the model is known. Extend in [prices."model"].
DEFAULT_PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1": (2.00, 8.00),
}


class Backend(StrEnum):
    """Who interviews: the scripted interviewer, or a model behind an OpenAI-compatible endpoint."""

    OFFLINE = "offline"
    OPENAI = "openai"


class GraderKind(StrEnum):
    """Who grades: the offline grader, or the model."""

    OFFLINE = "offline"
    LLM = "llm"


class Mode(StrEnum):
    """Realistic gives no feedback until the grade; coach adds notes as the round goes."""

    REALISTIC = "realistic"
    COACH = "coach"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LLMSection(_Section):
    base_url: str | None = None
    api_key_env: str | None = Field(default=None, description="Name of the env var that holds the key.")
    timeout: float | None = Field(default=None, gt=0, le=3600)
    max_retries: int | None = Field(default=None, ge=0, le=10)


class InterviewerSection(_Section):
    model: str | None = None
    temperature: float | None = Field(default=None, ge=0, le=2)
    context_tokens: int | None = Field(default=None, ge=1000, le=2_000_000)
    max_reply_tokens: int | None = Field(default=None, ge=50, le=8000)


class GraderSection(_Section):
    model: str | None = None
    validation_retries: int | None = Field(default=None, ge=0, le=5)
    context_tokens: int | None = Field(default=None, ge=1000, le=2_000_000)


class AppSection(_Section):
    self_assessment_first: bool | None = Field(
        default=None, description="After a round, score it yourself before the grader's grade is shown."
    )


class Price(_Section):
    input_per_mtok: float = Field(ge=0)
    output_per_mtok: float = Field(ge=0)


class ConfigFile(_Section):
    backend: str | None = Field(default=None, pattern="^(offline|openai)$")
    llm: LLMSection = Field(default_factory=LLMSection)
    interviewer: InterviewerSection = Field(default_factory=InterviewerSection)
    grader: GraderSection = Field(default_factory=GraderSection)
    app: AppSection = Field(default_factory=AppSection)
    prices: dict[str, Price] = Field(default_factory=dict)


@dataclass(frozen=True)
class Settings:
    """What mockint will use, and `sources[name]` says where each value came from. Frozen: a front end loads it
    once and passes it down; a different backend for one round is `with_backend`, never a mutation."""

    backend: Backend = Backend.OFFLINE
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    interviewer_model: str = DEFAULT_MODEL
    grader_model: str = DEFAULT_MODEL
    timeout: float = 60.0
    max_retries: int = 2
    temperature: float = 0.7
    context_tokens: int = 16000
    max_reply_tokens: int = 600
    validation_retries: int = 2
    grader_context_tokens: int = 128_000  # what one grading request may use: the server's context per request
    self_assessment_first: bool = False  # the app asks for your own scores before it shows the grader's
    prices: dict[str, tuple[float, float]] = field(default_factory=lambda: dict(DEFAULT_PRICES))
    config_path: Path | None = None
    sources: dict[str, str] = field(default_factory=dict)

    def redacted(self) -> str:
        return "set (hidden)" if self.api_key else "not set"

    def price(self, model: str) -> tuple[float, float] | None:
        return self.prices.get(model)

    @property
    def llm_enabled(self) -> bool:
        """The model is the default interviewer and grader."""
        return self.backend == Backend.OPENAI

    @property
    def endpoint_configured(self) -> bool:
        """A model endpoint can be called: a key or a base URL is set. The one place this is decided."""
        return bool(self.api_key or self.base_url)

    def with_backend(self, backend: Backend | str) -> Settings:
        return replace(self, backend=Backend(backend))

    def rows(self) -> list[tuple[str, str, str]]:
        """(name, shown value, source) for `mockint config`."""
        shown: list[tuple[str, Any]] = [
            ("backend", self.backend),
            ("base_url", self.base_url or "(OpenAI default)"),
            ("api_key", self.redacted()),
            ("interviewer.model", self.interviewer_model),
            ("grader.model", self.grader_model),
            ("llm.timeout", f"{self.timeout:g} s"),
            ("llm.max_retries", self.max_retries),
            ("interviewer.temperature", self.temperature),
            ("interviewer.context_tokens", self.context_tokens),
            ("interviewer.max_reply_tokens", self.max_reply_tokens),
            ("grader.validation_retries", self.validation_retries),
            ("grader.context_tokens", self.grader_context_tokens),
            ("app.self_assessment_first", str(self.self_assessment_first).lower()),
        ]
        return [(name, str(value), self.sources.get(name, "default")) for name, value in shown]


def config_path() -> Path:
    return config.config_dir() / CONFIG_NAME


def read_config_file(path: Path) -> ConfigFile:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return ConfigFile()
    except OSError as exc:
        raise MockintError(f"cannot read: {exc.strerror or exc}", path=str(path)) from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise MockintError("not UTF-8 text", path=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        line = None
        if "(at line " in message:
            line = int(message.rsplit("(at line ", 1)[1].split(",", 1)[0])
            message = message.split(" (at line ", 1)[0]
        raise MockintError(f"invalid TOML: {message}", path=str(path), line=line) from None
    try:
        return ConfigFile.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in err["loc"])
        msg = "unknown setting" if err["type"] == "extra_forbidden" else err["msg"].lower()
        raise MockintError(f"{where}: {msg}", path=str(path)) from None


def load(env: dict[str, str] | None = None, path: Path | None = None) -> Settings:
    """Resolve settings from defaults, the config file and the environment (in that order of strength)."""
    env = dict(os.environ) if env is None else env
    path = path or config_path()
    file = read_config_file(path)
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    prices = dict(DEFAULT_PRICES)
    where = f"config file {path}"

    def take(name: str, value: Any, attr: str, source: str) -> None:
        if value is not None:
            values[attr] = value
            sources[name] = source

    take("base_url", file.llm.base_url, "base_url", where)
    take("llm.timeout", file.llm.timeout, "timeout", where)
    take("llm.max_retries", file.llm.max_retries, "max_retries", where)
    take("interviewer.model", file.interviewer.model, "interviewer_model", where)
    take("interviewer.temperature", file.interviewer.temperature, "temperature", where)
    take("interviewer.context_tokens", file.interviewer.context_tokens, "context_tokens", where)
    take("interviewer.max_reply_tokens", file.interviewer.max_reply_tokens, "max_reply_tokens", where)
    take("grader.model", file.grader.model, "grader_model", where)
    take("grader.validation_retries", file.grader.validation_retries, "validation_retries", where)
    take("grader.context_tokens", file.grader.context_tokens, "grader_context_tokens", where)
    take("app.self_assessment_first", file.app.self_assessment_first, "self_assessment_first", where)
    for model, price in file.prices.items():
        prices[model] = (price.input_per_mtok, price.output_per_mtok)

    key_var = file.llm.api_key_env or "OPENAI_API_KEY"
    take("api_key", env.get(key_var) or None, "api_key", f"env {key_var}")
    take("base_url", env.get("OPENAI_BASE_URL") or None, "base_url", "env OPENAI_BASE_URL")
    env_model = env.get("MOCKINT_MODEL") or None
    take("interviewer.model", env_model, "interviewer_model", "env MOCKINT_MODEL")
    take("grader.model", env_model, "grader_model", "env MOCKINT_MODEL")

    backend_env = (env.get("MOCKINT_BACKEND") or "").strip().lower()
    if backend_env:
        if backend_env not in ("offline", "openai"):
            raise MockintError(f"MOCKINT_BACKEND must be 'offline' or 'openai', not {backend_env!r}")
        take("backend", Backend(backend_env), "backend", "env MOCKINT_BACKEND")
    elif file.backend:
        take("backend", Backend(file.backend), "backend", where)
    elif values.get("api_key") or values.get("base_url"):
        take("backend", Backend.OPENAI, "backend", "a key or base URL is set")
    return Settings(**values, prices=prices, config_path=path, sources=sources)


_cached: tuple[tuple[Any, ...], Settings] | None = None


def _fingerprint() -> tuple[Any, ...]:
    """What the settings are made of: the environment (a config file may name any variable for the key) and the
    config file's identity (size and modification time)."""
    path = config_path()
    try:
        stat = path.stat()
        where: tuple[Any, ...] = (str(path), stat.st_size, stat.st_mtime_ns)
    except OSError:
        where = (str(path), None, None)
    return (tuple(sorted(os.environ.items())), *where)


def current() -> Settings:
    """The process's settings, loaded once. Front ends call this once and pass the result down; it loads again only
    if the environment or the config file changed (tests change them between cases in one process)."""
    global _cached
    key = _fingerprint()
    if _cached is None or _cached[0] != key:
        _cached = (key, load())
    return _cached[1]
