"""The block's templates: compiled once, translated with the block's own catalog while they render."""
from django.utils import translation
from xblock.runtime import NullI18nService

from portfolio_xblock import templating

EMPTY_LIST = "You have not recorded any situation yet."
PACKAGE = "portfolio_xblock.presentation"


class CatalogService:
    """An i18n service carrying the block's own catalog, as the LMS's XBlockI18nService does."""

    def __init__(self, catalog):
        self._catalog = catalog
        self._fallback = None

    @staticmethod
    def plural(count):
        """English plural rule."""
        return int(count != 1)


def render_empty_list(service):
    context = {"learner": True, "dom_id": "x", "evidence_script_id": "x-evidence"}
    return templating.render_template(PACKAGE, "templates/student.html", context, service)


def test_a_template_is_compiled_once():
    first = templating.get_template(PACKAGE, "templates/evidence_items.html")
    assert templating.get_template(PACKAGE, "templates/evidence_items.html") is first


def test_the_blocks_catalog_translates_while_its_template_renders_only():
    service = CatalogService({EMPTY_LIST: "Rien encore (catalogue du bloc)."})
    with translation.override("en"):
        html = render_empty_list(service)
        assert "Rien encore (catalogue du bloc)." in html
        assert translation.gettext(EMPTY_LIST) == EMPTY_LIST
        assert translation.get_language() == "en"
        # The merged translation is built once per language and catalog.
        assert templating._merged_translation("en", service) is templating._merged_translation("en", service)


def test_a_service_without_catalog_leaves_djangos_translations_alone():
    with translation.override("en"):
        assert EMPTY_LIST in render_empty_list(NullI18nService())
        assert EMPTY_LIST in render_empty_list(None)
