"""
Verifiable credentials through the REST API.

- ``GET me/credentials/``: the caller's Open Badges 3.0 credentials (every course, or ``?course_id=``);
- ``POST me/credentials/``: the caller claims the credential of a course whose attestation policy
  they meet (``course_id``, ``include_name``, ``include_evidence``): 201 when issued, 200 when the
  one they hold already answers the same choices;
- ``POST courses/{course_id}/credentials/{identifier}/revoke/``: the course's staff revoke one with a
  reason (the one staff rule, ``api.is_course_staff``).

The learner is always the caller: no one reads or claims another learner's credentials here.
"""
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from competency_plugin import api
from competency_plugin.rest_api.v1.eligibility_views import CourseAPIView, course_id_parameter
from competency_plugin.rest_api.v1.openapi import error_responses, operation
from competency_plugin.rest_api.v1.permissions import IsCourseStaff
from competency_plugin.rest_api.v1.views import CompetencyAPIView


class CredentialSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """Output: one credential, with where it is published and the signed document."""

    identifier = serializers.UUIDField(help_text="The credential's identifier.")
    course_key = serializers.CharField()
    issued_at = serializers.DateTimeField()
    include_name = serializers.BooleanField(help_text="Whether the learner's name is in the credential.")
    include_evidence = serializers.BooleanField(help_text="Whether their validated situations are in it.")
    revoked = serializers.BooleanField()
    revoked_at = serializers.DateTimeField(allow_null=True)
    revocation_reason = serializers.CharField(allow_blank=True)
    url = serializers.URLField(help_text="The public URL of the signed credential (its `id`).")
    verification_url = serializers.URLField(help_text="The public human verification page.")
    document = serializers.JSONField(help_text="The signed `OpenBadgeCredential` (JSON-LD, DataIntegrityProof).")


class CredentialListQuerySerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """Input: ``course_id`` limits the list to one course."""

    course_id = api.TextField(required=False, max_length=255, help_text="Only this course's credentials.")


class ClaimInputSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """Input of a claim."""

    course_id = api.TextField(max_length=255, help_text="The course whose attestation the credential states.")
    include_name = serializers.BooleanField(default=False, help_text="Put the caller's name in the credential.")
    include_evidence = serializers.BooleanField(
        default=False, help_text="Put the title, kind, date and description of the validated situations in it "
                                 "(never their files).")


class RevokeInputSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """Input of a revocation."""

    reason = api.TextField(max_length=500, help_text="Why; shown on the credential's verification page.")


class MyCredentialsView(CompetencyAPIView):
    """``GET|POST /api/competency/v1/me/credentials/``: the caller's credentials, and their claims."""

    permission_classes = (IsAuthenticated,)

    @operation(
        tags=["credentials"], operation_id="listMyCredentials",
        summary="The caller's verifiable credentials",
        description="Open Badges 3.0 credentials the caller claimed, newest first, revoked ones included.",
        parameters=[CredentialListQuerySerializer],
        responses={200: OpenApiResponse(CredentialSerializer(many=True), description="The credentials."),
                   **error_responses(400, 401)},
    )
    def get(self, request):
        """List the caller's credentials."""
        query = CredentialListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        course_id = query.validated_data.get("course_id")
        course_key = api.parse_course_key(course_id, field="course_id") if course_id else None
        items = api.list_credentials(user_id=request.user.id, course_key=course_key)
        return Response(CredentialSerializer([item.to_dict() for item in items], many=True).data)

    @operation(
        tags=["credentials"], operation_id="claimMyCredential",
        summary="Claim the credential of a course's attestation",
        description="Issues an Open Badges 3.0 credential, signed by the site, when the caller meets the course's "
                    "attestation policy (400 otherwise, on `course_id`). The caller holds one credential in force "
                    "per course: the same choices return it (200); other choices replace it (201, the old one "
                    "revoked). 500 when the site has no signing key configured.",
        request={"application/json": ClaimInputSerializer},
        responses={
            200: OpenApiResponse(CredentialSerializer, description="The credential the caller holds already."),
            201: OpenApiResponse(CredentialSerializer, description="The credential issued now."),
            **error_responses(400, 401),
        },
    )
    def post(self, request):
        """Claim the credential of ``course_id``."""
        body = ClaimInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        credential, created = api.claim_credential(
            user=request.user, course_key=api.parse_course_key(data["course_id"], field="course_id"),
            include_name=data["include_name"], include_evidence=data["include_evidence"],
        )
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(CredentialSerializer(credential.to_dict()).data, status=code)


class RevokeCredentialView(CourseAPIView):
    """``POST /api/competency/v1/courses/{course_id}/credentials/{identifier}/revoke/``: revoke (course staff)."""

    permission_classes = (IsCourseStaff,)

    @operation(
        tags=["credentials"], operation_id="revokeCredential",
        summary="Revoke a credential of the course (course staff)",
        description="Sets the credential's bit in the site's revocation status list; its verification page then "
                    "says revoked, with the reason. 409 when it is revoked already.",
        parameters=[course_id_parameter(), OpenApiParameter("identifier", str, OpenApiParameter.PATH,
                                                            description="The credential's identifier.")],
        request={"application/json": RevokeInputSerializer},
        responses={200: OpenApiResponse(CredentialSerializer, description="The revoked credential."),
                   **error_responses(400, 401, 403, 404, 409)},
    )
    def post(self, request, course_id, identifier):  # pylint: disable=unused-argument
        """Revoke the credential ``identifier`` of the course."""
        if api.credential_course(identifier) != str(self.course_key):
            raise NotFound(_("No credential has this identifier."))
        body = RevokeInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        credential = api.revoke_credential(identifier=identifier, reason=body.validated_data["reason"],
                                           revoked_by_id=request.user.id)
        return Response(CredentialSerializer(credential.to_dict()).data)
