"""The xblock-sdk workbench set up for the Portfolio XBlock: ``make demo``."""
from demo.celery import app as celery_app

__all__ = ["celery_app"]
