"""The Textual app. Nothing here is imported by `mockint --help`: `launch` imports the app lazily."""
