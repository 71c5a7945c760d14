"""
Hypothesis settings and strategies of hostile input shared by the fuzz tests.

Examples per test: 25 by default (``make test`` stays fast), 400 with
``HYPOTHESIS_PROFILE=thorough``; ``HYPOTHESIS_PROFILE=debug`` reports a failure unshrunk.
Default runs are derandomized and keep no example database, so a run in CI is the same every
time; the thorough profile explores at random.
"""
import functools
import json
import os
import uuid
from urllib.parse import quote

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

_HEALTH = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large]
settings.register_profile(
    "fuzz-default", max_examples=25, derandomize=True, database=None, deadline=None, suppress_health_check=_HEALTH,
    print_blob=True,
)
settings.register_profile(
    "fuzz-thorough", max_examples=400, database=None, deadline=None, suppress_health_check=_HEALTH, print_blob=True,
)
# ``HYPOTHESIS_PROFILE=debug``: the default examples, the first failure reported as found (not shrunk).
settings.register_profile("fuzz-debug", settings.get_profile("fuzz-default"), phases=[Phase.explicit, Phase.generate])
FUZZ = settings.get_profile("fuzz-" + {"thorough": "thorough", "debug": "debug"}.get(
    os.environ.get("HYPOTHESIS_PROFILE", ""), "default"))

# Text that broke or could break some layer: NUL, lone surrogates, bidirectional controls, a
# byte-order mark, characters outside the Basic Multilingual Plane, markup, SQL, format strings…
NASTY_STRINGS = (
    "", " ", "\x00", "a\x00b", "\ud800", "\udfff", "x\udce9y", "\u202eevil", "\u200f\u2066", "\ufeff",
    "\U0001f600", "\U0001d54f\U0010ffff", "\U0001f3f3\ufe0f\u200d\U0001f308", "\u0645\u0631\u062d\u0628\u0627",
    "<script>alert(1)</script>", "'; DROP TABLE competency_plugin_evidence; --", "%s%n%x", "{0}{name}{}",
    "../../etc/passwd", "null", "NaN", "-0", "1e309", "9" * 400, "\r\n\r\n", "e\u0301" * 300, " " * 300,
    "true", "[]", "{}",
)
SURROGATES = st.characters(categories=["Cs"])


@functools.lru_cache(maxsize=None)
def huge_strings():
    """Strings from 1,000 to 60,000 characters (far above every field's limit), of one repeated piece."""
    return st.builds(lambda piece, count: piece * count, st.sampled_from(["a", "é", "\U0001f600", "<b>", "\x00"]),
                     st.integers(1_000, 60_000))


@functools.lru_cache(maxsize=None)
def text():
    """Any text a client could send, hostile ones first."""
    return st.one_of(
        st.sampled_from(NASTY_STRINGS),
        st.text(max_size=40),
        st.text(st.characters(categories=["Cc", "Cf", "Cs", "Zl", "Zp", "Co", "So"]), max_size=20),
        huge_strings(),
    )


@functools.lru_cache(maxsize=None)
def numbers():
    """Integers and floats of every awkward kind (JSON carries NaN and infinities as Python writes them)."""
    return st.one_of(
        st.sampled_from([0, -1, 1, 2, 2**31, 2**63, -(2**63) - 1, 10**100, 1.5, -0.0, float("nan"), float("inf")]),
        st.integers(),
        st.floats(),
    )


@functools.lru_cache(maxsize=None)
def scalars():
    """Values of every JSON type but containers."""
    return st.one_of(st.none(), st.booleans(), numbers(), text())


@functools.lru_cache(maxsize=None)
def json_values(max_leaves=12):
    """Any JSON value, nested."""
    return st.recursive(
        scalars(),
        lambda children: st.one_of(
            st.lists(children, max_size=4), st.dictionaries(st.one_of(text(), st.sampled_from(FIELD_NAMES)), children,
                                                            max_size=4)),
        max_leaves=max_leaves,
    )


@functools.lru_cache(maxsize=None)
def uuids(*known):
    """UUID-looking input: real ones of existing rows (``known``), random ones, broken ones."""
    options = [
        st.uuids().map(str),
        st.uuids().map(lambda value: value.hex.upper()),
        st.sampled_from(["", "nope", "12345678-1234-1234-1234-1234567890ab", "0" * 32,
                         "{" + str(uuid.UUID(int=1)) + "}",
                         str(uuid.UUID(int=1)) + "\x00", "urn:uuid:" + str(uuid.UUID(int=2)), "g" * 36]),
        text(),
    ]
    if known:
        options.insert(0, st.sampled_from([str(value) for value in known]))
    return st.one_of(*options)


VALID_COURSE_KEYS = ("course-v1:workbench+portfolio+demo", "course-v1:edX+Portfolio+2026", "edX/DemoX/Demo_Course")


@functools.lru_cache(maxsize=None)
def course_keys():
    """Course keys: valid ones, of other courses, and malformed ones."""
    return st.one_of(
        st.sampled_from(VALID_COURSE_KEYS),
        st.sampled_from(["course-v1:", "course-v1:a+b", "course-v1:a+b+c+d", "ccx-v1:a+b+c+ccx@x", "lib:a:b",
                         "course-v1:\u00e9+\u00e8+\u00ea", "course-v1:a+b+c\x00", "block-v1:a+b+c+type@p+block@x"]),
        st.builds(lambda org, run: f"course-v1:{org}+X+{run}", text(), text()),
        text(),
    )


