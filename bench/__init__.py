"""The benchmark of the Portfolio XBlock and the competency plugin (``python -m bench``; see README.md)."""
