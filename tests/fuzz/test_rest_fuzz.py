"""
Every endpoint under ``/api/competency/v1/``, fed generated requests.

The endpoints are read from the URLconf when the tests are collected, so an endpoint added
later is fuzzed too. Path parameters get known identifiers, malformed UUIDs, invalid course
keys and hostile text (never a ``/``, which would reach another URL, not the endpoint); query
strings and bodies get the plugin's field names with values of every type; callers are
anonymous, a learner, staff, or carry a forged ``Authorization`` header. Every answer is a
success or a 4xx with a JSON message, never a 5xx, and a refusal writes nothing.
"""
import functools
import re
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLResolver
from hypothesis import given
from hypothesis import strategies as st

from competency_plugin import urls as plugin_urls
from tests.fuzz.conftest import check_answer, plugin_snapshot, rolled_back
from tests.fuzz.strategies import (
    FIELD_NAMES,
    FUZZ,
    VALID_COURSE_KEYS,
    course_keys,
    json_body,
    json_values,
    numbers,
    path_segments,
    plausible_text,
    text,
    uuids,
    variants,
)

pytestmark = pytest.mark.django_db

API_PREFIX = "api/competency/v1/"
_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def api_routes():
    """
    Every route of the plugin's URLconf under ``/api/competency/v1/``, as a path pattern with
    ``<converter:name>``.

    The plugin's URLconf (mounted at the site's root, as the LMS mounts it) is read, not the
    site's: importing the site's while the tests are collected would build it with the settings
    of collection time (``DEBUG`` on, hence the workbench's catch-all static route) for the whole run.
    """
    routes = []

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern).lstrip("^").rstrip("$")
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif route.startswith(API_PREFIX):
                routes.append(route)

    walk(plugin_urls.urlpatterns, "")
    return sorted(routes)


ROUTES = api_routes()
METHODS = st.sampled_from(["GET"] * 6 + ["POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"])
CALLERS = st.sampled_from(["learner1"] * 3 + ["staff1"] * 3 + ["learner2", None])
ACCEPT = st.sampled_from(["application/json", "*/*", "text/csv", "application/zip", "text/html", "x/y;q=nope", ""])
# Header values reach Django as Latin-1 text (WSGI): nothing else can be forged.
LATIN1 = st.text(st.characters(max_codepoint=255, exclude_characters="\r\n"), max_size=80)
AUTHORIZATION = st.one_of(
    st.none(), st.none(), st.builds(lambda scheme, token: f"{scheme} {token}",
                                    st.sampled_from(["JWT", "Bearer", "Basic", ""]), LATIN1),
)


@functools.lru_cache(maxsize=8)
def path_values(world, converter, name):
    """Values of one path parameter, by its converter and name."""
    if converter == "uuid":
        return st.one_of(st.sampled_from(world.uuids), st.uuids().map(str))
    if converter == "int":
        return st.integers(0, 10**12).map(str)
    if converter == "slug":
        return st.from_regex(r"[-a-zA-Z0-9_]{1,40}", fullmatch=True)
    if "course" in name:
        keys = course_keys().filter(lambda key: "/" not in key)
        return st.one_of(st.sampled_from([key for key in VALID_COURSE_KEYS if "/" not in key]),
                         keys.map(lambda key: quote(key.encode("utf-8", "surrogatepass"), safe="") or "%20"))
    if "user" in name:
        return path_segments("learner1", "learner2", "staff1", "nobody")
    return path_segments(*world.uuids)


def paths(world, route):
    """URLs of ``route`` with every ``<converter:name>`` replaced by a generated, percent-encoded value."""
    parts = _PARAMETER.split(route)
    # split gives: text, converter, name, text, converter, name, ..., text
    pieces = [st.just(parts[0])]
    for index in range(1, len(parts), 3):
        pieces.append(path_values(world, parts[index] or "str", parts[index + 1]))
        pieces.append(st.just(parts[index + 2]))
    return st.tuples(*pieces).map(lambda values: "/" + "".join(values))


def query_strings(world):
    """A query string: the plugin's parameter names (and others), with values of every kind, repeated or not."""
    value = st.one_of(
        st.sampled_from(["1", "0", "-1", "csv", "json", "fr", "en", "submitted,accepted", "all", "learner1"]),
        st.sampled_from(list(VALID_COURSE_KEYS) + world.uuids),
        course_keys(), text(), numbers().map(str),
    )
    name = st.one_of(st.sampled_from(FIELD_NAMES), text().filter(lambda item: len(item) < 100))
    pairs = st.lists(st.tuples(name, value), max_size=5)
    return pairs.map(lambda items: "&".join(
        quote(key.encode("utf-8", "surrogatepass"), safe="") + "=" + quote(item.encode("utf-8", "surrogatepass"),
                                                                           safe="")
        for key, item in items
    ))


@functools.lru_cache(maxsize=8)
def bodies(world):
    """Request bodies: a policy (the one body the API reads) around plausible values, or anything else."""
    requirement = variants({
        "competence": st.one_of(st.sampled_from(world.competences), uuids()),
        "min_validated": st.one_of(st.integers(0, 3), numbers()),
        "min_authentic": st.one_of(st.integers(0, 3), numbers()),
    })
    policy = variants({
        "framework": st.one_of(st.just(world.framework), uuids()),
        "requirements": st.one_of(st.lists(requirement, max_size=3), json_values(4)),
        "min_authentic": st.one_of(st.integers(0, 3), numbers()),
        "min_level": st.sampled_from(["", "A", "B", "Z"]),
        "require_blocks_completed": st.one_of(st.booleans(), json_values(2)),
        "certificate_gate": st.one_of(st.booleans(), json_values(2)),
    })
    others = st.dictionaries(st.sampled_from(FIELD_NAMES), json_values(4), max_size=4)
    return json_body(st.one_of(policy, policy, others, st.fixed_dictionaries({"title": plausible_text()})))


def test_the_api_has_endpoints():
    """The list comes from the URLconf: if it were empty, nothing below would be tested."""
    assert f"{API_PREFIX}frameworks/" in ROUTES and len(ROUTES) >= 4, ROUTES


@pytest.mark.parametrize("route", ROUTES)
@FUZZ
@given(data=st.data())
def test_endpoint(client, world, route, data):
    """Generated requests to one endpoint: a success or a 4xx with a JSON message, nothing written on refusal."""
    caller = data.draw(CALLERS, label="caller")
    if caller:
        client.force_login(get_user_model().objects.get(username=caller))
    else:
        client.logout()
    method = data.draw(METHODS, label="method")
    path = data.draw(paths(world, route), label="path")
    query = data.draw(query_strings(world), label="query")
    body = data.draw(bodies(world), label="body") if method in ("POST", "PUT", "PATCH", "DELETE") else b""
    headers = {"HTTP_ACCEPT": data.draw(ACCEPT, label="accept"), "HTTP_ACCEPT_LANGUAGE": "fr"}
    authorization = data.draw(AUTHORIZATION, label="authorization")
    if authorization is not None:
        headers["HTTP_AUTHORIZATION"] = authorization
    with rolled_back():
        before = plugin_snapshot()
        response = client.generic(method, f"{path}?{query}", data=body, content_type="application/json", **headers)
        check_answer(response, before, method=method, body=body)