@functools.lru_cache(maxsize=None)
def usage_keys():
    """Usage keys: valid ones and malformed ones."""
    return st.one_of(
        st.sampled_from(["block-v1:workbench+portfolio+demo+type@portfolio+block@x",
                         "block-v1:edX+Portfolio+2026+type@portfolio+block@situations",
                         "i4x://edX/DemoX/portfolio/x", "block-v1:", "block-v1:a+b+c+type@+block@",
                         "block-v1:a+b+c+type@p+block@\x00"]),
        text(),
    )


# Every name a handler or endpoint reads, so that random objects hit real fields too.
FIELD_NAMES = (
    "uuid", "client_key", "fields", "claims", "url", "title", "competence", "justification", "situation_type",
    "description", "analysis", "occurred_on", "school_level", "subject", "status", "learner", "page", "version",
    "base_decision", "outcome", "feedback", "competences", "level", "queue", "values", "defaults", "course_id",
    "course_key", "usage_key", "user_id", "username", "page_size", "language", "format", "kind", "file",
)


def objects(field_strategies, extra=True):
    """
    A JSON object whose fields come from ``field_strategies`` (name -> strategy), each present or
    missing at random, with extra fields (known names and random ones) now and then.
    """
    optional = st.fixed_dictionaries({}, optional=field_strategies)
    if not extra:
        return optional
    extras = st.dictionaries(st.one_of(st.sampled_from(FIELD_NAMES), text()), json_values(4), max_size=3)
    return st.builds(lambda extra_fields, fields: {**extra_fields, **fields}, extras, optional)


@functools.lru_cache(maxsize=None)
def plausible_text():
    """Text a real learner could type and the product must accept: accents, right-to-left, emoji beyond the BMP."""
    return st.one_of(
        st.sampled_from(["Séance de géométrie", "\u0645\u0631\u062d\u0628\u0627 \u05e9\u05dc\u05d5\u05dd",
                         "\U0001f469\u200d\U0001f3eb en classe \U0001f4da", "e\u0301le\u0300ve", "x" * 199]),
        st.text(st.characters(categories=["L", "M", "N", "P", "Zs", "So"]), min_size=1, max_size=60)
        .filter(lambda value: value.strip()),
    )


def variants(good):
    """
    Payloads around a plausible one (``good``: name -> strategy of plausible values): the
    plausible payload itself, the same with one field missing or of any type, or any mix of
    plausible, hostile and missing fields with extra ones.
    """
    valid = st.fixed_dictionaries(good)
    one_off = [
        st.one_of(
            st.fixed_dictionaries({**good, name: json_values(4)}),
            st.fixed_dictionaries({key: value for key, value in good.items() if key != name}),
        )
        for name in good
    ]
    mixed = objects({name: maybe(strategy) for name, strategy in good.items()})
    return st.one_of(valid, *one_off, mixed)


def maybe(strategy):
    """The strategy's value, or any other JSON value (a wrong type)."""
    return st.one_of(strategy, strategy, json_values(4))


@functools.lru_cache(maxsize=None)
def json_body(payloads):
    """A request body: the JSON of a payload, or bytes that are not (or not quite) a JSON object."""
    encoded = payloads.map(lambda payload: json.dumps(payload).encode("utf-8"))
    broken = st.one_of(
        st.binary(max_size=64),
        json_values(6).map(lambda value: json.dumps(value).encode("utf-8")),
        st.sampled_from([b"", b"{", b'{"uuid": "\\ud800"}', b'{"a": 1} trailing', b"\xff\xfe{\x00}", b"[" * 5000,
                         b'{"fields": ' * 3000, b"NaN", b'{"page": 1e999}']),
    )
    return st.one_of(encoded, encoded, encoded, broken)


@functools.lru_cache(maxsize=None)
def path_segments(*known, ascii_only=False):
    """
    A URL path segment, percent-encoded: known values, hostile text, and bytes that are not UTF-8.

    ``ascii_only``: only ASCII once decoded (controls included, but line breaks, which the
    workbench's URL pattern does not match). The workbench's handler view re-encodes the path
    to Latin-1 before the block sees it and fails on anything else: a bug of the workbench, not
    of the block (the LMS passes the suffix on as text).
    """
    if ascii_only:
        hostile = st.one_of(st.text(st.characters(max_codepoint=127, exclude_characters="\r\n"), max_size=60),
                            st.sampled_from(["..", ".", "%", "\x00", "12345678-1234-1234-1234-1234567890ab"]))
    else:
        hostile = st.one_of(text().filter(lambda value: len(value) < 2000), st.binary(min_size=1, max_size=24))
    plain = st.one_of(st.sampled_from([str(value) for value in known] or ["x"]), hostile)
    return plain.filter(lambda value: ("/" not in value) if isinstance(value, str) else (b"/" not in value)).map(
        lambda value: quote(value.encode("utf-8", "surrogatepass") if isinstance(value, str) else value, safe="")
        or "%20"
    )
