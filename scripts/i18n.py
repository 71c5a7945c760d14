#!/usr/bin/env python3
"""
Maintain the translation catalogs in ``locale/`` with Django's ``makemessages`` and polib.

Two gettext domains, one per package, both stored in ``locale/<lang>/LC_MESSAGES/``:

- ``text``: the Portfolio XBlock (``portfolio_xblock/``), the catalog the LMS's XBlock i18n
  service loads from ``portfolio_xblock/translations`` (a symbolic link to ``locale``);
- ``django``: the competency plugin (``competency_plugin/``), found by Django through
  ``INSTALLED_APPS`` (``competency_plugin/locale`` is a symbolic link to ``locale``).

``extract`` runs ``makemessages`` (GNU gettext's ``xgettext``/``msgmerge``, Debian package
gettext) on each package's ``*.py``, ``*.html`` and ``*.txt`` files ({% trans %} and
{% blocktrans %} included), symbolic links inside the package left out. The other
subcommands use polib (pure Python: ``compile --stale-only``, run by ``make demo``, needs no
gettext)::

    python scripts/i18n.py extract    # sources -> every locale/*/LC_MESSAGES/<domain>.po (fr, ar, en)
    python scripts/i18n.py todo [--lang ar] [-o FILE]  # entries still to translate (French by default), JSON
    python scripts/i18n.py fill [--lang ar] FILE  # write the translations of a JSON file into the .po files
    python scripts/i18n.py compile    # every .po -> .mo; --stale-only: only those whose .mo differs
    python scripts/i18n.py check      # exit 1, listing what is missing, stale or badly typed

Workflow after changing strings: ``extract``, ``todo -o /tmp/name.fr.json``, write the French
of each entry into its ``msgstr`` (a list of two strings for plural entries), ``fill
/tmp/name.fr.json``; the same for Arabic with ``todo --lang ar -o /tmp/name.ar.json`` (a list of
six strings for plural entries: zero, one, two, few, many, other); then ``compile``, ``check``.
``fill`` takes the language from ``--lang``, else from a file name ending in ``.<language>.json``,
else from each entry's ``language``, else French.

Decisions:

- ``extract`` keeps translations; a changed msgid becomes *fuzzy* with its previous
  translation (``check`` reports it: review it, then ``fill``); entries gone from the sources
  are dropped. An untranslated entry translated in the other domain's catalog of the same
  language takes that translation. A catalog whose only change would be its
  ``POT-Creation-Date`` is left untouched; references carry no line numbers, nothing wraps.
- English is the source language: the ``en`` catalogs keep every ``msgstr`` empty. Every
  other language (French, Arabic) must translate every entry, each plural entry in as many forms
  as its ``Plural-Forms`` says; forms used for one number only (Arabic's zero, one, two) may
  spell the number out instead of writing its placeholder.
- French typography: the apostrophe ``’`` (never ``'``); a plain space before ``: ; ? !``
  (never a no-break one); the ellipsis ``…`` where the source has one; "Mo"/"Ko" for MB/KB.
  Placeholders (``{count}``, ``%(name)s``) must be the same in msgid and msgstr.
- Vocabulary: translators follow the glossary, ``docs/glossary.rst`` (French, English, Arabic;
  one word per meaning: a situation is *acceptée*, a competence *démontrée*, learners are
  "apprenants", their pupils "élèves").
- A ``.mo`` is stale when what Python's ``gettext`` reads from it differs from its ``.po``'s
  translated, non-fuzzy entries (git keeps no file dates).
"""
import argparse
import datetime
import functools
import gettext
import io
import json
import os
import re
import shutil
import sys
import tempfile
import textwrap
from pathlib import Path

import polib

REPO = Path(__file__).resolve().parent.parent
LOCALE_DIR = REPO / "locale"
SOURCE_LANGUAGE = "en"
ARABIC_PLURALS = ("nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
                  "n%100>=11 ? 4 : 5;")
