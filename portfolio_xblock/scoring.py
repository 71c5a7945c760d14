"""
The block's score: the share of its required situations the staff accepted, times its weight.

Two ways out, one per runtime binding (docs/decisions/0009-scores-reach-the-learner.rst):

- a reviewer's decision runs in a block bound to the reviewer: the learner's new score goes to the
  grades app through the plugin's seam (``api.publish_score``, the grades app's ``SCORE_PUBLISHED``
  sent for the learner), never through ``runtime.publish``, which scores the bound user;
- the LMS's rescoring loads the block bound to the learner and calls ``rescore``
  (``ScorableXBlockMixin``), which publishes through the runtime, for the learner it is bound to.

What the grades app recorded stands until one of them sends a new score: an author who changes
the required number of situations or the weight changes no learner's recorded score; a rescore
from the instructor dashboard (or the learner's next decision) applies the new settings.
The score derives from the plugin's data: the block stores none.
"""
from xblock.scorable import ScorableXBlockMixin, Score

from portfolio_xblock.presentation import plugin_api
from portfolio_xblock.runtime_context import block_keys, current_learner


class ScoringMixin(ScorableXBlockMixin):
    """Scoring of the Portfolio XBlock (expects the ``weight`` and ``min_evidence`` fields)."""

    @property
    def has_score(self):
        """Whether the block counts in the course grade (the author gave it a weight)."""
        return (self.weight or 0) > 0

    def max_score(self):
        """Return the points the block is worth (None when unscored)."""
        return self.weight if self.has_score else None

    def score_for(self, accepted):
        """Return a learner's points: the share of the required situations accepted, times the weight."""
        required = max(self.min_evidence, 1)
        return min(accepted, required) / required * self.weight

    def publish_grade(self, user_id, accepted):
        """
        Send the score of the learner ``user_id`` to the grades app, whoever the block is bound to
        (the reviewer, when a decision changes it); unscored blocks send nothing.
        """
        if self.has_score:
            plugin_api().publish_score(
                block=self, user_id=user_id, earned=self.score_for(accepted), possible=self.weight
            )

    # --- ScorableXBlockMixin: for the block bound to one learner, as the LMS's rescoring loads it ---

    def rescore(self, only_if_higher):
        """
        Recompute the learner's score and publish it (``only_if_higher``: unless it is lower).

        As ``ScorableXBlockMixin.rescore``, with messages of the block's own: the mixin's name the
        block by ``location``, which only the LMS's blocks have.
        """
        if not self.allows_rescore():
            raise TypeError(self.ugettext("This portfolio is not graded: it has no score to recompute."))
        if not self.has_submitted_answer():
            raise ValueError(self.ugettext("The learner has not submitted a situation here yet."))
        self._publish_grade(self.calculate_score(), only_if_higher)

    def allows_rescore(self):
        """Only a scored block can be rescored."""
        return self.has_score

    def has_submitted_answer(self):
        """Whether the learner has submitted a situation here."""
        learner = current_learner(self)
        return learner is not None and plugin_api().count_submitted(
            user_id=learner.user_id, usage_key=block_keys(self)[1]
        ) > 0

    def calculate_score(self):
        """The learner's score from the situations accepted now, under the block's current settings."""
        learner = current_learner(self)
        accepted = 0
        if learner is not None:
            accepted = plugin_api().count_accepted(user_id=learner.user_id, usage_key=block_keys(self)[1])
        return Score(raw_earned=self.score_for(accepted), raw_possible=self.weight)

    def get_score(self):
        """
        The learner's score from the plugin's data (the block stores none: ``set_score`` keeps nothing).

        The score the grades app recorded is the LMS's (its StudentModule row), not the block's.
        """
        return self.calculate_score()

    def set_score(self, score):
        """
        Keep nothing: the grades app calls this on the block it was sent, which for a decision is
        bound to the reviewer, not to the learner scored; the learner's score is the grades app's.
        """
