"""The Portfolio XBlock: learners record evidence of their professional situations inside the course."""
