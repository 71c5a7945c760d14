"""
A fresh Debian machine with only Python 3.11 (issue 12): ``make demo`` installs the demo's
requirements alone, which compile nothing; ``make test`` first installs the Debian packages the
suite needs when it runs as root, and otherwise stops at once naming the ``apt-get install`` line.

``scripts/system_packages.sh`` runs here against doubles of ``dpkg-query``, ``id`` and ``apt-get``
placed first on PATH; the real commands are never run.
"""
import gettext
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "system_packages.sh"
SUITE_PACKAGES = ["chromium", "gettext", "default-libmysqlclient-dev", "pkg-config", "build-essential"]


def pins(name):
    """{package: version} of ``requirements/<name>.txt``."""
    text = (REPO / "requirements" / f"{name}.txt").read_text(encoding="utf-8")
    return dict(re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", text, re.MULTILINE))


def test_the_demo_requirements_are_the_test_pins_without_what_compiles():
    demo, test = pins("demo"), pins("test")
    assert {name: test.get(name) for name in demo} == demo
    for needs_a_build_or_a_browser in ("mysqlclient", "playwright", "greenlet", "pytest"):
        assert needs_a_build_or_a_browser in test and needs_a_build_or_a_browser not in demo
    # polib: `make demo` recompiles a stale catalog with scripts/i18n.py compile --stale-only.
    for demo_needs in ("xblock-sdk", "xblock", "django", "openedx-django-pyfs", "djangorestframework", "polib"):
        assert demo_needs in demo


def write_command(directory, name, body):
    """Write an executable bash script ``name`` into ``directory``."""
    path = directory / name
    path.write_text("#!/bin/bash\n" + body, encoding="utf-8")
    path.chmod(0o755)


@pytest.fixture(name="system")
def _system(tmp_path):
    """Run the script on a machine of doubles: ``run(*args, uid=, missing=)`` -> (result, apt-get calls)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    apt_log = tmp_path / "apt-get.log"
    write_command(bin_dir, "dpkg-query", """
package="${@: -1}"
for missing in $FAKE_MISSING; do
    if [ "$missing" = "$package" ]; then echo "dpkg-query: no packages found matching $package" >&2; exit 1; fi
done
printf 'install ok installed'
""")
    write_command(bin_dir, "id", 'echo "$FAKE_UID"\n')
    write_command(bin_dir, "apt-get", f'echo "$*" >> {apt_log}\n')
    # A Python 3.11 with ensurepip and its headers (as pyenv's or a Docker image's).
    write_command(bin_dir, "python3.11", "exit 0\n")

    def run(*args, uid=0, missing=()):
        env = {
            "PATH": f"{bin_dir}:{os.environ['PATH']}", "FAKE_UID": str(uid), "FAKE_MISSING": " ".join(missing),
            "BOOTSTRAP_PYTHON": "python3.11",
        }
        result = subprocess.run([str(SCRIPT), *args], env=env, capture_output=True, text=True, check=False)
        calls = apt_log.read_text(encoding="utf-8").splitlines() if apt_log.exists() else []
        return result, calls

    return run


def test_nothing_missing_nothing_done(system):
    result, calls = system(uid=1000)
    assert result.returncode == 0, result.stderr
    assert calls == []


def test_as_a_user_it_stops_naming_the_apt_get_line(system):
    result, calls = system(uid=1000, missing=["pkg-config", "chromium", "redis-server"])
    assert result.returncode == 1
    assert "    apt-get install chromium pkg-config\n" in result.stderr
    assert calls == []


def test_as_root_it_updates_once_then_installs_what_is_missing(system):
    result, calls = system(uid=0, missing=["default-libmysqlclient-dev", "gettext"])
    assert result.returncode == 0, result.stderr
    assert calls == ["update -q", "install -y -q gettext default-libmysqlclient-dev"]


def test_ci_also_needs_the_database_and_broker_servers(system):
    result, calls = system("--ci", uid=0, missing=[*SUITE_PACKAGES, "mariadb-server", "redis-server"])
    assert result.returncode == 0, result.stderr
    assert calls == ["update -q", "install -y -q " + " ".join([*SUITE_PACKAGES, "mariadb-server", "redis-server"])]


def test_debian_python_without_venv_and_headers(system, tmp_path):
    """Debian's python3.11 lacks ensurepip and Python.h until python3.11-venv and python3.11-dev."""
    write_command(tmp_path / "bin", "python3.11", "exit 1\n")
    result, _calls = system(uid=1000, missing=["python3.11-venv", "python3.11-dev"])
    assert result.returncode == 1
    assert "    apt-get install python3.11-venv python3.11-dev\n" in result.stderr


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_demo_installs_the_demo_set_only_and_make_test_checks_the_system_first(tmp_path):
    def planned(target):
        result = subprocess.run(
            ["make", "--dry-run", target, f"VENV={tmp_path / 'venv'}"], cwd=REPO, capture_output=True, text=True,
            check=True,
        )
        return result.stdout.splitlines()

    demo = "\n".join(planned("demo"))
    assert "install -r requirements/demo.txt" in demo
    assert "test.txt" not in demo and "system_packages" not in demo and "apt-get" not in demo
    test = planned("test")
    first_install = next(index for index, line in enumerate(test) if "install -r requirements/test.txt" in line)
    assert any("scripts/system_packages.sh" in line for line in test[:first_install])


def test_the_committed_catalogs_need_no_msgfmt(tmp_path):
    """``make demo`` compiles the catalogs whose .mo is stale; a fresh clone's are not, so gettext is not needed."""
    mo_files = sorted((REPO / "locale").glob("*/LC_MESSAGES/*.mo"))
    before = {path: path.read_bytes() for path in mo_files}
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "i18n.py"), "compile", "--stale-only"],
        env={**os.environ, "PATH": str(tmp_path)}, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert {path: path.read_bytes() for path in mo_files} == before


def test_a_stale_catalog_compiles_without_msgfmt(tmp_path, monkeypatch):
    """A translation changed in a .po: ``compile --stale-only`` rebuilds its .mo in pure Python, and only it."""
    spec = importlib.util.spec_from_file_location("portfolio_i18n_script", REPO / "scripts" / "i18n.py")
    i18n = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(i18n)
    locale = tmp_path / "locale"
    shutil.copytree(REPO / "locale", locale)
    po = locale / "fr" / "LC_MESSAGES" / "text.po"
    po.write_text(po.read_text(encoding="utf-8").replace(
        'msgstr "Enregistrer le brouillon"', 'msgstr "Garder le brouillon"'), encoding="utf-8")
    untouched = locale / "fr" / "LC_MESSAGES" / "django.mo"
    before = untouched.read_bytes()
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert i18n.main(["compile", "--stale-only"]) == 0
    with open(po.with_suffix(".mo"), "rb") as handle:
        assert gettext.GNUTranslations(handle).gettext("Save draft") == "Garder le brouillon"
    assert untouched.read_bytes() == before
