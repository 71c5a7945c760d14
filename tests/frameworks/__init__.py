"""Tests of the plugin's frameworks."""
