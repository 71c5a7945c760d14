"""What the readers and writers of every format share: decoding, parsing, errors, languages."""
import contextlib
import gc
import json
from uuid import UUID

from django.utils.translation import gettext as _

from competency_plugin.exceptions import CompetencyRequestError

# The language of text read from a file that does not say its own.
DEFAULT_LANGUAGE = "en"
LANGUAGES = ("fr", "en")


def format_error(message, field="file"):
    """Return a ``CompetencyRequestError`` about the file's content."""
    return CompetencyRequestError(message, {field: [message]})


def decode_text(content):
    """Return ``content`` (bytes or str) as text, without a byte-order mark."""
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise format_error(_("The file is not UTF-8 text (byte {position}).").format(
                position=error.start + 1
            )) from error
    if not isinstance(content, str):
        raise format_error(_("The file content must be text or bytes."))
    return content.lstrip("\ufeff")


@contextlib.contextmanager
def paused_gc():
    """
    Pause the cyclic garbage collector while a file is read.

    Reading a large file creates millions of objects that all stay alive (parsed JSON, specs);
    each pass of the collector walks them all, which made reading several times slower.
    Nothing read holds a reference cycle; the collector runs again afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def parse_json(text):
    """
    Parse JSON text as ``json.loads`` does, keeping one copy of identical link objects.

    CASE files repeat the same link (``{"title", "identifier", "uri"}``) in every item and
    association (``CFDocumentURI``; a parent at the end of each child's ``isChildOf``); equal
    objects of at most three scalar values are shared, which parsed CASE packages need about a
    third less memory for. Nothing in a parsed file is modified afterwards, so sharing is safe.

    Raises:
        ValueError (``json.JSONDecodeError``) as ``json.loads``.
    """
    shared = {}

    def share(obj):
        if len(obj) > 3:
            return obj
        try:
            return shared.setdefault(tuple(obj.items()), obj)
        except TypeError:  # a list or an object among the values
            return obj

    with paused_gc():
        return json.loads(text, object_hook=share)


def language_side(language, default=DEFAULT_LANGUAGE):
    """Return "fr" or "en" for a language tag ("fr-CA" → "fr"); ``default`` when empty."""
    value = str(language or "").strip().lower()
    if not value:
        return default
    return "fr" if value.startswith("fr") else "en"


def check_language(language):
    """Return the ``language`` option ("fr", "en" or None), or raise for any other value."""
    if language in (None, ""):
        return None
    value = str(language).strip().lower()
    if value not in LANGUAGES:
        raise CompetencyRequestError(
            _("Unknown language {language!r}: use fr or en.").format(language=language),
            {"language": [_("Use fr or en.")]},
        )
    return value


def spec_language(spec, language=None):
    """Return the language a single-language writer uses: the option, else the framework's, else French if any."""
    if language:
        return language_side(language)
    if spec.language:
        return language_side(spec.language)
    return "fr" if spec.title_fr else "en"


def in_language(side, french, english):
    """Return the text of ``side`` ("fr"/"en"), else the other one."""
    return (french or english) if side == "fr" else (english or french)


def is_uuid(text):
    """Whether ``text`` is a UUID (CASE and Moodle identifiers may be, or may be any text)."""
    try:
        UUID(text)
        return True
    except ValueError:
        return False
