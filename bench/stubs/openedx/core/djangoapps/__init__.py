"""Part of the benchmark's stand-in for edx-platform (only what ORA2 imports)."""
