"""
Doubles of edx-platform modules, for tests that exercise ``competency_plugin.compat`` as in the LMS.

edx-platform is not installed here. Each double copies the behaviour of the platform code it stands
for and names it in its docstring; ``installed`` puts a double in ``sys.modules`` under the
platform's import path, where ``compat``'s lazy imports find it.
"""
import sys
import types
from contextlib import contextmanager
from unittest import mock


@contextmanager
def installed(**modules_by_path):
    """
    Make ``modules_by_path`` (platform dotted path -> module object) importable, with empty parent packages.

    Example: ``installed(**{"common.djangoapps.student.roles": roles})``.
    """
    patched = {}
    for dotted, module in modules_by_path.items():
        parts = dotted.split(".")
        for end in range(1, len(parts)):
            name = ".".join(parts[:end])
            patched.setdefault(name, sys.modules.get(name) or types.ModuleType(name))
        patched[dotted] = module
    with mock.patch.dict(sys.modules, patched):
        yield
