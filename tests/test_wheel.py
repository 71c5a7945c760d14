"""
The distribution as operators get it: the wheel is built from a copy of the source tree, then
installed into a fresh virtualenv where the plugin is loaded through edx-django-utils exactly as
the LMS loads it, migrated, and the block rendered in the xblock-sdk workbench.

The virtualenv gets the wheel plus the versions of this test environment (``pip freeze`` used
as constraints, so pip's cache serves them), never the source tree: the check runs from a
temporary directory and asserts that the packages come from the new virtualenv.
"""
import os
import shutil
import stat
import subprocess
import sys
import textwrap
import venv
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.wheel

REPO_ROOT = Path(__file__).resolve().parent.parent
DISTRIBUTION = "openedx-competency-portfolio"
NOT_SOURCES = (
    ".git", ".venv", "venv", ".tox", "var", "build", "dist", "*.egg-info", "__pycache__", "*.pyc",
    "tests", "node_modules", "bench-results", "htmlcov", ".coverage",
)

SETTINGS = """
    \"\"\"Settings of the installed-wheel check: the workbench, the plugin loaded as the LMS loads it.\"\"\"
    from pathlib import Path

    from edx_django_utils.plugins import add_plugins, get_plugin_apps
    from workbench.settings import *  # noqa: F401,F403
    from workbench.settings import INSTALLED_APPS

    HERE = Path(__file__).resolve().parent
    INSTALLED_APPS = list(INSTALLED_APPS) + ["rest_framework"] + get_plugin_apps("lms.djangoapp")
    add_plugins(__name__, "lms.djangoapp", "common")
    add_plugins(__name__, "lms.djangoapp", "production")
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(HERE / "wheel.db")}}
    LOGGING = {"version": 1, "disable_existing_loggers": False}
    MEDIA_ROOT = str(HERE / "media")
    ROOT_URLCONF = "wheel_urls"
    LANGUAGES = [("fr", "Français"), ("en", "English"), ("ar", "العربية")]
"""

URLS = """
    \"\"\"The workbench's URLs and the plugins' URLs, as the LMS mounts them.\"\"\"
    from edx_django_utils.plugins import get_plugin_url_patterns
    from workbench.urls import urlpatterns

    urlpatterns = list(urlpatterns) + get_plugin_url_patterns("lms.djangoapp")
"""

CHECK = """
    \"\"\"Run by the fresh virtualenv's python: every assertion is about the installed wheel.\"\"\"
    import gettext
    import importlib.metadata
    import sysconfig
    from pathlib import Path

    import django

    django.setup()

    from django.apps import apps
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import translation

    import competency_plugin
    import portfolio_xblock

    site_packages = Path(sysconfig.get_paths()["purelib"]).resolve()
    for package in (portfolio_xblock, competency_plugin):
        assert Path(package.__file__).resolve().is_relative_to(site_packages), package.__file__

    def entry_point(group, name):
        found = [ep for ep in importlib.metadata.entry_points(group=group) if ep.name == name]
        assert len(found) == 1, (group, name, found)
        return found[0]

    block_class = entry_point("xblock.v1", "portfolio").load()
    assert block_class.__module__ == "portfolio_xblock.block", block_class
    for group in ("lms.djangoapp", "cms.djangoapp"):
        assert entry_point(group, "competency_plugin").load().name == "competency_plugin"
    assert apps.is_installed("competency_plugin"), settings.INSTALLED_APPS
    assert settings.COMPETENCY_PORTFOLIO, "the plugin's settings modules were not applied"

    call_command("migrate", run_syncdb=True, verbosity=0)
    applied = {name for app, name in MigrationRecorder(connection).applied_migrations() if app == "competency_plugin"}
    assert "0001_initial" in applied, applied

    translations = Path(portfolio_xblock.__file__).parent / "translations"
    block_catalog = gettext.translation("text", localedir=translations, languages=["fr"])
    assert len(block_catalog._catalog) > 1, "the block's French catalog (text.mo) is empty"
    arabic = gettext.translation("text", localedir=translations, languages=["ar"])
    singular, plural = "You can attach at most {count} file.", "You can attach at most {count} files."
    assert arabic.ngettext(singular, plural, 0) != arabic.ngettext(singular, plural, 3), "the Arabic plurals are lost"
    verbose_name = apps.get_app_config("competency_plugin").verbose_name
    with translation.override("en"):
        english = str(verbose_name)
    with translation.override("fr"):
        french = str(verbose_name)
    assert english != french, "the plugin's French catalog (django.mo) is not found by Django"

    scenarios = block_class.workbench_scenarios()
    assert scenarios and all(xml.strip().startswith("<") for _title, xml in scenarios), scenarios

    script = (Path(portfolio_xblock.__file__).parent / "static" / "js" / "portfolio.js").read_text(encoding="utf-8")
    script_line = next(line for line in script.splitlines() if line.strip())

    setup_test_environment()
    client = Client()
    index = client.get("/")
    assert index.status_code == 200, index.status_code
    assert "/scenario/portfolio.0/" in index.content.decode(), "the portfolio scenarios are not listed"
    for number in range(len(scenarios)):
        page = client.get(f"/scenario/portfolio.{number}/", {"student": "learner1"}, HTTP_ACCEPT_LANGUAGE="fr")
        body = page.content.decode()
        assert page.status_code == 200, body[-3000:]
        assert "data-block-type='portfolio'" in body or 'data-block-type="portfolio"' in body, "no portfolio block"
        assert script_line in body, "the block's JavaScript (static/js/portfolio.js) is not on the page"
    print("installed wheel: OK")
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """Build the sdist, then the wheel from it (``python -m build``), from a copy of the source tree."""
    work = tmp_path_factory.mktemp("wheel-build")
    source = work / "src"
    shutil.copytree(REPO_ROOT, source, symlinks=True, ignore=shutil.ignore_patterns(*NOT_SOURCES))
    run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(work / "dist"), str(source)], cwd=work)
    wheels = list((work / "dist").glob("*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def run(command, **kwargs):
    """Run a command; on failure, fail the test with its output."""
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=600, **kwargs)
    assert result.returncode == 0, f"{' '.join(map(str, command))}\n{result.stdout[-5000:]}\n{result.stderr[-5000:]}"
    return result


def expected_package_files():
    """Map the files the wheel must hold to their source, following the packages' symbolic links."""
    expected = {}
    for path in sorted((REPO_ROOT / "static").rglob("*")):
        if path.is_file():
            expected[f"portfolio_xblock/static/{path.relative_to(REPO_ROOT / 'static').as_posix()}"] = path
    for folder, pattern in (("templates", "*.html"), ("scenarios", "*.xml")):
        for path in sorted((REPO_ROOT / "portfolio_xblock" / folder).glob(pattern)):
            expected[f"portfolio_xblock/{folder}/{path.name}"] = path
    targets = {"text": "portfolio_xblock/translations", "django": "competency_plugin/locale"}
    for catalog in sorted((REPO_ROOT / "locale").glob("*/LC_MESSAGES/*.po")):
        relative = catalog.relative_to(REPO_ROOT / "locale").as_posix()
        target = targets.get(catalog.stem, "competency_plugin/locale")
        expected[f"{target}/{relative}"] = catalog
        expected[f"{target}/{relative[:-3]}.mo"] = catalog.with_suffix(".mo")
    for path in sorted((REPO_ROOT / "competency_plugin" / "migrations").glob("0*.py")):
        expected[f"competency_plugin/migrations/{path.name}"] = path
    # 1EdTech's CASE 1.1 CFPackage schema, which the CASE provider's packages are checked against.
    schemas = REPO_ROOT / "competency_plugin" / "frameworks" / "formats" / "case" / "schemas"
    for path in sorted(schemas.iterdir()):
        expected[f"competency_plugin/frameworks/formats/case/schemas/{path.name}"] = path
    # The JSON-LD contexts credentials are signed and verified with (never fetched).
    for path in sorted((REPO_ROOT / "competency_plugin" / "credentials" / "contexts").iterdir()):
        expected[f"competency_plugin/credentials/contexts/{path.name}"] = path
    return expected


