"""Tests of the plugin's platform."""
