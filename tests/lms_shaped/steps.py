"""A pipeline step of the operator's own, configured before the plugin's settings run."""
from openedx_filters import PipelineStep

CALLS = []


class RecordCertificateRequest(PipelineStep):
    """Records each certificate request it sees, and lets it through unchanged."""

    def run_filter(self, user, course_key, **kwargs):  # pylint: disable=arguments-differ
        """Remember (username, course key); change nothing."""
        CALLS.append((user.username, str(course_key)))
        return {}
