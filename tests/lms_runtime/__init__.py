"""
An LMS-faithful runtime for the Portfolio XBlock's tests: the platform's behaviours that decide
who is scored, who may write and what reaches a handler, copied from openedx-platform.

- ``runtime.LmsRuntime``: a real ``xblock.runtime.Runtime`` bound to ONE user, with the LMS's user
  service (``edx-platform.*`` attributes), the block's own translations, and the LMS's publish
  service (a grade event scores the bound user only); masquerade ("View as specific learner") and
  Studio's preview; handler requests checked against the LMS's upload cap (413) before the block.
- ``grades``: the grades app's receiver of ``SCORE_PUBLISHED``, writing StudentModule rows.
- ``models.StudentModule``: the rows the grades app writes (a test-only Django app).
- ``instructor_task``: the instructor dashboard's rescore walk over a block's StudentModule rows.

Each piece cites the platform file and function it copies. The workbench remains the demo.
"""
