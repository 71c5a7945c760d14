"""
The CASE 1.1 provider's endpoints (``competency_plugin.rest_api.case``): one view per operation
of the specification, each calling ``competency_plugin.api``.
"""
import logging
import uuid

from django.db import DatabaseError
from django.utils.translation import gettext as _
from django.views import View

from competency_plugin import api
from competency_plugin.rest_api.case import query
from competency_plugin.rest_api.case.responses import CaseRequestError, error_response, json_response

log = logging.getLogger(__name__)

# The fields of a CFDocument (``CFDocumentDType``), which ``sort``, ``filter`` and ``fields`` may name.
DOCUMENT_FIELDS = (
    "identifier", "uri", "frameworkType", "caseVersion", "creator", "title", "lastChangeDateTime",
    "officialSourceURL", "publisher", "description", "subject", "subjectURI", "language", "version",
    "adoptionStatus", "statusStartDate", "statusEndDate", "licenseURI", "notes", "extensions", "CFPackageURI",
)


class CaseView(View):
    """
    Base of the provider's views: GET (and HEAD) only, public, errors as ``imsx_StatusInfo``.

    Subclasses define ``read(request, **kwargs)`` returning a response.
    """

    http_method_names = ["get", "head"]

    def http_method_not_allowed(self, request, *args, **kwargs):
        """405 with the specification's body: the provider is read only."""
        return error_response(
            405, _("The CASE provider is read only: use GET."), code_major="unsupported",
            headers={"Allow": "GET, HEAD"},
        )

    def get(self, request, **kwargs):
        """Run ``read``; turn the API's errors into the specification's error responses."""
        try:
            return self.read(request, **kwargs)
        except CaseRequestError as error:
            return error.response()
        except api.CompetencyNotFoundError:
            return error_response(404, _("Unknown object: no such identifier."), "unknownobject")
        except DatabaseError as error:
            if api.database_busy(error):
                return error_response(429, _("The server is busy: try again in a few seconds."), "server_busy",
                                      headers={"Retry-After": str(api.RETRY_AFTER_SECONDS)})
            log.exception("CASE provider: database error")
            return error_response(500, _("The service failed. Try again later."), "internal_server_error")
        except api.CompetencyInternalError:
            return error_response(500, _("The service failed. Try again later."), "internal_server_error")

    def read(self, request, **kwargs):
        """The response to a GET."""
        raise NotImplementedError


def _sourced_id(sourced_id):
    """The path's ``sourcedId`` as a UUID; 404 ``invalid_uuid`` when it is not one."""
    try:
        return uuid.UUID(sourced_id)
    except ValueError as error:
        raise CaseRequestError(404, "invalid_uuid", _("Invalid UUID: {value}.").format(value=sourced_id)) from error


class DocumentListView(CaseView):
    """
    ``GET CFDocuments``: every framework's CFDocument, with ``limit``, ``offset``, ``sort``,
    ``orderBy``, ``filter`` and ``fields`` (``query``); ``X-Total-Count`` and ``Link`` headers.
    """

    def read(self, request, **kwargs):
        """The page of CFDocuments."""
        params = request.GET
        documents = api.case_documents(api.case_provider_root(request))
        page, total, limit, offset = query.select(documents, params, DOCUMENT_FIELDS)
        headers = {
            "X-Total-Count": str(total),
            "Link": query.page_links(request.build_absolute_uri(request.path), params.dict(), total, limit, offset),
        }
        return json_response({"CFDocuments": page}, headers=headers)


class ObjectView(CaseView):
    """``GET {collection}/{sourcedId}``: one object, read by ``reader(base_url, identifier)``."""

    reader = None

    def read(self, request, sourced_id=None, **kwargs):
        """The object ``sourcedId``."""
        identifier = _sourced_id(sourced_id)
        reader = self.reader  # set by ``as_view(reader=…)``
        return json_response(reader(api.case_provider_root(request), identifier))  # pylint: disable=not-callable


class DefinitionView(CaseView):
    """``GET CFConcepts/{sourcedId}`` and the other definitions: ``kind`` is the collection's name."""

    kind = None

    def read(self, request, sourced_id=None, **kwargs):
        """The definition ``sourcedId`` (with its children for concepts, subjects and item types)."""
        identifier = _sourced_id(sourced_id)
        return json_response(api.case_definition(api.case_provider_root(request), self.kind, identifier))


def object_view(reader):
    """The view serving the objects ``reader`` reads."""
    return ObjectView.as_view(reader=reader)


def definition_view(kind):
    """The view serving the definitions of ``kind``."""
    return DefinitionView.as_view(kind=kind)
