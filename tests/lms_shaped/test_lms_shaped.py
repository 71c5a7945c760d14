"""
The plugin in an LMS-shaped project (``tests.lms_shaped``): the checks of ``check_lms_shaped``
run in a subprocess with that project's settings, once against the package this suite imports
(the editable install), once in a fresh virtualenv holding the built wheel.

The subprocess uses ``tests/lms_shaped/checks.ini``: its own settings module and only the
``check_*.py`` files, without the main suite's conftest (``--confcutdir``).
"""
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

import competency_plugin
from tests.test_wheel import DISTRIBUTION, run, wheel  # noqa: F401  pylint: disable=unused-import

REPO_ROOT = Path(__file__).resolve().parents[2]
HARNESS = Path(__file__).resolve().parent
CHECKS = 16


def _checks_command(python, root):
    """The pytest command that runs the checks from ``root`` (which holds the ``tests`` package)."""
    return [
        str(python), "-m", "pytest", "-c", str(root / "tests" / "lms_shaped" / "checks.ini"), "--rootdir", str(root),
        "--confcutdir", str(root / "tests" / "lms_shaped"), "-q", "-r", "fEs",
        str(root / "tests" / "lms_shaped" / "check_lms_shaped.py"),
    ]


def _environment(expected_package, **extra):
    """This process's environment without its Django settings or virtualenv, and what the checks expect."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("DJANGO_", "PYTHON", "VIRTUAL_ENV", "PYTEST_"))}
    env.update(COMPETENCY_EXPECT_PACKAGE=str(expected_package), PYTHONDONTWRITEBYTECODE="1", **extra)
    return env


def _assert_all_passed(result):
    output = f"{result.stdout[-8000:]}\n{result.stderr[-4000:]}"
    assert result.returncode == 0, output
    summary = result.stdout.strip().splitlines()[-1]
    assert f"{CHECKS} passed" in summary and not any(word in summary for word in ("skipped", "xfail", "error")), output


def test_checks_are_counted():
    """CHECKS is the number of checks: a check that silently stops being collected fails here."""
    text = (HARNESS / "check_lms_shaped.py").read_text(encoding="utf-8")
    assert text.count("\ndef test_") == CHECKS


def test_lms_shaped_project_with_the_installed_package():
    """The checks against the package this suite imports (``pip install -e .``: the source tree)."""
    result = subprocess.run(
        _checks_command(sys.executable, REPO_ROOT), cwd=REPO_ROOT, capture_output=True, text=True, check=False,
        timeout=600, env=_environment(Path(competency_plugin.__file__).resolve().parent),
    )
    _assert_all_passed(result)


@pytest.mark.wheel
def test_lms_shaped_project_with_the_built_wheel(wheel, tmp_path):  # noqa: F811  pylint: disable=redefined-outer-name
    """The checks in a fresh virtualenv holding the wheel, run from a copy of the tests only."""
    environment = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(environment)
    python = environment / "bin" / "python"
    frozen = run([sys.executable, "-m", "pip", "freeze", "--exclude-editable", "--exclude", DISTRIBUTION]).stdout
    constraints = tmp_path / "constraints.txt"
    constraints.write_text("\n".join(line for line in frozen.splitlines() if " @ " not in line) + "\n")
    run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--disable-pip-version-check",
         "--constraint", str(constraints), str(wheel), "pytest", "pytest-django", "factory-boy"], cwd=tmp_path)

    root = tmp_path / "project"
    (root / "tests" / "attestation").mkdir(parents=True)
    # The checks' portfolios (tests.attestation) and the objects they are built from (tests.factories).
    for name in ("__init__.py", "factories.py", "attestation/__init__.py"):
        shutil.copy(REPO_ROOT / "tests" / name, root / "tests" / name)
    shutil.copytree(HARNESS, root / "tests" / "lms_shaped", ignore=shutil.ignore_patterns("__pycache__", "test_*.py"))
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    assert Path(purelib).resolve() != Path(sysconfig.get_paths()["purelib"]).resolve()
    result = subprocess.run(
        _checks_command(python, root), cwd=root, capture_output=True, text=True, check=False, timeout=600,
        env=_environment(Path(purelib) / "competency_plugin", PYTHONNOUSERSITE="1"),
    )
    _assert_all_passed(result)
