"""Tests of the competency plugin: its API, models, file checks and plugin loading."""
