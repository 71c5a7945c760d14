#!/usr/bin/env python3
"""
Maintain the translation catalogs in ``locale/`` (GNU gettext tools + Django's template lexer).

Two gettext domains, one per package, both stored in ``locale/<lang>/LC_MESSAGES/``:

- ``text``: the Portfolio XBlock (``portfolio_xblock/``), the catalog the LMS's XBlock i18n
  service loads from ``portfolio_xblock/translations`` (a symbolic link to ``locale``);
- ``django``: the competency plugin (``competency_plugin/``), found by Django through
  ``INSTALLED_APPS`` (``competency_plugin/locale`` is a symbolic link to ``locale``).

Sources of a domain are the regular files below its package, symbolic links not followed
(so ``static``, ``translations`` and ``locale`` are never read twice): ``*.py`` files with
the keywords of ``KEYWORDS`` (``_``, ``gettext``, ``ugettext`` as in ``self.ugettext(...)``
or ``block.ugettext(...)``, ``ngettext``, ``pgettext``, their lazy variants...), and Django
templates (``*.html``, ``*.txt``) with ``{% trans %}`` / ``{% blocktrans %}``, turned into
Python by ``django.utils.translation.template.templatize`` as ``makemessages`` does.
Tests, the demo and the virtualenv are outside the packages, hence never read.

Subcommands (run from anywhere; paths are relative to the repository)::

    python scripts/i18n.py extract    # sources -> every locale/*/LC_MESSAGES/<domain>.po
    python scripts/i18n.py todo [-o FILE]    # the French entries still to translate, as JSON
    python scripts/i18n.py fill FILE  # write the translations of a JSON file into the .po files
    python scripts/i18n.py compile    # every .po -> .mo (msgfmt --check); --stale-only: only outdated ones
    python scripts/i18n.py check      # exit 1, listing what is missing or stale

Workflow after changing strings: ``extract``, then ``todo -o /tmp/todo.json``, write the
French of each entry into that file's ``msgstr`` (a list of two strings for plural
entries), ``fill /tmp/todo.json``, ``compile``, ``check``.

Decisions:

- ``extract`` merges with ``msgmerge``: existing translations are kept; a changed msgid
  becomes a *fuzzy* entry with its previous translation (``check`` reports it: review it,
  then ``fill`` or remove the ``fuzzy`` flag); entries no longer in the sources are dropped
  (git keeps their history). An untranslated entry whose exact msgid is translated in the
  other domain's catalog of the same language takes that translation, so both packages
  say the same thing. Output is reproducible: sorted sources, no line wrapping, references
  without line numbers, and a catalog whose only change would be its ``POT-Creation-Date``
  is left untouched.
- English is the source language: the ``en`` catalogs keep every ``msgstr`` empty (gettext
  and Django then show the msgid itself). ``check`` requires nothing of them but being
  free of fuzzy entries and compiled. Every other language must translate every entry.
- French typography: the apostrophe ``’`` (never ``'``); a plain space before ``: ; ? !``
  (never a no-break one: one convention, easy to type and to search for); the ellipsis
  ``…`` where the source has one; "Mo"/"Ko" for MB/KB. Placeholders (``{count}``,
  ``%(name)s``) must be the same in msgid and msgstr. ``check`` enforces both.
- Vocabulary (teacher training, francophone): situation professionnelle authentique,
  situation de formation, analyse réflexive, brouillon, soumettre, pièce jointe,
  référentiel de compétences, niveau de maîtrise; learners are "apprenants", their pupils
  "élèves"; an evidence item is a "situation" for learners, an "élément de preuve" in the
  admin.
- A ``.mo`` is stale when its catalog (as Python's ``gettext`` reads it) differs from the
  translated, non-fuzzy entries of its ``.po``: file dates are not used, since git does not
  keep them, nor bytes, which may differ between versions of ``msgfmt``.
- ``check`` also runs ``xgettext`` on the sources and reports strings missing from the
  catalogs (``extract`` was not run after a change).
"""
import argparse
import datetime
import gettext
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LOCALE_DIR = REPO / "locale"
SOURCE_LANGUAGE = "en"
LANGUAGES = {
    "en": ("English", "nplurals=2; plural=(n != 1);"),
    "fr": ("French", "nplurals=2; plural=(n > 1);"),
}
DOMAINS = {"text": "portfolio_xblock", "django": "competency_plugin"}
PACKAGE_NAME = "openedx-competency-portfolio"
PYTHON_SUFFIXES = (".py",)
TEMPLATE_SUFFIXES = (".html", ".txt")
KEYWORDS = (
    "_", "gettext", "ugettext", "gettext_lazy", "ugettext_lazy", "gettext_noop", "ugettext_noop",
    "ngettext:1,2", "ungettext:1,2", "ngettext_lazy:1,2", "ungettext_lazy:1,2",
    "pgettext:1c,2", "pgettext_lazy:1c,2", "npgettext:1c,2,3", "npgettext_lazy:1c,2,3",
)
COMMON_OPTIONS = ("--no-wrap", "--add-location=file")
BRACE_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
NAMED_PERCENT_PLACEHOLDER = re.compile(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
POSITIONAL_PERCENT_PLACEHOLDER = re.compile(r"%[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
NO_BREAK_SPACES = re.compile("[\u00a0\u202f]")
MISSING_SPACE_BEFORE_PUNCTUATION = re.compile(r"[^\s][;?!]|[^\s]:(?=\s|$)")
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v", '"': '"', "\\": "\\"}


class I18nError(Exception):
    """A gettext tool failed or a file is malformed; the message says which."""


# --- reading and writing .po files -------------------------------------------------------


@dataclass
class Entry:
    """One message of a .po file, with the raw lines it came from (to rewrite only what changes)."""

    comments: list = field(default_factory=list)
    msgctxt: str = None
    msgid: str = ""
    msgid_plural: str = None
    msgstr: dict = field(default_factory=dict)  # plural index (0 for a singular entry) -> text
    obsolete: bool = False
    raw_keys: list = field(default_factory=list)  # raw msgctxt/msgid/msgid_plural lines

    @property
    def flags(self):
        """The flags of the entry (``fuzzy``, ``python-brace-format``...)."""
        found = set()
        for line in self.comments:
            if line.startswith("#,"):
                found.update(flag.strip() for flag in line[2:].split(","))
        return found

    @property
    def is_header(self):
        """Whether this is the header entry (empty msgid, no context)."""
        return self.msgid == "" and self.msgctxt is None

    @property
    def key(self):
        """What identifies the message: (context, msgid, plural msgid)."""
        return (self.msgctxt, self.msgid, self.msgid_plural)

    @property
    def translated(self):
        """Whether every form has a non-empty translation."""
        return bool(self.msgstr) and all(self.msgstr.values())

    def forms(self):
        """Return (source text, translation) pairs: one for a singular entry, one per form for a plural one."""
        if self.msgid_plural is None:
            return [(self.msgid, self.msgstr.get(0, ""))]
        return [(self.msgid if index == 0 else self.msgid_plural, text) for index, text in sorted(self.msgstr.items())]

    def label(self):
        """A one-line description of the message for reports."""
        text = json.dumps(self.msgid, ensure_ascii=False)
        if self.msgid_plural is not None:
            text += " / " + json.dumps(self.msgid_plural, ensure_ascii=False)
        if self.msgctxt is not None:
            text = f"[{self.msgctxt}] {text}"
        return text


def unescape(text):
    """Decode the body of a PO string literal."""
    return re.sub(r"\\(.)", lambda match: ESCAPES.get(match.group(1), match.group(1)), text)


def escape(text):
    """Encode text as the body of a PO string literal."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n")


def quote_lines(keyword, text):
    """Return the lines of ``keyword "text"``, split after each newline as gettext does."""
    parts = re.findall(r"[^\n]*\n|[^\n]+", text) or [""]
    if len(parts) == 1:
        return [f'{keyword} "{escape(parts[0])}"']
    return [f'{keyword} ""'] + [f'"{escape(part)}"' for part in parts]


KEYWORD_LINE = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+"(.*)"$')
CONTINUATION_LINE = re.compile(r'^"(.*)"$')


def read_po(path):
    """Parse a .po file into a list of ``Entry`` (the header first, obsolete entries included)."""
    entries = []
    entry = Entry()
    current, index = None, 0  # the string being read: "msgid", "msgstr"... and its plural index

    for number, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines() + [""], 1):
        line = raw.strip()
        obsolete = line.startswith("#~")
        body = line[2:].strip() if obsolete else line
        is_comment = (line.startswith("#") and not obsolete) or body.startswith("|")
        keyword = KEYWORD_LINE.match(body)
        starts_entry = is_comment or (keyword and keyword.group(1) in ("msgctxt", "msgid"))
        if not line or (starts_entry and current == "msgstr"):
            if entry.raw_keys:
                entries.append(entry)
            elif entry.comments:
                raise I18nError(f"{path}:{number}: comments without a message")
            entry, current = Entry(), None
        if not line:
            continue
        if is_comment:
            entry.comments.append(raw)
        elif keyword:
            current, index = keyword.group(1).split("[")[0], int(keyword.group(2) or 0)
            entry.obsolete = entry.obsolete or obsolete
            if current == "msgstr":
                entry.msgstr[index] = unescape(keyword.group(3))
            else:
                setattr(entry, current, unescape(keyword.group(3)))
                entry.raw_keys.append(raw)
        elif (continuation := CONTINUATION_LINE.match(body)) and current:
            if current == "msgstr":
                entry.msgstr[index] += unescape(continuation.group(1))
            else:
                setattr(entry, current, getattr(entry, current) + unescape(continuation.group(1)))
                entry.raw_keys.append(raw)
        else:
            raise I18nError(f"{path}:{number}: cannot parse {raw!r}")
    return entries


def format_entry(entry):
    """Return the lines of an entry; its comments and msgid lines are written back as they were read."""
    lines = list(entry.comments) + list(entry.raw_keys)
    if entry.msgid_plural is None:
        lines += quote_lines("msgstr", entry.msgstr.get(0, ""))
    else:
        for index in sorted(entry.msgstr):
            lines += quote_lines(f"msgstr[{index}]", entry.msgstr[index])
    return lines


def write_po(path, entries):
    """Write entries to a .po file, then let ``msgcat`` give it gettext's canonical layout."""
    text = "\n\n".join("\n".join(format_entry(entry)) for entry in entries) + "\n"
    Path(path).write_text(text, encoding="utf-8")
    run("msgcat", *COMMON_OPTIONS, "--output-file", str(path), str(path))


def header_fields(entries):
    """Return the header of a catalog as a dict."""
    header = next((entry for entry in entries if entry.is_header), None)
    if header is None:
        return {}
    pairs = (line.split(":", 1) for line in header.msgstr.get(0, "").splitlines() if ":" in line)
    return {name.strip(): value.strip() for name, value in pairs}


def set_header_field(entries, name, value):
    """Set one field of the header entry."""
    header = next(entry for entry in entries if entry.is_header)
    lines = header.msgstr.get(0, "").splitlines()
    lines = [f"{name}: {value}" if line.split(":", 1)[0] == name else line for line in lines]
    header.msgstr[0] = "".join(line + "\n" for line in lines)


def accept_translation(entry, msgstr):
    """Give an entry its translation: drop its fuzzy flag and the previous msgid msgmerge noted."""
    entry.msgstr = dict(msgstr)
    comments = []
    for line in entry.comments:
        if line.startswith("#|"):
            continue
        if line.startswith("#,"):
            flags = [flag.strip() for flag in line[2:].split(",") if flag.strip() not in ("", "fuzzy")]
            if not flags:
                continue
            line = "#, " + ", ".join(flags)
        comments.append(line)
    entry.comments = comments


# --- helpers -------------------------------------------------------------------------------


def run(*command, cwd=None):
    """Run a gettext tool; raise ``I18nError`` with its output if it fails."""
    if shutil.which(command[0]) is None:
        raise I18nError(f"{command[0]} is not installed (Debian package: gettext)")
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise I18nError(f"{' '.join(command)} failed:\n{result.stderr.strip()}")
    return result.stdout


def relative(path):
    """A path relative to the repository, for messages."""
    try:
        return str(Path(path).relative_to(REPO))
    except ValueError:
        return str(path)


def catalog_path(language, domain, suffix=".po"):
    """Path of one catalog."""
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}{suffix}"


def catalogs():
    """Every (language, domain, .po path) of the project."""
    return [(language, domain, catalog_path(language, domain)) for language in LANGUAGES for domain in DOMAINS]


def source_files(package):
    """The translatable sources of a package, sorted, relative to the repository; links not followed."""
    found = []
    for dirpath, dirnames, filenames in os.walk(REPO / package):
        dirnames[:] = sorted(name for name in dirnames if name != "__pycache__" and not name.startswith("."))
        for filename in filenames:
            path = Path(dirpath) / filename
            if not path.is_symlink() and filename.endswith(PYTHON_SUFFIXES + TEMPLATE_SUFFIXES):
                found.append(path.relative_to(REPO).as_posix())
    return sorted(found)


def placeholders(text, python_format=False):
    """The placeholders of a string, sorted: ``{name}`` and ``%(name)s`` always, ``%s`` if python-format."""
    found = BRACE_PLACEHOLDER.findall(text.replace("{{", "").replace("}}", ""))
    without_escapes = text.replace("%%", "")
    found += NAMED_PERCENT_PLACEHOLDER.findall(without_escapes)
    if python_format:
        found += POSITIONAL_PERCENT_PLACEHOLDER.findall(NAMED_PERCENT_PLACEHOLDER.sub("", without_escapes))
    return sorted(found)


def typography_errors(entry):
    """Describe departures from the French conventions of this project (see the module docstring)."""
    errors = []
    for index, (_source, translation) in enumerate(entry.forms()):
        translation = NAMED_PERCENT_PLACEHOLDER.sub("x", BRACE_PLACEHOLDER.sub("x", translation))
        if "'" in translation:
            errors.append(f"msgstr[{index}] has a straight apostrophe: use ’")
        if NO_BREAK_SPACES.search(translation):
            errors.append(f"msgstr[{index}] has a no-break space: use a plain space")
        if MISSING_SPACE_BEFORE_PUNCTUATION.search(translation):
            errors.append(f"msgstr[{index}] needs a space before : ; ? !")
    return errors


def placeholder_errors(entry):
    """Describe each form of an entry whose placeholders differ from its source text's."""
    python_format = "python-format" in entry.flags
    errors = []
    for index, (source, translation) in enumerate(entry.forms()):
        if translation and placeholders(source, python_format) != placeholders(translation, python_format):
            errors.append(
                f"msgstr[{index}] has placeholders {placeholders(translation, python_format)}, "
                f"expected {placeholders(source, python_format)}"
            )
    return errors


# --- extract -------------------------------------------------------------------------------


def build_template(domain, workdir):
    """Run ``xgettext`` on a domain's sources; return the path of the .pot written in ``workdir``."""
    from django.utils.translation.template import templatize  # pylint: disable=import-outside-toplevel

    sources = source_files(DOMAINS[domain])
    converted = Path(workdir) / "templates"
    inputs = []
    for source in sources:
        if source.endswith(TEMPLATE_SUFFIXES):
            target = converted / (source + ".py")
            target.parent.mkdir(parents=True, exist_ok=True)
            content = (REPO / source).read_text(encoding="utf-8")
            target.write_text(templatize(content, origin=source), encoding="utf-8")
            inputs.append(source + ".py")
        else:
            inputs.append(source)
    pot = Path(workdir) / f"{domain}.pot"
    run(
        "xgettext", "--language=Python", "--from-code=UTF-8", "--force-po", "--add-comments=Translators",
        f"--package-name={PACKAGE_NAME}", "--keyword", *(f"--keyword={keyword}" for keyword in KEYWORDS),
        *COMMON_OPTIONS, "--directory", str(REPO), "--directory", str(converted), "--output", str(pot), *inputs,
    )
    suffixes = "|".join(re.escape(suffix) for suffix in TEMPLATE_SUFFIXES)
    text = pot.read_text(encoding="utf-8")
    text = re.sub(r"^(#:.*)$", lambda m: re.sub(rf"({suffixes})\.py\b", r"\1", m.group(1)), text, flags=re.M)
    pot.write_text(text, encoding="utf-8")
    return pot


def new_catalog_text(pot, language, domain):
    """The text of a new catalog: the template's messages under a header of our own."""
    name, plural_forms = LANGUAGES[language]
    header = read_po(pot)[0]
    created = header_fields([header]).get("POT-Creation-Date", "")
    head = [
        f"# {name} translations of {PACKAGE_NAME}, domain {domain}.",
        f"# This file is distributed under the same license as the {PACKAGE_NAME} package.",
        "#",
        'msgid ""',
        'msgstr ""',
        f'"Project-Id-Version: {PACKAGE_NAME}\\n"',
        '"Report-Msgid-Bugs-To: \\n"',
        f'"POT-Creation-Date: {created}\\n"',
        f'"PO-Revision-Date: {created}\\n"',
        '"Last-Translator: \\n"',
        f'"Language-Team: {name}\\n"',
        f'"Language: {language}\\n"',
        '"MIME-Version: 1.0\\n"',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
        '"Content-Transfer-Encoding: 8bit\\n"',
        f'"Plural-Forms: {plural_forms}\\n"',
    ]
    body = pot.read_text(encoding="utf-8").split("\n\n", 1)
    return "\n".join(head) + "\n\n" + (body[1] if len(body) > 1 else "")


def without_creation_date(text):
    """Catalog text without its POT-Creation-Date line (to tell real changes from a new date)."""
    return re.sub(r'^"POT-Creation-Date: .*\\n"$', "", text, flags=re.M)


def reuse_translations(language):
    """Give untranslated entries of one language the translation of the same message in another domain."""
    paths = [catalog_path(language, domain) for domain in DOMAINS]
    parsed = {path: read_po(path) for path in paths if path.exists()}
    known = {}
    for entries in parsed.values():
        for entry in entries:
            if entry.translated and not entry.is_header and not entry.obsolete and "fuzzy" not in entry.flags:
                known.setdefault(entry.key, entry.msgstr)
    reused = 0
    for path, entries in parsed.items():
        changed = False
        for entry in entries:
            needs_one = not entry.translated or "fuzzy" in entry.flags
            if not entry.is_header and needs_one and entry.key in known:
                accept_translation(entry, known[entry.key])
                changed = True
                reused += 1
        if changed:
            write_po(path, entries)
    return reused


def extract(_args):
    """Extract the strings of each domain and merge them into every language's catalog."""
    with tempfile.TemporaryDirectory(prefix="i18n-") as workdir:
        for domain in DOMAINS:
            pot = build_template(domain, workdir)
            for language in LANGUAGES:
                path = catalog_path(language, domain)
                path.parent.mkdir(parents=True, exist_ok=True)
                merged = Path(workdir) / f"{language}-{domain}.po"
                if path.exists():
                    run("msgmerge", "--quiet", "--previous", *COMMON_OPTIONS, "--output-file", str(merged),
                        str(path), str(pot))
                    run("msgattrib", "--no-obsolete", *COMMON_OPTIONS, "--output-file", str(merged), str(merged))
                else:
                    merged.write_text(new_catalog_text(pot, language, domain), encoding="utf-8")
                    run("msgcat", *COMMON_OPTIONS, "--output-file", str(merged), str(merged))
                text = merged.read_text(encoding="utf-8")
                old = path.read_text(encoding="utf-8") if path.exists() else None
                if old is None or without_creation_date(old) != without_creation_date(text):
                    path.write_text(text, encoding="utf-8")
    for language in LANGUAGES:
        if language != SOURCE_LANGUAGE:
            reused = reuse_translations(language)
            if reused:
                print(f"{language}: {reused} translation(s) taken from the other domain's catalog")
    for language, domain, path in catalogs():
        entries = [entry for entry in read_po(path) if not entry.is_header and not entry.obsolete]
        translated = sum(1 for entry in entries if entry.translated and "fuzzy" not in entry.flags)
        fuzzy = sum(1 for entry in entries if "fuzzy" in entry.flags)
        print(f"{relative(path)}: {len(entries)} messages, {translated} translated, {fuzzy} fuzzy")
    return 0


# --- todo and fill -------------------------------------------------------------------------


def todo(args):
    """Write, as JSON, the entries of the target languages that are untranslated or fuzzy."""
    items = {}
    for language, domain, path in catalogs():
        if language == SOURCE_LANGUAGE or (args.language and language != args.language) or not path.exists():
            continue
        for entry in read_po(path):
            if entry.is_header or entry.obsolete or (entry.translated and "fuzzy" not in entry.flags):
                continue
            item = items.setdefault((language,) + entry.key, {"language": language, "domains": []})
            item["domains"].append(domain)
            if entry.msgctxt is not None:
                item["msgctxt"] = entry.msgctxt
            item["msgid"] = entry.msgid
            if entry.msgid_plural is not None:
                item["msgid_plural"] = entry.msgid_plural
            previous = [entry.msgstr[index] for index in sorted(entry.msgstr)]
            if "fuzzy" in entry.flags:
                item["fuzzy_previous"] = previous if entry.msgid_plural is not None else previous[0]
            item["msgstr"] = ["", ""] if entry.msgid_plural is not None else ""
    text = json.dumps(list(items.values()), ensure_ascii=False, indent=2) + "\n"
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"{len(items)} entries to translate written to {args.output}")
    else:
        sys.stdout.write(text)
    return 0