LANGUAGES = {
    "en": ("English", "nplurals=2; plural=(n != 1);"),
    "fr": ("French", "nplurals=2; plural=(n > 1);"),
    "ar": ("Arabic", ARABIC_PLURALS),
}
DEFAULT_LANGUAGE = "fr"  # what ``todo`` lists and what ``fill`` assumes when nothing names a language
LANGUAGE_FILE = re.compile(r"\.([a-z]{2,3}(?:[-_][A-Za-z]+)?)\.json$")
DOMAINS = {"text": "portfolio_xblock", "django": "competency_plugin"}
PROJECT = "openedx-competency-portfolio"
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
POSITIONAL = re.compile(r"%[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
MISSING_SPACE = re.compile(r"[^\s][;?!]|[^\s]:(?=\s|$)")


def catalog_path(language, domain, suffix=".po"):
    """Path of one catalog."""
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}{suffix}"


def catalogs():
    """Every (language, domain, .po path) of the project."""
    return [(language, domain, catalog_path(language, domain)) for language in LANGUAGES for domain in DOMAINS]


def read(path):
    """A catalog as a polib file, written back without wrapping."""
    return polib.pofile(str(path), wrapwidth=0)


def save(catalog, path):
    """Write a catalog as ``msgcat --no-wrap`` lays it out: only the ``#:`` lines wrap, at 79 columns."""
    lines = []
    for line in str(catalog).split("\n"):
        if line.startswith("#: "):
            lines += textwrap.wrap(line[3:], 79, initial_indent="#: ", subsequent_indent="#: ",
                                   break_long_words=False, break_on_hyphens=False)
        else:
            lines.append(line)
    Path(path).write_text("\n".join(lines), encoding="utf-8")


def rel(path):
    """A path relative to the repository if it is inside, for messages."""
    return Path(path).relative_to(REPO) if Path(path).is_relative_to(REPO) else path


def label(entry):
    """A one-line description of a message for reports."""
    text = json.dumps(entry.msgid, ensure_ascii=False)
    text += f" / {json.dumps(entry.msgid_plural, ensure_ascii=False)}" if entry.msgid_plural else ""
    return f"[{entry.msgctxt}] {text}" if entry.msgctxt is not None else text


def key(entry):
    """What identifies a message."""
    return (entry.msgctxt, entry.msgid, entry.msgid_plural or None)


def forms(entry):
    """(source text, translation) pairs: one for a singular entry, one per plural form."""
    if not entry.msgid_plural:
        return [(entry.msgid, entry.msgstr)]
    return [(entry.msgid if n == 0 else entry.msgid_plural, text) for n, text in sorted(entry.msgstr_plural.items())]


def translations(entry):
    """The translation of an entry as ``todo``/``fill`` write it: a string, or a list for plural entries."""
    return [entry.msgstr_plural[n] for n in sorted(entry.msgstr_plural)] if entry.msgid_plural else entry.msgstr


def set_translation(entry, msgstr):
    """Give an entry its translation; drop its fuzzy flag and the previous msgid."""
    if entry.msgid_plural:
        entry.msgstr_plural = dict(enumerate(msgstr))
    else:
        entry.msgstr = msgstr
    entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
    entry.previous_msgctxt = entry.previous_msgid = entry.previous_msgid_plural = None


def placeholders(text, python_format):
    """The placeholders of a string, sorted: ``{name}`` and ``%(name)s`` always, ``%s`` if python-format."""
    text = text.replace("{{", "").replace("}}", "").replace("%%", "")
    found = PLACEHOLDER.findall(text)
    return sorted(found + (POSITIONAL.findall(PLACEHOLDER.sub("", text)) if python_format else []))


def nplurals(language):
    """The number of plural forms of a language, read from its ``Plural-Forms``."""
    return int(re.search(r"nplurals=(\d+)", LANGUAGES[language][1]).group(1))


@functools.lru_cache(maxsize=None)
def single_number_forms(language):
    """The plural forms used for one number only (Arabic's zero, one and two), which may spell it out."""
    plural = gettext.c2py(LANGUAGES[language][1].split("plural=", 1)[1].rstrip(";"))
    numbers = {}
    for number in range(1000):
        numbers.setdefault(plural(number), []).append(number)
    return frozenset(index for index, found in numbers.items() if len(found) == 1)


