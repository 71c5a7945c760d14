"""
Learners' evidence: items, attachments, claimed competences, submitted versions, and the checks of
what learners send.
"""
