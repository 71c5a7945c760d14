"""
Scores of the Portfolio XBlock's learners, sent to the LMS's grades app.

A reviewer's decision changes a learner's score while the block is bound to the reviewer: the
score goes through ``compat.publish_score`` with the learner as user, never through the runtime's
publish service, which would score the reviewer. See docs/decisions/0009-scores-reach-the-learner.rst.
"""
import logging

from django.contrib.auth import get_user_model

from competency_plugin.platform import compat

log = logging.getLogger(__name__)


def publish_score(*, block, user_id, earned, possible, only_if_higher=False):
    """
    Send the score ``earned`` out of ``possible`` of the learner ``user_id`` in ``block`` to the grades app.

    Returns whether it was sent: a learner whose account no longer exists (retired, deleted) has
    no grade to receive, which is logged, not raised (the decision that changed it stands).
    """
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        log.warning("No user %s to receive a score in %s", user_id, block.scope_ids.usage_id)
        return False
    compat.publish_score(block, user, earned, possible, only_if_higher=only_if_higher)
    return True
