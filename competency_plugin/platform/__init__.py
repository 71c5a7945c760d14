"""Business logic of the plugin; reached by other packages only through ``competency_plugin.api``."""
