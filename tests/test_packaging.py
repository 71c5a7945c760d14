"""
What pip installs from the wheel on each Python the bundle supports (3.11: Open edX Sumac to
Ulmo; 3.12: master/Verawood), read from the built wheel's metadata, then resolved by pip itself.

Facts these tests rest on, read from the releases' METADATA (November 2026): XBlock 6.0 and 6.1
declare no Requires-Python (their classifiers name Python 3.12 only, but pip installs them on
3.11); XBlock 6.2 requires Python >= 3.12 and ships the ``web_fragments`` package itself instead
of depending on the ``web-fragments`` distribution. A Python 3.12 install that also got
``web-fragments`` would have two distributions writing the same files, and uninstalling either
would break the other.
"""
import json
import os
import shutil
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from tests.test_wheel import REPO_ROOT, run, wheel  # noqa: F401  pylint: disable=unused-import

pytestmark = pytest.mark.wheel

PYTHONS = ("3.11", "3.12")


def environment(python):
    """The marker environment of a Linux CPython ``python`` ("3.12"), as pip evaluates it there."""
    return {"python_version": python, "python_full_version": f"{python}.0", "implementation_name": "cpython",
            "platform_python_implementation": "CPython", "sys_platform": "linux", "os_name": "posix",
            "extra": ""}


def wheel_requirements(path):
    """The ``Requires-Dist`` of a wheel's METADATA, parsed."""
    with zipfile.ZipFile(path) as archive:
        name = next(entry for entry in archive.namelist() if entry.endswith(".dist-info/METADATA"))
        metadata = Parser().parsestr(archive.read(name).decode("utf-8"))
    return [Requirement(line) for line in metadata.get_all("Requires-Dist") or []]


def applying(requirements, python, name):
    """The requirements on ``name`` whose marker holds on ``python``."""
    return [req for req in requirements if canonicalize_name(req.name) == canonicalize_name(name)
            and (req.marker is None or req.marker.evaluate(environment(python)))]


def test_the_wheel_keeps_the_markers_of_base_in(wheel):  # pylint: disable=redefined-outer-name
    """setup.py reads requirements/base.in into install_requires: every line, marker included."""
    declared = []
    for line in (REPO_ROOT / "requirements" / "base.in").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            declared.append(str(Requirement(line)))
    required = [str(req) for req in wheel_requirements(wheel) if "extra ==" not in str(req.marker)]
    assert sorted(required) == sorted(declared)


@pytest.mark.parametrize(
    "python, offered, refused, needs_web_fragments",
    [
        ("3.11", ["5.0.0", "5.3.0", "6.0.0", "6.1.0"], ["4.1.0", "6.2.0", "7.0.0"], True),
        ("3.12", ["5.0.0", "5.3.0", "6.1.0", "6.2.0", "6.9"], ["4.1.0", "7.0.0"], False),
    ],
)
def test_each_python_gets_its_xblock_and_one_web_fragments(
    wheel, python, offered, refused, needs_web_fragments  # pylint: disable=redefined-outer-name
):
    requirements = wheel_requirements(wheel)
    (xblock,) = applying(requirements, python, "XBlock")  # exactly one XBlock requirement per Python
    assert [version for version in offered if not xblock.specifier.contains(version)] == []
    assert [version for version in refused if xblock.specifier.contains(version)] == []
    assert bool(applying(requirements, python, "web-fragments")) is needs_web_fragments


def interpreter(python):
    """A real ``python`` ("3.12") interpreter: this one, $PYTHON312, pythonX.Y on PATH, or pyenv's; else None."""
    if f"{sys.version_info.major}.{sys.version_info.minor}" == python:
        return sys.executable
    found = os.environ.get(f"PYTHON{python.replace('.', '')}") or shutil.which(f"python{python}")
    if found and "/shims/" not in found:  # pyenv's shims answer only for the versions pyenv enabled
        return found
    if shutil.which("pyenv"):
        versions = subprocess.run(["pyenv", "versions", "--bare"], capture_output=True, text=True, check=False)
        for version in sorted(versions.stdout.split(), reverse=True):
            candidate = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions" / version / "bin"
            if version.startswith(f"{python}.") and (candidate / f"python{python}").exists():
                return str(candidate / f"python{python}")
    return None


def owns_web_fragments(name, version, tmp_path):
    """Whether the wheel of ``name`` ``version`` (from the index) holds the ``web_fragments`` package."""
    if canonicalize_name(name) == "web-fragments":
        return True
    folder = tmp_path / f"{name}-{version}"
    run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
         "--python-version", "3.12", "--dest", str(folder), f"{name}=={version}"])
    (archive,) = folder.glob("*.whl")
    with zipfile.ZipFile(archive) as opened:
        return "web_fragments/__init__.py" in opened.namelist()


@pytest.mark.network
@pytest.mark.parametrize("python", PYTHONS)
def test_pip_resolves_the_wheel_with_one_owner_of_web_fragments(
    wheel, python, tmp_path  # pylint: disable=redefined-outer-name
):
    """
    ``pip install --dry-run`` of the wheel alone, as on a fresh LMS image, by the real interpreter
    (pip evaluates markers with the interpreter it runs on, whatever ``--python-version`` says).
    """
    executable = interpreter(python)
    if executable is None:
        pytest.skip(f"no Python {python} interpreter (set PYTHON{python.replace('.', '')} or install it)")
    report = tmp_path / "report.json"
    run([executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet",
         "--disable-pip-version-check", "--report", str(report), str(wheel)], cwd=tmp_path)
    resolved = json.loads(report.read_text(encoding="utf-8"))
    assert resolved["environment"]["python_version"] == python
    installed = {canonicalize_name(item["metadata"]["name"]): item["metadata"]["version"]
                 for item in resolved["install"]}
    assert "openedx-competency-portfolio" in installed
    xblock = Version(installed["xblock"])
    assert xblock < Version("6.2") if python == "3.11" else xblock >= Version("6.2"), installed["xblock"]
    owners = [name for name in ("xblock", "web-fragments")
              if name in installed and owns_web_fragments(name, installed[name], tmp_path)]
    assert len(owners) == 1, f"web_fragments provided by {owners}: {installed}"
