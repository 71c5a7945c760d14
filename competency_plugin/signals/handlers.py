"""Receivers of platform signals; each is a one-line call into ``competency_plugin.api``."""
from competency_plugin import api


def retire_user_data(sender, user=None, **kwargs):  # pylint: disable=unused-argument
    """When the LMS retires an account (``USER_RETIRE_LMS_CRITICAL``), erase its portfolio data; never raises."""
    api.retire_learner(getattr(user, "id", None))
