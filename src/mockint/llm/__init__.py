"""The one place that talks to the `openai` package: client, streaming, structured output, tokens."""
