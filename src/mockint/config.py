"""Where mockint keeps its files, and where its built-in rubrics and prompts live."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "mockint"


def home() -> Path:
    """MOCKINT_HOME, or the platform's user data dir. Created with owner-only permissions."""
    explicit = os.environ.get("MOCKINT_HOME")
    if explicit:
        path = Path(explicit).expanduser()
    else:
        import platformdirs

        path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        from mockint.errors import MockintError

        raise MockintError(
            f"cannot use it as mockint's home: {exc.strerror or exc} (set MOCKINT_HOME to a folder)", path=str(path)
        ) from None
    return path


def transcripts_dir() -> Path:
    path = home() / "transcripts"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def user_rubrics_dir() -> Path:
    """User rubrics: found by id like the built-in ones, and they win on a clash."""
    path = home() / "rubrics"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def config_dir() -> Path:
    """The TOML config lives in MOCKINT_HOME when set, else the platform's user config dir."""
    if os.environ.get("MOCKINT_HOME"):
        return home()
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def _data_root(name: str) -> Path:
    """Built-in data: inside the wheel (mockint/_data/NAME) or, in a checkout, the repo's top-level NAME."""
    packaged = Path(__file__).resolve().parent / "_data" / name
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / name
    return checkout


def builtin_rubrics_dir() -> Path:
    return _data_root("rubrics")


def prompts_dir() -> Path:
    return _data_root("prompts")
