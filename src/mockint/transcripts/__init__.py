"""Transcripts on disk: the native append-only store and importers for text, Markdown and WebVTT."""

from mockint.transcripts.loading import detect_format, load_any
from mockint.transcripts.store import TranscriptWriter, read_native, write_atomic

__all__ = ["TranscriptWriter", "detect_format", "load_any", "read_native", "write_atomic"]
