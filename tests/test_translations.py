"""
The translation catalogs of ``locale/``: complete in French and Arabic, compiled, and used at run time.

The catalogs are maintained with ``scripts/i18n.py`` (``extract`` with Django's
``makemessages``, ``todo``, ``fill``, ``compile`` and ``check`` with polib); these tests fail
when a step was forgotten.
"""
import gettext
import importlib.util
import json
import re
import shutil
import subprocess
from pathlib import Path

import polib
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
    """The entries of a catalog, obsolete entries left out."""
    return [entry for entry in i18n.read(LOCALE / language / "LC_MESSAGES" / f"{domain}.po") if not entry.obsolete]


def mo_catalog(path):
    """What Python's gettext reads from a .mo file."""
    with open(path, "rb") as handle:
        return gettext.GNUTranslations(handle)


def test_compile_writes_what_msgfmt_writes(tmp_path):
    """polib's .mo holds plural forms, contexts and escapes, no fuzzy entry: what ``msgfmt`` compiles."""
    po = tmp_path / "sample.po"
    po.write_text(
        HEADER + '#, python-brace-format\nmsgid "{count} file"\nmsgid_plural "{count} files"\n'
        'msgstr[0] "{count} fichier"\nmsgstr[1] "{count} fichiers"\n\n'
        'msgctxt "verb"\nmsgid "Say \\"hi\\"\\n"\nmsgstr ""\n"Dites \\"bonjour\\"\\n"\n\n'
        '#, fuzzy\nmsgid "Old"\nmsgstr "Vieux"\n\nmsgid "Empty"\nmsgstr ""\n',
        encoding="utf-8",
    )
    (tmp_path / "sample.mo").write_bytes(i18n.binary(i18n.read(po)))
    compiled = mo_catalog(tmp_path / "sample.mo")
    assert compiled.ngettext("{count} file", "{count} files", 2) == "{count} fichiers"
    assert compiled.ngettext("{count} file", "{count} files", 1) == "{count} fichier"
    assert compiled.pgettext("verb", 'Say "hi"\n') == 'Dites "bonjour"\n'
    assert compiled.gettext("Old") == "Old" and compiled.gettext("Empty") == "Empty"
    assert not i18n.is_stale(i18n.read(po), tmp_path / "sample.mo")
    if shutil.which("msgfmt"):
        subprocess.run(["msgfmt", "-o", str(tmp_path / "msgfmt.mo"), str(po)], check=True)
        assert i18n.mo_catalog(tmp_path / "msgfmt.mo") == i18n.mo_catalog(tmp_path / "sample.mo")


def test_catalogs_are_written_back_as_msgcat_writes_them(tmp_path):
    """Read then written by the script, each catalog is unchanged: its edits give small diffs."""
    for path in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        i18n.save(i18n.read(path), tmp_path / path.name)
        assert (tmp_path / path.name).read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), path


