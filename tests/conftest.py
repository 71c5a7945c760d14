"""Shared fixtures: portfolio scenarios loaded into the real xblock-sdk workbench runtime."""
import itertools
import json

import pytest
from workbench import scenarios as workbench_scenarios
from workbench.runtime import WorkbenchRuntime

_counter = itertools.count()


class Scenario:
    """A workbench scenario holding portfolio blocks, driven through the workbench's real URLs."""

    def __init__(self, client, xml):
        self.client = client
        self.name = f"test.{next(_counter)}"
        self.description = f"Test scenario {self.name}"
        workbench_scenarios.add_xml_scenario(self.name, self.description, xml)
        self.usage_id = workbench_scenarios.SCENARIOS[self.name].usage_id
        root = WorkbenchRuntime().get_block(self.usage_id)
        children = getattr(root, "children", None) or []
        self.block_ids = list(children) if children else [self.usage_id]

    @property
    def block_id(self):
        """The usage id of the first portfolio block."""
        return self.block_ids[0]

    def block(self, student="learner1", index=0):
        """Return a block instance as ``student`` sees it."""
        return WorkbenchRuntime(student).get_block(self.block_ids[index])

    def render(self, student="learner1", language="fr"):
        """GET the scenario page as ``student``."""
        return self.client.get(f"/scenario/{self.name}/", {"student": student}, HTTP_ACCEPT_LANGUAGE=language)

    def handler_url(self, handler, student="learner1", index=0, suffix=""):
        """The workbench URL of a handler of one block."""
        return f"/handler/{self.block_ids[index]}/{handler}/{suffix}?student={student}"

    def post_json(self, handler, payload, student="learner1", index=0, language="en"):
        """POST a JSON payload (or raw bytes/str) to a handler; return (status, decoded JSON body)."""
        body = payload if isinstance(payload, (bytes, str)) else json.dumps(payload)
        response = self.client.post(
            self.handler_url(handler, student, index), data=body, content_type="application/json",
            HTTP_ACCEPT_LANGUAGE=language,
        )
        try:
            return response.status_code, json.loads(response.content)
        except ValueError:
            return response.status_code, response.content

    def upload(  # pylint: disable=too-many-arguments,too-many-positional-arguments
        self, evidence_uuid, name, content, student="learner1", index=0, content_type="application/octet-stream"
    ):
        """POST a multipart upload to the ``upload_file`` handler; return (status, decoded JSON body)."""
        from django.core.files.uploadedfile import SimpleUploadedFile  # pylint: disable=import-outside-toplevel

        response = self.client.post(
            self.handler_url("upload_file", student, index),
            data={"uuid": str(evidence_uuid), "file": SimpleUploadedFile(name, content, content_type=content_type)},
            HTTP_ACCEPT_LANGUAGE="en",
        )
        return response.status_code, json.loads(response.content)

    def remove(self):
        """Forget the scenario."""
        workbench_scenarios.SCENARIOS.pop(self.name, None)


@pytest.fixture
def make_scenario(client, db):  # pylint: disable=unused-argument
    """Return a factory that loads portfolio XML elements (wrapped in a vertical) as a scenario."""
    created = []

    def _make(*blocks_xml):
        xml = "<vertical_demo>" + "".join(blocks_xml) + "</vertical_demo>"
        scenario = Scenario(client, xml)
        created.append(scenario)
        return scenario

    yield _make
    for scenario in created:
        scenario.remove()


@pytest.fixture
def portfolio(make_scenario):
    """One portfolio block with default settings."""
    return make_scenario('<portfolio display_name="Portfolio" min_evidence="1"/>')


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: what one cached (a course's blocks) must not reach the next."""
    from django.core.cache import cache  # pylint: disable=import-outside-toplevel

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def english():
    """Messages checked in English, the source language (the demo settings default to French)."""
    from django.utils import translation  # pylint: disable=import-outside-toplevel

    with translation.override("en"):
        yield
