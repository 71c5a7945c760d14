"""Competency plugin: evidence, competence frameworks, reviews and attestation eligibility for Open edX."""

__version__ = "0.1.0"
