"""Tests of the plugin's interfaces."""