def test_wheel_holds_real_files(wheel):
    """Assets, templates, scenarios, catalogs (compiled) and migrations are regular files in the wheel."""
    expected = expected_package_files()
    assert "portfolio_xblock/static/js/portfolio.js" in expected
    assert "portfolio_xblock/static/css/portfolio.css" in expected
    assert "portfolio_xblock/translations/fr/LC_MESSAGES/text.mo" in expected
    assert "competency_plugin/locale/fr/LC_MESSAGES/django.mo" in expected
    assert "portfolio_xblock/translations/ar/LC_MESSAGES/text.mo" in expected
    assert "competency_plugin/locale/ar/LC_MESSAGES/django.mo" in expected
    assert "competency_plugin/credentials/contexts/credentials-v2.jsonld" in expected
    with zipfile.ZipFile(wheel) as archive:
        entries = {info.filename: info for info in archive.infolist()}
        missing = sorted(name for name in expected if name not in entries)
        assert not missing, f"missing from the wheel (for .mo files: make compile_translations): {missing}"
        links = sorted(name for name, info in entries.items() if stat.S_ISLNK(info.external_attr >> 16))
        assert not links, f"symbolic links in the wheel: {links}"
        for name in ("portfolio_xblock/static/js/portfolio.js", "portfolio_xblock/translations/fr/LC_MESSAGES/text.mo"):
            assert archive.read(name) == expected[name].read_bytes(), name
        metadata = next(name for name in entries if name.endswith(".dist-info/entry_points.txt"))
        entry_points = archive.read(metadata).decode()
    for line in ("portfolio = portfolio_xblock.block:PortfolioXBlock",
                 "competency_plugin = competency_plugin.apps:CompetencyPluginConfig"):
        assert line in entry_points, entry_points
    assert not any(name.startswith(("tests/", "demo/")) for name in entries)


def test_installed_wheel_loads_plugin_and_renders_block(wheel, tmp_path):
    """In a fresh virtualenv: plugin apps, settings, migrations, entry points, catalogs, workbench pages."""
    environment = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(environment)
    python = environment / "bin" / "python"
    frozen = run([sys.executable, "-m", "pip", "freeze", "--exclude-editable", "--exclude", DISTRIBUTION]).stdout
    constraints = tmp_path / "constraints.txt"
    constraints.write_text("\n".join(line for line in frozen.splitlines() if " @ " not in line) + "\n")
    run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--disable-pip-version-check",
         "--constraint", str(constraints), str(wheel), "xblock-sdk", "XBlock[django]"], cwd=tmp_path)

    check = tmp_path / "check"
    check.mkdir()
    for name, text in (("wheel_settings.py", SETTINGS), ("wheel_urls.py", URLS), ("check_wheel.py", CHECK)):
        (check / name).write_text(textwrap.dedent(text).lstrip())
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTHON", "DJANGO_", "VIRTUAL_ENV"))}
    env.update(DJANGO_SETTINGS_MODULE="wheel_settings", PYTHONNOUSERSITE="1", PYTHONDONTWRITEBYTECODE="1")
    result = run([str(python), "check_wheel.py"], cwd=check, env=env)
    assert "installed wheel: OK" in result.stdout
