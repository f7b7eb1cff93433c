"""The committed OpenAPI document is the code's: regenerate it with `make api-schema` when this fails."""

from pathlib import Path

import yaml
from django.core.management import call_command

DOCUMENT = Path(__file__).resolve().parent.parent / "api" / "openapi.yaml"


def test_the_committed_document_is_what_the_code_generates(tmp_path):
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", "--file", str(generated), "--validate", "--fail-on-warn")
    assert yaml.safe_load(generated.read_text()) == yaml.safe_load(DOCUMENT.read_text()), (
        "api/openapi.yaml is stale: run `make api-schema` and commit it")


def test_the_document_is_openapi_3_1_with_every_error_as_problem_details():
    document = yaml.safe_load(DOCUMENT.read_text())
    assert document["openapi"] == "3.1.0"
    for path, operations in document["paths"].items():
        assert path.startswith("/api/v1/")
        for method, operation in operations.items():
            problems = {code for code, answer in operation["responses"].items()
                        if "application/problem+json" in answer.get("content", {})}
            assert {"400", "401", "403", "404", "429"} <= problems, f"{method} {path}"


def test_the_document_and_its_explorer_are_served_without_a_cdn(client):
    assert client.get("/api/schema/").status_code == 200
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "https://" not in html
