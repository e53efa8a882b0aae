"""Rendering transcripts, grades and history for people: plain text, Markdown, tables."""
