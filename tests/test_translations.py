"""
The translation catalogs of ``locale/``: complete in French, compiled, and used at run time.

The catalogs are maintained with ``scripts/i18n.py`` (``extract``, ``todo``, ``fill``,
``compile``, ``check``); these tests fail when a step was forgotten.
"""
import gettext
import importlib.util
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LOCALE = REPO / "locale"
DOMAINS = ("text", "django")
HEADER = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n'
)


def _load_script():
    spec = importlib.util.spec_from_file_location("portfolio_i18n_script", REPO / "scripts" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


i18n = _load_script()


def messages(language, domain):
    """The entries of a catalog, header and obsolete entries left out."""
    return [
        entry for entry in i18n.read_po(LOCALE / language / "LC_MESSAGES" / f"{domain}.po")
        if not entry.is_header and not entry.obsolete
    ]


def mo_catalog(path):
    """What Python's gettext reads from a .mo file."""
    with open(path, "rb") as handle:
        return gettext.GNUTranslations(handle)


def test_script_parser_reads_what_msgfmt_compiles(tmp_path):
    """The parser the other tests rely on reads plural forms, contexts, escapes and fuzzy flags right."""
    po = tmp_path / "sample.po"
    po.write_text(
        HEADER + '#, python-brace-format\nmsgid "{count} file"\nmsgid_plural "{count} files"\n'
        'msgstr[0] "{count} fichier"\nmsgstr[1] "{count} fichiers"\n\n'
        'msgctxt "verb"\nmsgid "Say \\"hi\\"\\n"\nmsgstr ""\n"Dites \\"bonjour\\"\\n"\n\n'
        '#, fuzzy\nmsgid "Old"\nmsgstr "Vieux"\n\nmsgid "Empty"\nmsgstr ""\n',
        encoding="utf-8",
    )
    entries = i18n.read_po(po)
    assert [entry.msgid for entry in entries] == ["", "{count} file", 'Say "hi"\n', "Old", "Empty"]
    assert entries[1].msgstr == {0: "{count} fichier", 1: "{count} fichiers"}
    assert entries[2].msgctxt == "verb" and entries[2].msgstr == {0: 'Dites "bonjour"\n'}
    assert "fuzzy" in entries[3].flags and not entries[4].translated
    if shutil.which("msgfmt"):
        subprocess.run(["msgfmt", "-o", str(tmp_path / "sample.mo"), str(po)], check=True)
        compiled = mo_catalog(tmp_path / "sample.mo")
        assert i18n.compiled_catalog(tmp_path / "sample.mo") == i18n.expected_catalog(entries)
        assert compiled.ngettext("{count} file", "{count} files", 2) == "{count} fichiers"
        assert compiled.pgettext("verb", 'Say "hi"\n') == 'Dites "bonjour"\n'
        assert compiled.gettext("Old") == "Old"  # fuzzy entries are not compiled


def test_check_reports_each_kind_of_problem(tmp_path):
    """``check`` lists untranslated, fuzzy, misplaced placeholders, bad typography and a missing .mo."""
    po = tmp_path / "django.po"
    po.write_text(
        HEADER + 'msgid "Untranslated"\nmsgstr ""\n\n#, fuzzy\nmsgid "Fuzzy"\nmsgstr "Flou"\n\n'
        'msgid "{count} files"\nmsgstr "{total} fichiers"\n\nmsgid "%(name)s is here"\nmsgstr "%(nom)s est là"\n\n'
        'msgid "Really?"\nmsgstr "Vraiment?"\n\nmsgid "Don\'t"\nmsgstr "N\'en faites rien"\n',
        encoding="utf-8",
    )
    report = "\n".join(i18n.problems_of("fr", po))
    assert 'untranslated: "Untranslated"' in report
    assert 'fuzzy: "Fuzzy"' in report
    assert "['{total}'], expected ['{count}']" in report
    assert "['%(nom)s'], expected ['%(name)s']" in report
    assert "needs a space before" in report
    assert "straight apostrophe" in report
    assert "django.mo: missing" in report
    assert i18n.problems_of("en", po) != [] and "untranslated" not in "\n".join(i18n.problems_of("en", po))


@pytest.mark.parametrize("domain", DOMAINS)
def test_french_catalog_is_complete(domain):
    """Every French message has a translation, none is fuzzy, and the header has French plural forms."""
    entries = messages("fr", domain)
    assert entries, f"locale/fr/LC_MESSAGES/{domain}.po has no messages"
    untranslated = [entry.label() for entry in entries if not entry.translated]
    fuzzy = [entry.label() for entry in entries if "fuzzy" in entry.flags]
    assert not untranslated, "run scripts/i18n.py todo/fill for: " + ", ".join(untranslated)
    assert not fuzzy, "review the fuzzy entries: " + ", ".join(fuzzy)
    header = i18n.header_fields(i18n.read_po(LOCALE / "fr" / "LC_MESSAGES" / f"{domain}.po"))
    assert header["Plural-Forms"] == "nplurals=2; plural=(n > 1);"
    assert header["Language"] == "fr"


@pytest.mark.parametrize("domain", DOMAINS)
def test_english_catalog_keeps_the_source_text(domain):
    """English is the source language: its catalogs hold the same messages, untranslated."""
    english = messages("en", domain)
    assert {entry.key for entry in english} == {entry.key for entry in messages("fr", domain)}
    assert all(not any(entry.msgstr.values()) for entry in english)


def _placeholders(text):
    return sorted(re.findall(r"\{[^{}]*\}", text.replace("{{", "").replace("}}", ""))) + sorted(
        re.findall(r"%\([^)]+\)[a-z]", text)
    )


@pytest.mark.parametrize("domain", DOMAINS)
def test_french_translations_keep_the_placeholders(domain):
    """``{count}`` or ``%(name)s`` in a msgid appear, each as often, in its translation."""
    wrong = []
    for entry in messages("fr", domain):
        for source, translation in entry.forms():
            if _placeholders(source) != _placeholders(translation):
                wrong.append(f"{source!r} -> {translation!r}")
    assert not wrong


@pytest.mark.parametrize("domain", DOMAINS)
def test_french_translations_follow_the_typography(domain):
    """One convention: ’ for the apostrophe, a plain space before : ; ? ! (see scripts/i18n.py)."""
    wrong = [f"{entry.label()}: {error}" for entry in messages("fr", domain) for error in i18n.typography_errors(entry)]
    assert not wrong


@pytest.mark.parametrize("language", ("fr", "en"))
@pytest.mark.parametrize("domain", DOMAINS)
def test_mo_files_are_compiled_from_their_po(language, domain, tmp_path):
    """Each .mo holds exactly the translations of its .po (run ``scripts/i18n.py compile`` otherwise)."""
    po = LOCALE / language / "LC_MESSAGES" / f"{domain}.po"
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing"
    assert i18n.compiled_catalog(mo) == i18n.expected_catalog(i18n.read_po(po))
    if shutil.which("msgfmt"):
        fresh = tmp_path / "fresh.mo"
        subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(po)], check=True)
        assert mo_catalog(mo)._catalog == mo_catalog(fresh)._catalog  # pylint: disable=protected-access