def fill(args):
    """Write translations from a JSON file (as ``todo`` writes it) into the catalogs; clear their fuzzy flag."""
    items = json.loads(Path(args.file).read_text(encoding="utf-8"))
    wanted = {}
    for item in items:
        msgstr = item.get("msgstr")
        forms = msgstr if isinstance(msgstr, list) else [msgstr]
        if not forms or not all(isinstance(form, str) and form for form in forms):
            continue
        key = (item.get("language", "fr"), item.get("msgctxt"), item["msgid"], item.get("msgid_plural"))
        wanted[key] = dict(enumerate(forms))
    used = set()
    problems = []
    for language, _domain, path in catalogs():
        if not path.exists():
            continue
        entries = read_po(path)
        changed = False
        for entry in entries:
            key = (language,) + entry.key
            if key not in wanted or entry.is_header:
                continue
            used.add(key)
            if entry.translated and "fuzzy" not in entry.flags and entry.msgstr == wanted[key] and not args.overwrite:
                continue
            if entry.translated and "fuzzy" not in entry.flags and not args.overwrite:
                problems.append(f"{relative(path)}: kept the existing translation of {entry.label()} (use --overwrite)")
                continue
            accept_translation(entry, wanted[key])
            for error in placeholder_errors(entry) + (typography_errors(entry) if language == "fr" else []):
                problems.append(f"{relative(path)}: {entry.label()}: {error}")
            changed = True
        if changed:
            now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M+0000")
            set_header_field(entries, "PO-Revision-Date", now)
            write_po(path, entries)
            print(f"{relative(path)}: updated")
    for key in sorted(set(wanted) - used, key=str):
        problems.append(f"no catalog has the message {key[2]!r} (language {key[0]})")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 0


