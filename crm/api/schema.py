"""The OpenAPI description of the API (drf-spectacular): writes described by the web's forms,
the If-Match header, and every answer an endpoint can give besides success, so that a client
(and schemathesis in CI) knows each status it may meet."""

from drf_spectacular.openapi import AutoSchema as BaseAutoSchema
from drf_spectacular.utils import OpenApiParameter, inline_serializer
from rest_framework import serializers

WRITES = ("POST", "PUT", "PATCH")
GUARDED = ("PUT", "PATCH", "DELETE")

Problem = inline_serializer("Problem", {"detail": serializers.CharField()})
Invalid = inline_serializer(
    "Invalid",
    {
        "non_field_errors": serializers.ListField(child=serializers.CharField(), required=False),
    },
)
Conflict = inline_serializer(
    "Conflict",
    {
        "detail": serializers.CharField(),
        "changes": serializers.ListField(child=serializers.CharField()),
        "etag": serializers.CharField(),
    },
)


class AutoSchema(BaseAutoSchema):
    def get_request_serializer(self):
        described = getattr(self.view, "input_serializer_class", None)
        action = getattr(self.view, "action", None)
        inputs = getattr(self.view, "action_inputs", {})
        if action in inputs:
            return inputs[action]
        if described is not None and self.method in WRITES:
            return described
        return super().get_request_serializer()

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self.method in GUARDED:
            parameters.append(
                OpenApiParameter(
                    "If-Match",
                    str,
                    OpenApiParameter.HEADER,
                    required=True,
                    description="The ETag of the version you read (412 if someone saved since).",
                )
            )
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        extra = {"401": Problem, "403": Problem, "429": Problem}
        if self._is_list_view() and self.method == "GET":
            extra["400"] = Invalid
        if "{" in self.path:
            extra["404"] = Problem
        if self.method in WRITES:
            extra["400"] = Invalid
        if self.method in GUARDED:
            extra.update({"412": Conflict, "428": Problem})
        if getattr(self.view, "action", "") in getattr(self.view, "refusals", ()):
            extra["409"] = Problem
        for code, body in extra.items():
            responses.setdefault(code, self._get_response_for_code(body, code, direction=direction))
        return responses


def add_links(result, generator, request, public):
    """OpenAPI links from each create to the record's own operations (read, change, delete,
    its actions): a client — and schemathesis's stateful run — follows the id a create returns."""
    paths = result.get("paths", {})
    for path, operations in paths.items():
        created = operations.get("post", {}).get("responses", {}).get("201")
        detail = f"{path}{{id}}/"
        if created is None or detail not in paths:
            continue
        links = {}
        for follower, follower_operations in paths.items():
            if not follower.startswith(detail):
                continue
            for method, operation in follower_operations.items():
                if (
                    method in ("get", "put", "patch", "delete", "post")
                    and "operationId" in operation
                ):
                    links[operation["operationId"]] = {
                        "operationId": operation["operationId"],
                        "parameters": {"id": "$response.body#/id"},
                    }
        if links:
            created["links"] = links
    return result
