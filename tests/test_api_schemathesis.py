"""Schemathesis against the committed OpenAPI document, over HTTP to a live server, as a PM's write
token and as finance's read token: no server error and no answer outside the document, on every
operation (a small number of examples each, to stay fast)."""

import pytest
import schemathesis
from django.core.files.base import ContentFile
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import positive_data_acceptance

from projects.models import ChecklistTemplate
from projects.services import registers
from projects.services.quality import checklist_run_start
from reporting.models import HighlightReport
from reporting.selectors.facts import report_facts, week_of

from .api_client import make_token
from .test_api_schema import DOCUMENT

# A missing If-Match is answered 428 Precondition Required (RFC 6585), beside schemathesis's usual codes.
CONFIG = SchemathesisConfig.from_dict({"checks": {"missing_required_header": {
    "expected-statuses": ["400", "401", "403", "406", "415", "422", "428"]}}})
schema = schemathesis.openapi.from_path(DOCUMENT, config=CONFIG)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def tokens(project, pm, finance):
    registers.risk_create(project_id=project.pk, by=pm, data={
        "kind": "threat", "category": "other", "cause": "c", "event": "e", "effect": "f", "inherent_probability": 3,
        "inherent_impact": 3, "residual_probability": 2, "residual_impact": 2, "cost_impact": 0,
        "proximity": "quarter", "response_category": "reduce", "response": "", "owner": pm, "actionee": None,
        "status": "open", "review_date": "2030-01-01", "customer_visible": False})
    return {"pm": make_token(pm, scope="write"), "finance": make_token(finance, scope="read")}


@pytest.fixture
def report(project, pm, settings, tmp_path):
    """Checklist Q-001 (path number 1) and a published highlight report with its PDF (path id), so the
    checklists' and reports' reads, and the PDF's download, answer 200 too."""
    settings.MEDIA_ROOT = tmp_path
    checklist_run_start(project_id=project.pk, by=pm, template_id=ChecklistTemplate.objects.filter(
        standard="iso9001", active=True).first().pk)
    week = week_of(timezone.localdate())
    return HighlightReport.objects.create(project=project, week=week, variant="internal", language="en",
                                          facts=report_facts(project, week, "internal"), status="published",
                                          pdf=ContentFile(b"%PDF-1.4\n%%EOF\n", name="r.pdf"))


@schema.parametrize()
@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_every_operation_keeps_to_the_document(case, live_server, tokens, project, report):
    # Half the valid calls on the real project (its code in the path), so reads and writes reach data, not
    # only 404s. Not a call made invalid on purpose: its invalid part must reach the server as it was made.
    negative = case.meta is not None and case.meta.generation.mode.is_negative
    if not negative and "code" in (case.path_parameters or {}) and hash(str(case.body)) % 2 == 0:
        case.path_parameters["code"] = project.code
        if "number" in case.path_parameters:
            case.path_parameters["number"] = 1
        if "id" in case.path_parameters and "/highlight-reports/" in case.path:
            case.path_parameters["id"] = report.pk
    # A malformed Authorization header made on purpose is sent as it is (and must be refused).
    keeps_its_header = case.meta is not None and case.meta.is_negative_at(ParameterLocation.HEADER) \
        and "Authorization" in (case.headers or {})
    for persona in ("pm", "finance"):
        headers = {} if keeps_its_header else {"Authorization": f"Bearer {tokens[persona]}"}
        # Every other check runs (server errors, status codes, content types, response schemas and headers,
        # invalid input rejected). Not "valid input accepted": the document cannot say which usernames are
        # on a project's staff or which response fits a kind of risk, so such a body rightly gets 400 or 422.
        case.call_and_validate(base_url=live_server.url, headers=headers,
                               excluded_checks=[positive_data_acceptance])
