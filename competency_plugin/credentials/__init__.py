"""Verifiable credentials: Open Badges 3.0 credentials of course attestations, signed, revocable, verifiable."""
