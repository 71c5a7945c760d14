"""Helpers of the peer feedback tests: learners who submitted situations in one block, and their feedback."""
from competency_plugin import api
from tests import factories
from tests.review.support import COURSE, make_framework, submitted, usage_key

__all__ = ["COURSE", "BLOCK", "SETTINGS", "make_framework", "submitted", "learners_with_situations", "answer"]

BLOCK = usage_key()
SETTINGS = api.PeerSettings(enabled=True, peers=2, anonymous=True)


def learners_with_situations(framework, count, *, prefix="peer"):
    """Create ``count`` learners, each with one submitted situation in BLOCK; return [(user, evidence)]."""
    made = []
    for number in range(count):
        user = factories.UserFactory(username=f"{prefix}-{number}")
        made.append((user, submitted(user, framework, title=f"Situation {prefix}-{number}")))
    return made


def answer(reader, reading, *, settings=SETTINGS, verdict="convincing", comment="Belle analyse.", question=""):
    """Answer a reading with one verdict per claimed competence; return the ``PeerFeedbackData``."""
    return api.give_feedback(
        reader_id=reader.id, reading_uuid=reading.uuid, usage_key=BLOCK, settings=settings,
        verdicts=[{"competence": claim["competence"], "verdict": verdict, "comment": "Oui."}
                  for claim in reading.content["claims"]],
        comment=comment, question=question,
    )