def test_compiled_catalogs_translate_known_strings():
    """The XBlock's catalog (where the LMS looks for it) and the plugin's, singular and plural."""
    text = gettext.translation("text", localedir=str(REPO / "portfolio_xblock" / "translations"), languages=["fr"])
    assert text.gettext("Save draft") == "Enregistrer le brouillon"
    assert text.gettext("Reflective analysis") == "Analyse réflexive"
    plugin = gettext.translation("django", localedir=str(REPO / "competency_plugin" / "locale"), languages=["fr"])
    assert plugin.gettext("Some fields are not valid.") == "Certains champs ne sont pas valides."
    singular = "You can attach at most {count} file to an evidence item."
    plural = "You can attach at most {count} files to an evidence item."
    assert plugin.ngettext(singular, plural, 1) == "Vous pouvez joindre au plus {count} fichier à une situation."
    assert plugin.ngettext(singular, plural, 0) == plugin.ngettext(singular, plural, 1)  # French: 0 is singular
    assert plugin.ngettext(singular, plural, 2) == "Vous pouvez joindre au plus {count} fichiers à une situation."


@pytest.mark.skipif(not shutil.which("xgettext"), reason="xgettext (Debian package gettext) is not installed")
@pytest.mark.parametrize("domain", DOMAINS)
def test_every_source_string_is_in_the_catalogs(domain, tmp_path):
    """No string marked in the sources is missing from the catalogs (run ``scripts/i18n.py extract``)."""
    found = [entry for entry in i18n.read_po(i18n.build_template(domain, tmp_path)) if not entry.is_header]
    assert found
    for language in ("fr", "en"):
        have = {entry.key for entry in messages(language, domain)}
        assert not [entry.label() for entry in found if entry.key not in have], f"{language}/{domain}.po"


def test_student_view_in_french_and_english(portfolio):
    """The block's template strings, its Python strings and the JavaScript's messages follow the language."""
    french = portfolio.render(student="learner1", language="fr").content.decode()
    assert "Enregistrer le brouillon" in french
    assert "Mes situations professionnelles" in french
    assert "Situations soumises : 0 sur 1 demandées." in french
    assert "Brouillon enregistr" in french  # the JavaScript's messages (JSON-escaped)
    assert "Save draft" not in french and "My professional situations" not in french

    english = portfolio.render(student="learner1", language="en").content.decode()
    assert "Save draft" in english
    assert "Submitted situations: 0 of 1 required." in english
    assert "Enregistrer le brouillon" not in english


def test_evidence_list_in_french(portfolio):
    """Status labels and buttons of the learner's list, rendered after a save, are French."""
    status, body = portfolio.post_json("save_evidence", {"fields": {"title": "Séance"}}, language="fr")
    assert status == 200, body
    assert body["message"] == "Brouillon enregistré."
    assert "Brouillon" in body["item_html"] and "Modifier" in body["item_html"] and "Supprimer" in body["item_html"]


def test_validation_errors_in_french_and_english(portfolio):
    """The plugin's messages (and DRF's) follow Accept-Language; so do the block's own."""
    status, body = portfolio.post_json("save_evidence", {"fields": {}}, language="fr")
    assert status == 400
    assert body["message"] == "Certains champs ne sont pas valides."
    assert body["field_errors"]["title"] == ["Ce champ est obligatoire."]

    status, body = portfolio.post_json("save_evidence", {"fields": {}}, language="en")
    assert status == 400
    assert body["message"] == "Some fields are not valid."
    assert body["field_errors"]["title"] == ["This field is required."]

    status, body = portfolio.post_json("save_evidence", {"fields": "x"}, language="fr")
    assert status == 400
    assert body["message"] == "La requête doit contenir les champs de la situation."
