"""The plugin is loaded the way the LMS and Studio load it: entry points and ``edx_django_utils.plugins``."""
import sys
import types
from importlib import import_module
from importlib.metadata import entry_points

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import get_resolver, reverse
from edx_django_utils.plugins import add_plugins, get_plugin_apps, get_plugin_url_patterns
from edx_django_utils.plugins.constants import PluginSettings, PluginURLs

from competency_plugin.apps import CompetencyPluginConfig
from competency_plugin.platform.conf import DEFAULTS, get_setting

PROJECTS = ("lms.djangoapp", "cms.djangoapp")
APP_PATH = "competency_plugin.apps.CompetencyPluginConfig"


SETTINGS_MODULE = "fake_lms_settings"


@pytest.fixture(name="settings_module")
def fixture_settings_module():
    """A throw-away settings module, as the LMS's ``lms.envs.production`` would be."""
    module = types.ModuleType(SETTINGS_MODULE)
    sys.modules[SETTINGS_MODULE] = module
    yield module
    del sys.modules[SETTINGS_MODULE]


@pytest.mark.parametrize("project", PROJECTS)
def test_entry_points_declare_the_app(project):
    (entry_point,) = [point for point in entry_points(group=project) if point.name == "competency_plugin"]
    assert entry_point.load() is CompetencyPluginConfig


def test_entry_point_declares_the_xblock():
    (entry_point,) = [point for point in entry_points(group="xblock.v1") if point.name == "portfolio"]
    assert entry_point.load().__name__ == "PortfolioXBlock"
    assert entry_point.value == "portfolio_xblock.block:PortfolioXBlock"


@pytest.mark.parametrize("project", PROJECTS)
def test_get_plugin_apps_finds_the_app(project):
    assert APP_PATH in get_plugin_apps(project)


def test_the_app_is_installed_through_the_plugin_mechanism():
    assert APP_PATH in settings.INSTALLED_APPS
    assert isinstance(apps.get_app_config("competency_plugin"), CompetencyPluginConfig)


@pytest.mark.parametrize("project", PROJECTS)
@pytest.mark.parametrize("settings_type", ["common", "production", "test"])
def test_every_declared_settings_module_exists(project, settings_type):
    config = CompetencyPluginConfig.plugin_app[PluginSettings.CONFIG][project][settings_type]
    module = import_module(f"competency_plugin.{config[PluginSettings.RELATIVE_PATH]}")
    assert callable(module.plugin_settings)


def test_test_settings_have_every_default():
    assert settings.COMPETENCY_PORTFOLIO == DEFAULTS


@pytest.mark.parametrize("settings_type", ["common", "test", "production"])
def test_plugin_settings_fill_in_defaults_and_keep_the_operators_values(settings_module, settings_type):
    settings_module.COMPETENCY_PORTFOLIO = {"MAX_FILE_SIZE": 1234, "STORAGE": "s3"}
    add_plugins(SETTINGS_MODULE, "lms.djangoapp", settings_type)
    assert settings_module.COMPETENCY_PORTFOLIO == {**DEFAULTS, "MAX_FILE_SIZE": 1234, "STORAGE": "s3"}


def test_plugin_settings_without_operator_values(settings_module):
    add_plugins(SETTINGS_MODULE, "cms.djangoapp", "common")
    assert settings_module.COMPETENCY_PORTFOLIO == DEFAULTS
    assert settings_module.COMPETENCY_PORTFOLIO is not DEFAULTS  # the defaults are never shared, then mutated


def test_production_settings_read_env_tokens(settings_module):
    settings_module.COMPETENCY_PORTFOLIO = {"STORAGE": "s3", "MAX_FILE_SIZE": 1}
    settings_module.ENV_TOKENS = {"COMPETENCY_PORTFOLIO": {"MAX_FILE_SIZE": 2048, "ALLOWED_FILE_KINDS": ["pdf"]}}
    add_plugins(SETTINGS_MODULE, "lms.djangoapp", "production")
    assert settings_module.COMPETENCY_PORTFOLIO == {
        **DEFAULTS,
        "STORAGE": "s3",
        "MAX_FILE_SIZE": 2048,
        "ALLOWED_FILE_KINDS": ["pdf"],
    }


def test_production_settings_without_env_tokens(settings_module):
    add_plugins(SETTINGS_MODULE, "lms.djangoapp", "production")
    assert settings_module.COMPETENCY_PORTFOLIO == DEFAULTS


def test_get_setting_reads_the_operators_value(settings):
    settings.COMPETENCY_PORTFOLIO = {"MAX_FILES_PER_EVIDENCE": 2}
    assert get_setting("MAX_FILES_PER_EVIDENCE") == 2
    assert get_setting("MAX_LINKS_PER_EVIDENCE") == DEFAULTS["MAX_LINKS_PER_EVIDENCE"]
    settings.COMPETENCY_PORTFOLIO = None
    assert get_setting("STORAGE") == DEFAULTS["STORAGE"]


@pytest.mark.parametrize("project", PROJECTS)
def test_urls_are_mounted_under_the_plugins_prefix(project):
    config = CompetencyPluginConfig.plugin_app[PluginURLs.CONFIG][project]
    assert config[PluginURLs.NAMESPACE] == "competency_plugin"
    (pattern,) = [item for item in get_plugin_url_patterns(project) if item.namespace == "competency_plugin"]
    assert str(pattern.pattern) == "^"


def test_urls_are_mounted_in_the_demo():
    prefix, resolver = get_resolver().namespace_dict["competency_plugin"]
    assert prefix == ""
    assert resolver.urlconf_module.__name__ == "competency_plugin.urls"
    assert reverse("competency_plugin:v1:framework-list") == "/api/competency/v1/frameworks/"
    assert reverse("competency_plugin:learner-portfolio", args=["course-v1:A+B+C"]) == (
        "/competency/courses/course-v1:A+B+C/portfolio/"
    )
