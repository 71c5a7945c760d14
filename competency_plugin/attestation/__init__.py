"""
Attestation: a course's policy, the learners' eligibility against it, the certificate gate and the
learner's coverage.
"""
