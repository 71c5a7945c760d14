"""
The CASE 1.1 provider serving a framework of ``CASE_ITEMS`` items (``/ims/case/v1p1/``): the
whole package, the list of documents, one item and one item's associations, through Django's
test client (anonymous, as a CASE consumer asks), with SQL queries and median time per request.
"""
import json

from django.test import Client

from bench import framework_files
from competency_plugin import api

CASE_ITEMS = 500
ROOT = "/ims/case/v1p1/"


def measure_case_provider(timer, check):
    """Import the framework, check what is served against the CASE 1.1 schema, then time each request."""
    content = framework_files.case_package(CASE_ITEMS, variant="-provider", title="Served framework (benchmark)")
    document = json.loads(content)["CFDocument"]["identifier"]
    api.import_framework(content, format="case")
    client = Client()
    package = check(client.get(f"{ROOT}CFPackages/{document}")).json()
    errors = api.case_package_errors(package)
    item = package["CFItems"][len(package["CFItems"]) // 2]["identifier"]
    paths = {
        "package": f"{ROOT}CFPackages/{document}",
        "documents": f"{ROOT}CFDocuments",
        "item": f"{ROOT}CFItems/{item}",
        "item_associations": f"{ROOT}CFItemAssociations/{item}",
    }
    figures = timer.rounds({name: (lambda index, p=path: check(client.get(p))) for name, path in paths.items()})
    return {
        "items": len(package["CFItems"]),
        "associations": len(package["CFAssociations"]),
        "package_bytes": len(client.get(paths["package"]).content),
        "schema_errors": len(errors),
        **figures,
    }
