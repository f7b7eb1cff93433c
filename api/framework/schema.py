"""What the OpenAPI document says beyond what drf-spectacular reads from the views: the two ways to
authenticate, and the problem details every operation may answer."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

PROBLEM = {
    "type": "object",
    "description": "RFC 9457 problem details.",
    "properties": {
        "type": {"type": "string", "format": "uri-reference"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object", "properties": {
            "pointer": {"type": "string", "description": "JSON pointer (RFC 6901) to the field in the request"},
            "detail": {"type": "string"}}, "required": ["pointer", "detail"]}},
    },
    "required": ["type", "title", "status", "detail"],
}

# Status -> description, for every operation of that method (GET lists and reads, POST creates, PATCH changes).
COMMON = {"400": "Invalid input or query parameters", "401": "No valid token or session",
          "403": "Not allowed (a role, or a read-only token writing)", "404": "Not found, or not yours to see",
          "406": "Only JSON is answered", "413": "Request body too large", "429": "Rate limit reached (Retry-After)"}
WRITES = {"415": "The body must be JSON", "422": "A business rule refused it (or an Idempotency-Key reused)"}
UPDATES = {"412": "If-Match is not the current ETag", "428": "If-Match is missing"}


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.framework.auth.BearerTokenAuthentication"
    name = "bearer"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": "An API token from the API tokens page: `Authorization: Bearer pmo_...`."}


def add_problem_responses(result, generator, request, public):
    """SPECTACULAR postprocessing hook: the Problem component, and its responses on every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
    content = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            codes = dict(COMMON)
            if method in ("post", "patch", "put"):
                codes.update(WRITES)
            if method in ("patch", "put") or any(parameter.get("in") == "header" and parameter["name"] == "If-Match"
                                                 for parameter in operation.get("parameters", [])):
                codes.update(UPDATES)  # a transition taking an optional If-Match answers 412 too
            answered = [media for media in operation["responses"].get("200", {}).get("content", {})
                        if media != "application/json"]
            if answered:  # a download (a PDF): that type only, and its refusals as problem details
                codes["406"] = f"Only {', '.join(answered)} is answered"
            for code, description in codes.items():
                operation["responses"][code] = {"description": description, "content": content}
    return result


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "api.framework.auth.SessionWithCsrfAuthentication"
    name = "session"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid",
                "description": "The browser's session; writes also need the X-CSRFToken header."}