def errors_of(entry, language):
    """Placeholders that differ from the source's, and, in French, departures from its typography."""
    errors = []
    if entry.msgid_plural and language in LANGUAGES and len(entry.msgstr_plural) != nplurals(language):
        errors.append(f"has {len(entry.msgstr_plural)} plural forms, expected {nplurals(language)}")
    for index, (source, translation) in enumerate(forms(entry)):
        expected, got = (placeholders(text, "python-format" in entry.flags) for text in (source, translation))
        spelled_out = entry.msgid_plural and language in LANGUAGES and index in single_number_forms(language)
        if translation and got != expected and not (spelled_out and set(got) <= set(expected)):
            errors.append(f"msgstr[{index}] has placeholders {got}, expected {expected}")
        text = PLACEHOLDER.sub("x", translation)
        if language == "fr" and "'" in text:
            errors.append(f"msgstr[{index}] has a straight apostrophe: use ’")
        if language == "fr" and re.search("[\u00a0\u202f]", text):
            errors.append(f"msgstr[{index}] has a no-break space: use a plain space")
        if language == "fr" and MISSING_SPACE.search(text):
            errors.append(f"msgstr[{index}] needs a space before : ; ? !")
    return errors


def makemessages(domain, workdir):
    """Run Django's ``makemessages`` on a domain's package, on copies of its catalogs in ``workdir``."""
    import django  # pylint: disable=import-outside-toplevel
    from django.conf import settings  # pylint: disable=import-outside-toplevel
    from django.core.management import call_command  # pylint: disable=import-outside-toplevel
    from django.core.management.commands.makemessages import Command  # pylint: disable=import-outside-toplevel

    if not settings.configured:
        settings.configure()
        django.setup()
    package, workdir = DOMAINS[domain], Path(workdir)
    (workdir / package).symlink_to(REPO / package)
    for language in LANGUAGES:
        (workdir / "locale" / language / "LC_MESSAGES").mkdir(parents=True)
        if catalog_path(language, domain).exists():
            shutil.copy(catalog_path(language, domain), workdir / "locale" / language / "LC_MESSAGES" / "django.po")
    links = [rel(path).as_posix() for path in (REPO / package).rglob("*") if path.is_symlink()]
    cwd = os.getcwd()
    os.chdir(workdir)  # makemessages reads the current directory, and writes into its locale/
    try:
        call_command(Command(), locale=list(LANGUAGES), domain="django", symlinks=True, ignore_patterns=links,
                     no_wrap=True, add_location="file", no_obsolete=True, keep_pot=True, verbosity=0)
    finally:
        os.chdir(cwd)
    return workdir / "locale"


def fit_plural_forms(catalog, language):
    """Give each untranslated plural entry as many empty forms as the language has (a new catalog has two)."""
    for entry in catalog:
        if entry.msgid_plural and not any(entry.msgstr_plural.values()):
            entry.msgstr_plural = dict.fromkeys(range(nplurals(language)), "")


def extract(_args):
    """Extract each domain's strings into every language's catalog, keeping translations."""
    for domain in DOMAINS:
        with tempfile.TemporaryDirectory(prefix="i18n-") as workdir:
            built = makemessages(domain, workdir)
            for language, (name, plural_forms) in LANGUAGES.items():
                path, new = catalog_path(language, domain), read(built / language / "LC_MESSAGES" / "django.po")
                if path.exists():
                    created, old = new.metadata.get("POT-Creation-Date"), read(path)
                    new.metadata["POT-Creation-Date"] = old.metadata.get("POT-Creation-Date", "")
                    if str(new) == str(old):
                        continue
                    new.metadata["POT-Creation-Date"] = created
                else:
                    new.header = (f"{name} translations of {PROJECT}, domain {domain}.\n"
                                  f"This file is distributed under the same license as the {PROJECT} package.\n")
                    new.metadata_is_fuzzy = []  # msgfmt would leave out a fuzzy header, its plural forms with it
                    new.metadata.update({"Project-Id-Version": PROJECT, "Language-Team": name, "Last-Translator": "",
                                         "PO-Revision-Date": new.metadata.get("POT-Creation-Date", ""),
                                         "Language": language, "Plural-Forms": plural_forms})
                fit_plural_forms(new, language)
                path.parent.mkdir(parents=True, exist_ok=True)
                save(new, path)
    for language in LANGUAGES:
        parsed = {domain: read(catalog_path(language, domain)) for domain in DOMAINS}
        known = {}
        for entry in (entry for catalog in parsed.values() for entry in catalog.translated_entries()):
            known.setdefault(key(entry), translations(entry))
        for domain, catalog in parsed.items():
            reused = [entry for entry in catalog if key(entry) in known and not entry.translated()]
            for entry in reused:
                set_translation(entry, known[key(entry)])
            if reused:
                save(catalog, catalog_path(language, domain))
                print(f"{language}/{domain}: {len(reused)} translation(s) taken from the other domain's catalog")
    for _language, _domain, path in catalogs():
        catalog = read(path)
        print(f"{rel(path)}: {len(catalog)} messages, {len(catalog.translated_entries())} translated, "
              f"{len(catalog.fuzzy_entries())} fuzzy")
    return 0


