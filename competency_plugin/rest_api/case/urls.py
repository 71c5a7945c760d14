"""
URLs of the CASE 1.1 provider, included under ``/ims/case/v1p1/`` (``competency_plugin.urls``).

The paths are the specification's (no trailing slash; one is accepted). ``case-cfitem`` is the
name others reverse to point to a CFItem (``api.case_item_url`` builds the same URL).
"""
from django.urls import re_path

from competency_plugin import api
from competency_plugin.rest_api.case import views

SOURCED_ID = r"(?P<sourced_id>[^/]+)"

urlpatterns = [
    re_path(r"^CFDocuments/?$", views.DocumentListView.as_view(), name="case-cfdocuments"),
    re_path(rf"^CFDocuments/{SOURCED_ID}/?$", views.object_view(api.case_document), name="case-cfdocument"),
    re_path(rf"^CFPackages/{SOURCED_ID}/?$", views.object_view(api.case_package), name="case-cfpackage"),
    re_path(rf"^CFItems/{SOURCED_ID}/?$", views.object_view(api.case_item), name="case-cfitem"),
    re_path(rf"^CFAssociations/{SOURCED_ID}/?$", views.object_view(api.case_association), name="case-cfassociation"),
    re_path(rf"^CFItemAssociations/{SOURCED_ID}/?$", views.object_view(api.case_item_associations),
            name="case-cfitemassociations"),
] + [
    re_path(rf"^{kind}/{SOURCED_ID}/?$", views.definition_view(kind), name=f"case-{kind.lower()[:-1]}")
    for kind in api.CASE_DEFINITION_KINDS
]
