"""
Doubles of edx-platform modules, for tests that exercise ``competency_plugin.platform.compat`` as in the LMS.

edx-platform is not installed here. Each double copies the behaviour of the platform code it stands
for and names it in its docstring; ``installed`` puts a double in ``sys.modules`` under the
platform's import path, where ``compat``'s lazy imports find it.
"""
import sys
import types
from contextlib import contextmanager


@contextmanager
def installed(**modules_by_path):
    """
    Make ``modules_by_path`` (platform dotted path -> module object) importable, with empty parent packages.

    Example: ``installed(**{"common.djangoapps.student.roles": roles})``. Only these entries of
    ``sys.modules`` are set, then restored: modules imported meanwhile stay imported.
    """
    entries = {}
    for dotted, module in modules_by_path.items():
        parts = dotted.split(".")
        for end in range(1, len(parts)):
            name = ".".join(parts[:end])
            entries.setdefault(name, sys.modules.get(name) or types.ModuleType(name))
        entries[dotted] = module
    missing = object()
    saved = {name: sys.modules.get(name, missing) for name in entries}
    sys.modules.update(entries)
    try:
        yield
    finally:
        for name, module in saved.items():
            if module is missing:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
