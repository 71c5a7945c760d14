"""
The platform room: what the subdomains stand on (Open edX adapters, storage, settings, file types,
text checks, busy-database errors, after-commit jobs).
"""
