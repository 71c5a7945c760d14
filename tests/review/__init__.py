"""Tests of the plugin's review."""