# --- compile and check ---------------------------------------------------------------------


def compile_catalogs(args):
    """
    Compile every .po of ``locale/`` into its .mo (written to a temporary name, then moved).

    With ``--stale-only``, a .mo already holding its catalog's translations is only touched (so
    that make sees it newer than its .po) and msgfmt is not needed: a fresh clone, whose .mo files
    are committed, builds without gettext.
    """
    for path in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
        target = path.with_suffix(".mo")
        if args.stale_only and target.exists() and compiled_catalog(target) == expected_catalog(read_po(path)):
            os.utime(target)
            continue
        temporary = target.with_name(target.name + ".tmp")
        run("msgfmt", "--check", "--output-file", str(temporary), str(path))
        os.replace(temporary, target)
        print(f"{relative(target)}: compiled")
    return 0


def expected_catalog(entries):
    """The catalog a .mo compiled from these entries holds, keyed as ``gettext.GNUTranslations`` keys it."""
    expected = {}
    for entry in entries:
        if entry.is_header:
            expected[""] = _comparable_header(entry.msgstr.get(0, ""))
            continue
        if entry.obsolete or "fuzzy" in entry.flags or not entry.translated:
            continue
        msgid = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            expected[msgid] = entry.msgstr[0]
        else:
            expected.update({(msgid, index): text for index, text in entry.msgstr.items()})
    return expected


