"""Tests of the plugin's rights."""
