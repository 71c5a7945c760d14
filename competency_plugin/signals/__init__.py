"""Signals the plugin sends and the receivers it connects."""