def todo(args):
    """Write, as JSON, the entries of one target language (French unless named) that are untranslated or fuzzy."""
    items = {}
    for language, domain, path in catalogs():
        if language != args.language or language == SOURCE_LANGUAGE or not path.exists():
            continue
        for entry in read(path):
            if entry.obsolete or entry.translated():
                continue
            item = items.setdefault((language,) + key(entry), {"language": language, "domains": []})
            item["domains"].append(domain)
            item.update({"msgctxt": entry.msgctxt} if entry.msgctxt is not None else {})
            item["msgid"] = entry.msgid
            item.update({"msgid_plural": entry.msgid_plural} if entry.msgid_plural else {})
            item.update({"fuzzy_previous": translations(entry)} if "fuzzy" in entry.flags else {})
            item["msgstr"] = [""] * nplurals(language) if entry.msgid_plural else ""
    text = json.dumps(list(items.values()), ensure_ascii=False, indent=2) + "\n"
    if not args.output:
        sys.stdout.write(text)
        return 0
    Path(args.output).write_text(text, encoding="utf-8")
    print(f"{len(items)} entries to translate written to {args.output}")
    return 0


def file_language(path):
    """The language a file's name ends with (``<name>.<language>.json``), if it is one of the catalogs'."""
    match = LANGUAGE_FILE.search(Path(path).name)
    return match.group(1) if match and match.group(1) in LANGUAGES else None


def fill(args):
    """
    Write translations from a JSON file (as ``todo`` writes it) into the catalogs; clear their fuzzy flag.

    The language of the entries is ``--lang``, else the one the file's name ends with
    (``flow.ar.json``), else each entry's ``language``, else French.
    """
    wanted, named = {}, file_language(args.file)
    for item in json.loads(Path(args.file).read_text(encoding="utf-8")):
        msgstr = item.get("msgstr")
        if all(isinstance(form, str) and form for form in (msgstr if isinstance(msgstr, list) else [msgstr])):
            language = args.language or named or item.get("language") or DEFAULT_LANGUAGE
            wanted[(language, item.get("msgctxt"), item["msgid"], item.get("msgid_plural"))] = msgstr
    used, problems = set(), []
    for language, _domain, path in catalogs():
        catalog, changed = (read(path) if path.exists() else []), False
        for entry in catalog:
            entry_key = (language,) + key(entry)
            if entry_key not in wanted or entry.obsolete:
                continue
            used.add(entry_key)
            if entry.translated() and not args.overwrite:
                if translations(entry) != wanted[entry_key]:
                    problems.append(f"{rel(path)}: kept the translation of {label(entry)} (--overwrite)")
                continue
            set_translation(entry, wanted[entry_key])
            problems += [f"{rel(path)}: {label(entry)}: {error}" for error in errors_of(entry, language)]
            changed = True
        if changed:
            catalog.metadata["PO-Revision-Date"] = datetime.datetime.now(datetime.timezone.utc).strftime(
                "%Y-%m-%d %H:%M+0000")
            save(catalog, path)
            print(f"{rel(path)}: updated")
    problems += [f"no catalog has the message {k[2]!r} (language {k[0]})" for k in sorted(set(wanted) - used, key=str)]
    print("\n".join(problems), file=sys.stderr, end="\n" if problems else "")
    return 0


def binary(catalog):
    """A catalog compiled by polib, as ``msgfmt`` compiles it (no POT-Creation-Date in the header)."""
    catalog.metadata.pop("POT-Creation-Date", None)
    return catalog.to_binary()


def mo_catalog(mo):
    """What Python's ``gettext`` reads from a .mo file (a path) or its bytes."""
    with (io.BytesIO(mo) if isinstance(mo, bytes) else open(mo, "rb")) as handle:
        return gettext.GNUTranslations(handle)._catalog  # pylint: disable=protected-access