def compiled_catalog(mo_path):
    """The catalog of a .mo file as Python's gettext reads it."""
    with open(mo_path, "rb") as handle:
        catalog = dict(gettext.GNUTranslations(handle)._catalog)  # pylint: disable=protected-access
    catalog[""] = _comparable_header(catalog.get("", ""))
    return catalog


def _comparable_header(text):
    """A header without POT-Creation-Date, which msgfmt leaves out of .mo files."""
    return "".join(line for line in text.splitlines(keepends=True) if not line.startswith("POT-Creation-Date:"))


def problems_of(language, path):
    """List the problems of one catalog: untranslated, fuzzy, wrong placeholders, stale or missing .mo."""
    if not path.exists():
        return [f"{relative(path)}: missing (run extract)"]
    entries = read_po(path)
    problems = []
    headers = header_fields(entries)
    plural_forms = (headers.get("Plural-Forms"), LANGUAGES[language][1])
    if plural_forms[0] != plural_forms[1]:
        problems.append(f"{relative(path)}: header Plural-Forms is {plural_forms[0]!r}, expected {plural_forms[1]!r}")
    for entry in entries:
        if entry.is_header or entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"{relative(path)}: fuzzy: {entry.label()}")
            continue  # its translation is a guess, to review: not checked further
        if language != SOURCE_LANGUAGE and not entry.translated:
            problems.append(f"{relative(path)}: untranslated: {entry.label()}")
        errors = placeholder_errors(entry) + (typography_errors(entry) if language == "fr" else [])
        problems += [f"{relative(path)}: {entry.label()}: {error}" for error in errors]
    mo_path = path.with_suffix(".mo")
    if not mo_path.exists():
        problems.append(f"{relative(mo_path)}: missing (run compile)")
    elif compiled_catalog(mo_path) != expected_catalog(entries):
        problems.append(f"{relative(mo_path)}: differs from {path.name} (run compile)")
    return problems


