"""Receivers of platform signals; each is a one-line call into ``competency_plugin.api``."""