def is_stale(catalog, mo_path):
    """Whether a .mo is missing or lacks exactly the translations of its catalog."""
    return not mo_path.exists() or mo_catalog(mo_path) != mo_catalog(binary(catalog))


def compile_catalogs(args):
    """Compile every .po of ``locale/`` into its .mo; with ``--stale-only``, only touch an up-to-date .mo."""
    for path in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
        catalog, target = read(path), path.with_suffix(".mo")
        if args.stale_only and not is_stale(catalog, target):
            os.utime(target)  # newer than its .po for make
            continue
        target.with_name(target.name + ".tmp").write_bytes(binary(catalog))
        os.replace(target.with_name(target.name + ".tmp"), target)
        print(f"{rel(target)}: compiled")
    return 0


def problems_of(language, path):
    """The problems of one catalog: untranslated, fuzzy, wrong placeholders or typography, stale or missing .mo."""
    if not path.exists():
        return [f"{rel(path)}: missing (run extract)"]
    catalog, problems = read(path), []
    if catalog.metadata.get("Plural-Forms") != LANGUAGES[language][1]:
        problems.append(f"{rel(path)}: header Plural-Forms is {catalog.metadata.get('Plural-Forms')!r}, "
                        f"expected {LANGUAGES[language][1]!r}")
    for entry in (entry for entry in catalog if not entry.obsolete):
        if "fuzzy" in entry.flags:
            problems.append(f"{rel(path)}: fuzzy: {label(entry)}")  # a guess to review: not checked further
            continue
        if language != SOURCE_LANGUAGE and not entry.translated():
            problems.append(f"{rel(path)}: untranslated: {label(entry)}")
        problems += [f"{rel(path)}: {label(entry)}: {error}" for error in errors_of(entry, language)]
    if is_stale(catalog, path.with_suffix(".mo")):
        problems.append(f"{rel(path.with_suffix('.mo'))}: missing or stale (run compile)")
    return problems


def source_messages(domain):
    """The messages ``makemessages`` finds in a domain's sources (xgettext needed)."""
    with tempfile.TemporaryDirectory(prefix="i18n-") as workdir:
        return read(makemessages(domain, workdir) / "django.pot")


def check(_args):
    """Print every problem of the catalogs; return 1 if there is any."""
    problems = []
    for domain in DOMAINS:
        found = source_messages(domain)
        for language in LANGUAGES:
            path = catalog_path(language, domain)
            have = {key(entry) for entry in read(path)} if path.exists() else set()
            problems += [f"{rel(path)}: not extracted yet (run extract): {label(entry)}"
                         for entry in found if key(entry) not in have]
    for language, _domain, path in catalogs():
        problems += problems_of(language, path)
    print("\n".join(problems + [f"{len(problems)} problem(s)" if problems else "Catalogs complete and compiled."]))
    return 1 if problems else 0


def main(argv=None):
    """Parse the command line and run a subcommand."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0].strip())
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("extract", help="extract strings into every catalog, keeping translations").set_defaults(
        func=extract)
    todo_parser = commands.add_parser("todo", help="write the entries still to translate as JSON")
    todo_parser.add_argument("-o", "--output", help="file to write (default: standard output)")
    todo_parser.add_argument("-l", "--lang", "--language", dest="language", choices=sorted(set(LANGUAGES) - {
        SOURCE_LANGUAGE}), default=DEFAULT_LANGUAGE, help=f"the language to list (default: {DEFAULT_LANGUAGE})")
    todo_parser.set_defaults(func=todo)
    fill_parser = commands.add_parser("fill", help="write translations from a JSON file into the catalogs")
    fill_parser.add_argument("file")
    fill_parser.add_argument("-l", "--lang", "--language", dest="language", choices=sorted(set(LANGUAGES) - {
        SOURCE_LANGUAGE}), help="the language of every entry (default: the file name's, each entry's, or French)")
    fill_parser.add_argument("--overwrite", action="store_true", help="replace translations that exist")
    fill_parser.set_defaults(func=fill)
    compile_parser = commands.add_parser("compile", help="compile every .po into its .mo")
    compile_parser.add_argument("--stale-only", action="store_true", help="only the .mo lacking their translations")
    compile_parser.set_defaults(func=compile_catalogs)
    commands.add_parser("check", help="list untranslated, fuzzy, unextracted or uncompiled messages").set_defaults(
        func=check)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
