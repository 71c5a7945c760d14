"""Learners' data rights: the export of a learner's portfolio and the erasure of a retired account."""
