"""Command implementations behind cli.py, one module per command, imported only when used."""
