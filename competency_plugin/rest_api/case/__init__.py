"""
The CASE 1.1 provider: 1EdTech's Competencies and Academic Standards Exchange REST API, read only
and public, under ``/ims/case/v1p1/`` (docs/decisions/0013-case-provider.rst).

Plain Django views over ``competency_plugin.api`` (the ``case_*`` functions): no authentication
(frameworks are public reference data, and a CASE consumer has no Open edX account), GET and
HEAD only, every error as the specification's ``imsx_StatusInfo`` body. The specification's own
OpenAPI description documents them (1EdTech, "CASE Service OpenAPI (JSON) Definition" 1.1); the
plugin's ``rest_api/v1/openapi.yaml`` documents its own API only.
"""
