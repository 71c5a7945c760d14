"""
The pages of verifiable credentials, under ``/competency/credentials/`` (public, no sign-in) and the
learner's claim from their course tab.

- ``{id}.json``: the signed credential as issued (410 once erased at the learner's retirement);
- ``{id}/``: its human verification page (valid, revoked or tampered; issuer; achievement;
  competences with their framework; a QR code of the page, inline SVG), in the visitor's language;
- ``issuer``: the issuer's controller document, every public key it signed with (``Multikey``), which
  the proofs' ``verificationMethod`` resolves to;
- ``status/revocation``: the signed ``BitstringStatusListCredential`` of revocations;
- ``POST /competency/courses/{course_id}/credentials/``: the signed-in learner claims the credential
  of a course whose attestation policy they meet (then back to their tab).
"""
import io

import segno
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import BadRequest
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views import View

from competency_plugin import api
from competency_plugin.platform import compat

JSON_LD = "application/ld+json"
CREDENTIAL_ID_PATTERN = r"(?P<identifier>[0-9a-fA-F-]{36})"


def _json(document, status=200, cache="public, max-age=300"):
    response = JsonResponse(  # pylint: disable=redundant-content-type-for-json-response  # JSON-LD, not JSON
        document, status=status, content_type=JSON_LD, json_dumps_params={"ensure_ascii": False},
    )
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = cache
    return response


def qr_svg(url):
    """The QR code of ``url`` as an inline SVG element (no XML declaration), scaled by CSS."""
    buffer = io.BytesIO()
    label = _("QR code of this verification page")
    segno.make(url, error="m").save(buffer, kind="svg", xmldecl=False, svgns=True, scale=4, border=2,
                                    svgclass="cp-qr", title=label)
    # An image with a name for assistive technologies (segno writes the title element only).
    return buffer.getvalue().decode("utf-8").replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)


class CredentialJsonView(View):
    """``GET /competency/credentials/{id}.json``: the signed credential, for anyone."""

    def get(self, request, identifier):
        """The document as issued; 404 when unknown; 410 when erased."""
        try:
            document, _revoked = api.get_public_credential(identifier)
        except api.CompetencyNotFoundError as error:
            raise Http404(error.message) from error
        if document is None:
            return _json({"error": "gone", "message": _("This credential was erased.")}, status=410, cache="no-store")
        return _json(document)


class CredentialPageView(View):
    """``GET /competency/credentials/{id}/``: the human verification page, for anyone."""

    template_name = "competency_plugin/credential_verification.html"

    def get(self, request, identifier):
        """Verify the stored credential now and show what it says."""
        language = translation.get_language() or "en"
        try:
            page = api.credential_page(identifier, language=language)
        except api.CompetencyNotFoundError as error:
            raise Http404(error.message) from error
        context = {**page, "language": language, "qr_svg": qr_svg(page["page_url"])}
        response = TemplateResponse(request, self.template_name, context)
        response["Cache-Control"] = "no-cache"
        return response


class IssuerKeysView(View):
    """``GET /competency/credentials/issuer``: the issuer's controller document (its public keys)."""

    def get(self, request):
        """Every key the instance signed with, rotated ones included."""
        return _json(api.controller_document())


class StatusListView(View):
    """``GET /competency/credentials/status/revocation``: the signed revocation status list."""

    def get(self, request):
        """Signed now; 503 while the site has no signing key."""
        try:
            document = api.status_list_credential()
        except (api.CompetencyUnavailableError, api.CompetencyInternalError) as error:
            return _json({"error": error.code, "message": str(error.message)}, status=503, cache="no-store")
        return _json(document, cache="public, max-age=60")


class ClaimCredentialView(LoginRequiredMixin, View):
    """``POST /competency/courses/{course_id}/credentials/``: the learner claims their credential (form of the tab)."""

    def post(self, request, course_id):
        """Claim with the choices of the form, then show the tab again (with the outcome)."""
        try:
            course_key = api.parse_course_key(course_id, field="course_id")
        except api.CompetencyRequestError as error:
            raise BadRequest(error.message) from error
        if not compat.is_enrolled(request.user, course_key):
            raise Http404(_("You are not enrolled in this course."))
        tab = reverse("competency_plugin:learner-portfolio", kwargs={"course_id": str(course_key)})
        try:
            api.claim_credential(
                user=request.user, course_key=course_key, include_name=request.POST.get("include_name") == "on",
                include_evidence=request.POST.get("include_evidence") == "on",
                language=translation.get_language(),
            )
        except (api.CompetencyRequestError, api.CompetencyUnavailableError, api.CompetencyInternalError):
            return HttpResponseRedirect(f"{tab}?credential=failed#cp-credentials")
        return HttpResponseRedirect(f"{tab}?credential=issued#cp-credentials")
