"""
Staff review: the decisions on submitted evidence, the course-wide queue, the learner's e-mail and
the score sent to the LMS.
"""
