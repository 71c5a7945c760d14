"""
The block's score: the share of its required situations the staff accepted, times its weight.

It is published through the XBlock grading API when a decision changes it
(``review_handlers``), and recomputed by the LMS's rescoring (``ScorableXBlockMixin.rescore``),
for instance after an author changed the required number of situations. The score derives from
the plugin's data: the block stores none.
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
        """Publish a learner's score through the runtime's grading API; unscored blocks publish nothing."""
        if self.has_score:
            self.runtime.publish(
                self, "grade", {"value": self.score_for(accepted), "max_value": self.weight, "user_id": user_id}
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
        """The score as it stands (computed: the block stores none)."""
        return self.calculate_score()

    def set_score(self, score):
        """Nothing to store: the score always follows the staff's decisions."""
