"""
Rendering of the block's Django templates, compiled once per process.

``ResourceLoader.render_django_template`` (XBlock) builds a template engine (scanning every
installed app's template tags), parses the template and, for each ``{% trans %}`` tag, builds a
complete Django translation object, on every call: about 25 ms per template, most of a page's
time. Here the engine and each template are built once; the block's own catalog (what XBlock's
tags merge in, when the runtime's i18n service has one, as the LMS's does) is merged once per
language into a translation object that is active only while the block's template renders.
"""
import functools
import threading
from contextlib import contextmanager

from django.template import Context, Engine
from django.template.backends.django import get_installed_libraries
from django.utils import translation
from django.utils.translation import trans_real
from xblock.utils.resources import ResourceLoader

_lock = threading.Lock()
_templates = {}
# (language, id of a block catalog) -> (that catalog, Django's translation with it merged in).
# The catalog is kept so that its id cannot be reused by another object.
_translations = {}


@functools.lru_cache(maxsize=None)
def _get_engine():
    """The template engine, with the template tag libraries of the installed apps (found once)."""
    return Engine(libraries=get_installed_libraries())


def get_template(package, path):
    """Return the compiled template ``path`` of ``package`` (parsed on first use only)."""
    key = (package, path)
    template = _templates.get(key)
    if template is None:
        with _lock:
            template = _templates.get(key)
            if template is None:
                source = ResourceLoader(package).load_unicode(path)
                template = _templates[key] = _get_engine().from_string(source)
    return template


@functools.lru_cache(maxsize=None)
def static_text(package, path):
    """The text of a static file of ``package`` (the block's CSS and JS), read once per process."""
    return ResourceLoader(package).load_unicode(path)


def _merged_translation(language, i18n_service):
    """Django's translation for ``language`` with the service's catalog merged in, or None if it has none."""
    catalog = getattr(i18n_service, "_catalog", None)
    if not catalog or not language:
        return None
    key = (language, id(catalog))
    cached = _translations.get(key)
    if cached is None:
        merged = trans_real.DjangoTranslation(language)
        merged.merge(i18n_service)
        with _lock:
            cached = _translations.setdefault(key, (catalog, merged))
    return cached[1]


@contextmanager
def block_translation(i18n_service):
    """Make the block's catalog take part in translations while the block's templates render."""
    merged = _merged_translation(translation.get_language(), i18n_service)
    if merged is None:
        yield
        return
    active = trans_real._active  # pylint: disable=protected-access  # what translation.activate() sets
    previous = getattr(active, "value", None)
    active.value = merged
    try:
        yield
    finally:
        if previous is None:
            del active.value
        else:
            active.value = previous


def render_template(package, path, context, i18n_service=None):
    """Render template ``path`` of ``package`` with ``context`` and the block's translations."""
    template = get_template(package, path)
    with block_translation(i18n_service):
        return template.render(Context(context))