def unextracted(path, pot_entries):
    """List the messages of the sources that a catalog lacks."""
    have = {entry.key for entry in read_po(path)} if path.exists() else set()
    return [
        f"{relative(path)}: not extracted yet (run extract): {entry.label()}"
        for entry in pot_entries
        if not entry.is_header and entry.key not in have
    ]


def check(_args):
    """Print every problem of the catalogs; return 1 if there is any."""
    problems = []
    with tempfile.TemporaryDirectory(prefix="i18n-") as workdir:
        for domain in DOMAINS:
            pot_entries = read_po(build_template(domain, workdir))
            for language in LANGUAGES:
                problems += unextracted(catalog_path(language, domain), pot_entries)
    for language, _domain, path in catalogs():
        problems += problems_of(language, path)
        if path.exists():
            try:
                run("msgfmt", "--check", "--output-file", os.devnull, str(path))
            except I18nError as error:
                problems.append(f"{relative(path)}: {error}")
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problem(s)" if problems else "Catalogs complete and compiled.")
    return 1 if problems else 0


def main(argv=None):
    """Parse the command line and run a subcommand."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0].strip())
    commands = parser.add_subparsers(dest="command", required=True)
    extract_parser = commands.add_parser("extract", help="extract strings into every catalog, keeping translations")
    extract_parser.set_defaults(func=extract)
    todo_parser = commands.add_parser("todo", help="write the entries still to translate as JSON")
    todo_parser.add_argument("-o", "--output", help="file to write (default: standard output)")
    todo_parser.add_argument("-l", "--language", help="only this language")
    todo_parser.set_defaults(func=todo)
    fill_parser = commands.add_parser("fill", help="write translations from a JSON file into the catalogs")
    fill_parser.add_argument("file")
    fill_parser.add_argument("--overwrite", action="store_true", help="replace translations that exist")
    fill_parser.set_defaults(func=fill)
    compile_parser = commands.add_parser("compile", help="compile every .po into its .mo")
    compile_parser.add_argument("--stale-only", action="store_true",
                                help="compile only the catalogs whose .mo lacks their translations")
    compile_parser.set_defaults(func=compile_catalogs)
    check_parser = commands.add_parser("check", help="list untranslated, fuzzy, unextracted or uncompiled messages")
    check_parser.set_defaults(func=check)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except I18nError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
