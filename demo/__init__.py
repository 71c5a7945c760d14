"""The xblock-sdk workbench set up for the Portfolio XBlock: ``make demo``."""