def test_fill_accepts_the_translations_of_todo(tmp_path, monkeypatch, capsys):
    """``todo`` lists untranslated and fuzzy entries; ``fill`` writes them, clears fuzzy, keeps the others."""
    locale = tmp_path / "locale"
    (locale / "fr" / "LC_MESSAGES").mkdir(parents=True)
    po = locale / "fr" / "LC_MESSAGES" / "django.po"
    po.write_text(
        HEADER + '#, fuzzy\n#| msgid "Old"\nmsgid "New"\nmsgstr "Vieux"\n\n'
        'msgid "{count} file"\nmsgid_plural "{count} files"\nmsgstr[0] ""\nmsgstr[1] ""\n\n'
        'msgid "Kept"\nmsgstr "Gardé"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    todo = tmp_path / "todo.json"
    assert i18n.main(["todo", "-o", str(todo)]) == 0
    items = json.loads(todo.read_text(encoding="utf-8"))
    assert [(item["msgid"], item["msgstr"], item.get("fuzzy_previous")) for item in items] == [
        ("New", "", "Vieux"), ("{count} file", ["", ""], None)]
    items[0]["msgstr"] = "Nouveau"
    items[1]["msgstr"] = ["{count} fichier", "{count} fichiers"]
    items.append({"language": "fr", "msgid": "Kept", "msgstr": "Autre"})
    todo.write_text(json.dumps(items), encoding="utf-8")
    assert i18n.main(["fill", str(todo)]) == 0
    assert 'kept the translation of "Kept"' in capsys.readouterr().err
    catalog = {entry.msgid: entry for entry in polib.pofile(str(po))}
    assert catalog["New"].msgstr == "Nouveau" and not catalog["New"].fuzzy and catalog["New"].previous_msgid is None
    assert catalog["{count} file"].msgstr_plural == {0: "{count} fichier", 1: "{count} fichiers"}
    assert catalog["Kept"].msgstr == "Gardé"
    assert i18n.main(["compile"]) == 0
    assert mo_catalog(po.with_suffix(".mo")).gettext("New") == "Nouveau"
    assert i18n.problems_of("fr", po) == []


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
    assert "django.mo: missing or stale" in report
    assert i18n.problems_of("en", po) != [] and "untranslated" not in "\n".join(i18n.problems_of("en", po))


@pytest.mark.parametrize("language, plural_forms", (
    ("fr", "nplurals=2; plural=(n > 1);"),
    ("ar", "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5;"),
))
@pytest.mark.parametrize("domain", DOMAINS)
def test_catalog_is_complete(domain, language, plural_forms):
    """Every French and Arabic message has a translation, none is fuzzy, and the header has the plural forms."""
    entries = messages(language, domain)
    assert entries, f"locale/{language}/LC_MESSAGES/{domain}.po has no messages"
    untranslated = [i18n.label(entry) for entry in entries if not entry.translated()]
    fuzzy = [i18n.label(entry) for entry in entries if entry.fuzzy]
    assert not untranslated, "run scripts/i18n.py todo/fill for: " + ", ".join(untranslated)
    assert not fuzzy, "review the fuzzy entries: " + ", ".join(fuzzy)
    header = i18n.read(LOCALE / language / "LC_MESSAGES" / f"{domain}.po").metadata
    assert header["Plural-Forms"] == plural_forms
    assert header["Language"] == language
    assert not [i18n.label(entry) for entry in entries if i18n.errors_of(entry, language)]


@pytest.mark.parametrize("domain", DOMAINS)
def test_english_catalog_keeps_the_source_text(domain):
    """English is the source language: its catalogs hold the same messages, untranslated."""
    english = messages("en", domain)
    assert {i18n.key(entry) for entry in english} == {i18n.key(entry) for entry in messages("fr", domain)}
    assert {i18n.key(entry) for entry in english} == {i18n.key(entry) for entry in messages("ar", domain)}
    assert all(not any(text for _source, text in i18n.forms(entry)) for entry in english)


def _placeholders(text):
    return sorted(re.findall(r"\{[^{}]*\}", text.replace("{{", "").replace("}}", ""))) + sorted(
        re.findall(r"%\([^)]+\)[a-z]", text)
    )


@pytest.mark.parametrize("domain", DOMAINS)
def test_french_translations_keep_the_placeholders(domain):
    """``{count}`` or ``%(name)s`` in a msgid appear, each as often, in its translation."""
    wrong = []
    for entry in messages("fr", domain):
        for source, translation in i18n.forms(entry):
            if _placeholders(source) != _placeholders(translation):
                wrong.append(f"{source!r} -> {translation!r}")
    assert not wrong


@pytest.mark.parametrize("domain", DOMAINS)
def test_french_translations_follow_the_typography(domain):
    """One convention: ’ for the apostrophe, a plain space before : ; ? ! (see scripts/i18n.py)."""
    wrong = [
        f"{i18n.label(entry)}: {error}" for entry in messages("fr", domain) for error in i18n.errors_of(entry, "fr")
    ]
    assert not wrong


@pytest.mark.parametrize("language", ("fr", "en", "ar"))
@pytest.mark.parametrize("domain", DOMAINS)
def test_mo_files_are_compiled_from_their_po(language, domain, tmp_path):
    """Each .mo holds exactly the translations of its .po (run ``scripts/i18n.py compile`` otherwise)."""
    po = LOCALE / language / "LC_MESSAGES" / f"{domain}.po"
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing"
    assert not i18n.is_stale(i18n.read(po), mo)
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
def test_every_source_string_is_in_the_catalogs(domain):
    """No string marked in the sources is missing from the catalogs (run ``scripts/i18n.py extract``)."""
    found = i18n.source_messages(domain)
    assert len(found) > 100  # makemessages read the package's Python files and templates
    for language in ("fr", "en", "ar"):
        have = {i18n.key(entry) for entry in messages(language, domain)}
        assert not [i18n.label(entry) for entry in found if i18n.key(entry) not in have], f"{language}/{domain}.po"


def test_arabic_plurals_have_six_forms():
    """Arabic's zero, one, two, few, many and other: each count reads its own form, numbers spelled out or not."""
    plugin = gettext.translation("django", localedir=str(REPO / "competency_plugin" / "locale"), languages=["ar"])
    singular, plural = "{count} validated situation", "{count} validated situations"
    texts = {count: plugin.ngettext(singular, plural, count).format(count=count) for count in (0, 1, 2, 3, 11, 100)}
    assert len(set(texts.values())) == 6, texts
    assert texts[3].startswith("3 ") and texts[11].startswith("11 ") and texts[100].startswith("100 ")
    assert "{" not in "".join(texts.values())
    assert i18n.single_number_forms("ar") == {0, 1, 2} and i18n.single_number_forms("fr") == set()


def test_todo_and_fill_in_arabic(tmp_path, monkeypatch, capsys):
    """``todo --lang ar`` asks for six forms; ``fill`` takes a helper's ``<name>.ar.json``, checking the count."""
    locale = tmp_path / "locale"
    for language, plural_forms in (("fr", "nplurals=2; plural=(n > 1);"), ("ar", i18n.LANGUAGES["ar"][1])):
        (locale / language / "LC_MESSAGES").mkdir(parents=True)
        (locale / language / "LC_MESSAGES" / "text.po").write_text(
            HEADER.replace("nplurals=2; plural=(n > 1);", plural_forms)
            + 'msgid "Close"\nmsgstr ""\n\n#, python-brace-format\nmsgid "{count} file"\nmsgid_plural "{count} files"\n'
            + "".join(f'msgstr[{n}] ""\n' for n in range(i18n.nplurals(language))), encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    monkeypatch.setattr(i18n, "DOMAINS", {"text": "portfolio_xblock"})
    todo = tmp_path / "todo.json"
    assert i18n.main(["todo", "-o", str(todo)]) == 0  # French unless asked
    assert {item["language"] for item in json.loads(todo.read_text(encoding="utf-8"))} == {"fr"}
    assert i18n.main(["todo", "--lang", "ar", "-o", str(todo)]) == 0
    items = json.loads(todo.read_text(encoding="utf-8"))
    assert [(item["language"], item["msgstr"]) for item in items] == [("ar", ""), ("ar", [""] * 6)]
    helper = tmp_path / "flow.ar.json"  # a helper's file: entries copied from its French todo
    helper.write_text(json.dumps([
        {"language": "fr", "msgid": "Close", "msgstr": "إغلاق"},
        {"language": "fr", "msgid": "{count} file", "msgid_plural": "{count} files",
         "msgstr": ["لا ملفات", "ملف واحد", "ملفان", "{count} ملفات", "{count} ملفًا", "{count} ملف"]},
    ], ensure_ascii=False), encoding="utf-8")
    assert i18n.main(["fill", str(helper)]) == 0
    arabic = polib.pofile(str(locale / "ar" / "LC_MESSAGES" / "text.po"))
    assert arabic.find("Close").msgstr == "إغلاق" and len(arabic.find("{count} file").msgstr_plural) == 6
    assert not polib.pofile(str(locale / "fr" / "LC_MESSAGES" / "text.po")).translated_entries()
    assert i18n.main(["compile"]) == 0
    assert i18n.problems_of("ar", locale / "ar" / "LC_MESSAGES" / "text.po") == []
    capsys.readouterr()
    short = tmp_path / "short.json"
    short.write_text(json.dumps([{"msgid": "{count} file", "msgid_plural": "{count} files", "msgstr": ["a {count}",
                                                                                                       "b {count}"]}]))
    assert i18n.main(["fill", "--lang", "ar", "--overwrite", str(short)]) == 0
    assert "has 2 plural forms, expected 6" in capsys.readouterr().err
    assert "expected 6" in "\n".join(i18n.problems_of("ar", locale / "ar" / "LC_MESSAGES" / "text.po"))


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


def test_student_view_in_arabic_is_right_to_left(portfolio):
    """In Arabic the block's root says so (``lang``, ``dir``), from the catalog the runtime gives the block."""
    arabic = portfolio.render(student="learner1", language="ar").content.decode()
    assert re.search(r'<div class="cpf" id="[^"]+" lang="ar" dir="rtl">', arabic)
    assert "حفظ المسودة" in arabic and "الوضعيات المُرسَلة: 0 من 1 مطلوبة." in arabic
    assert "Save draft" not in arabic
    french = portfolio.render(student="learner1", language="fr").content.decode()
    assert re.search(r'<div class="cpf" id="[^"]+" lang="fr" dir="ltr">', french)


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


@pytest.mark.skipif(not shutil.which("xgettext"), reason="xgettext (Debian package gettext) is not installed")
def test_extract_merges_the_sources_into_the_catalogs(tmp_path, monkeypatch):
    """Python and template strings are extracted, links left out; translations kept, a changed msgid fuzzy."""
    package = tmp_path / "pkg"
    (package / "templates").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "other.py").write_text('_("Not ours")\n', encoding="utf-8")
    (package / "static").symlink_to(tmp_path / "elsewhere")
    (package / "views.py").write_text('def view(self):\n    return self.ugettext("Hello")\n', encoding="utf-8")
    (package / "templates" / "page.html").write_text(
        '{% load i18n %}{% trans "Goodbye for now" %}'
        '{% blocktrans count counter=n %}{{ counter }} file{% plural %}{{ counter }} files{% endblocktrans %}',
        encoding="utf-8",
    )
    locale = tmp_path / "locale"
    (locale / "fr" / "LC_MESSAGES").mkdir(parents=True)
    po = locale / "fr" / "LC_MESSAGES" / "text.po"
    po.write_text(HEADER + 'msgid "Hello"\nmsgstr "Bonjour"\n\nmsgid "Goodbye for now!"\nmsgstr "À bientôt !"\n',
                  encoding="utf-8")
    monkeypatch.setattr(i18n, "REPO", tmp_path)
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    monkeypatch.setattr(i18n, "DOMAINS", {"text": "pkg"})
    assert i18n.main(["extract"]) == 0
    catalog = {entry.msgid: entry for entry in polib.pofile(str(po))}
    assert set(catalog) == {"Hello", "Goodbye for now", "%(counter)s file"}
    assert catalog["Hello"].msgstr == "Bonjour" and catalog["Hello"].occurrences == [("pkg/views.py", "")]
    assert catalog["Goodbye for now"].fuzzy and catalog["Goodbye for now"].msgstr == "À bientôt !"
    assert catalog["%(counter)s file"].occurrences == [("pkg/templates/page.html", "")]
    english = polib.pofile(str(locale / "en" / "LC_MESSAGES" / "text.po"))
    assert english.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);" and not english.translated_entries()
    before = po.read_text(encoding="utf-8")
    assert i18n.main(["extract"]) == 0
    assert po.read_text(encoding="utf-8") == before  # nothing changed but the date: the file is left as it was
    assert not list(package.rglob("*.html.py"))
