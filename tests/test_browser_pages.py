"""Every page as the roles that use it, on the demo data, in each person's own language."""

import datetime as dt

import pytest

from projects.models import BudgetSubmission, Customer, Intake
from reporting.models import HighlightReport

from .browser import screenshot
from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "demo-pass-1"


@pytest.fixture
def demo(settings, tmp_path):
    from pmo.demo import load_demo_data

    settings.MEDIA_ROOT = tmp_path
    load_demo_data(password=DEMO_PASSWORD, today=dt.date(2026, 11, 22))
    from procurement.models import PurchaseOrder
    from projects.models import Activity

    pulling = Activity.objects.get(name="Fibre pulling and splicing")
    return {
        "pulling": pulling, "overbooked_week": (pulling.planned_start - dt.timedelta(days=7)).isoformat(),
        "po_sent": PurchaseOrder.objects.get(status="sent"), "po_beyond": PurchaseOrder.objects.get(net_total=420000),
        "submitted": Intake.objects.get(status="submitted"), "returned": Intake.objects.get(status="returned"),
        "draft": Intake.objects.get(status="draft"), "customer": Customer.objects.get(name="Stad Gent"),
        "pending": BudgetSubmission.objects.get(status="pending"),
        "report": HighlightReport.objects.get(project__code="PRJ-2026-0001", variant="internal", status="draft"),
    }


def _pages(username, demo):
    p1 = "/projects/PRJ-2026-0001/"
    sent = demo["po_sent"].get_absolute_url()
    purchasing = ["/procurement/purchase-orders/", "/procurement/costs/PRJ-2026-0001/", sent, f"{sent}history/"]
    common = ["/", "/projects/", p1]
    p2 = "/projects/PRJ-2026-0002/"
    internals = [f"{p1}budget/", f"{p1}documents/", f"{p1}history/", f"{p1}budget/history/"]
    control = [f"{p1}changes/", f"{p1}changes/1/", f"{p2}changes/1/", f"{p2}baselines/", f"{p1}decisions/",
               f"{p1}actions/", "/projects/PRJ-2026-0004/lessons/", f"{p1}quality/", f"{p1}quality/2/",
               f"{p1}safety/", "/projects/PRJ-2026-0004/closing/", "/projects/PRJ-2026-0004/satisfaction/"]
    return {
        # sales works in Dutch: intakes and their own projects' headers
        "sales": common + ["/intakes/", f"/intakes/{demo['draft'].pk}/", f"/intakes/{demo['returned'].pk}/",
                           f"/intakes/{demo['draft'].pk}/edit/", "/customers/", f"/customers/{demo['customer'].pk}/"],
        # the support officer works in French: the review queue and acceptance
        "support": common + internals + purchasing + control + ["/procurement/suppliers/", f"{sent}receive/",
                                                      "/procurement/purchase-orders/new/?project=PRJ-2026-0001",
                                                      "/registers/", f"{p1}actions/new/", f"{p1}changes/new/",
                                                      "/intakes/?status=submitted", f"/intakes/{demo['submitted'].pk}/",
                                         f"/intakes/{demo['submitted'].pk}/accept/", "/customers/new/"],
        "pm": common + internals + purchasing + control + [
            f"{p1}safety/1/", f"{p1}reports/", f"{p1}reports/{demo['report'].pk}/", f"{p1}decisions/new/",
            f"{p1}lessons/new/", f"{p1}plan/", f"{p1}risks/", f"{p1}risks/new/", f"{p1}issues/", f"{p1}issues/new/",
                                                 "/approvals/", "/projects/PRJ-2026-0002/status/execute/",
                                                 "/projects/PRJ-2026-0006/budget/"],
        "pmolead": common + control + ["/reports/portfolio/", "/registers/", "/safety/", f"{p1}tolerances/",
                                       "/approvals/", f"/approvals/budgets/{demo['pending'].pk}/",
                             f"{demo['po_beyond'].get_absolute_url()}decide/"],
        "finance": common + [f"{p1}budget/"] + purchasing,
        "engmgr": common + [f"{p1}plan/", "/planning/resources/", "/planning/resources/new/",
                            f"/planning/workload/?from={demo['overbooked_week']}",
                            f"{p1}plan/activities/{demo['pulling'].pk}/"],
    }


@pytest.mark.parametrize("username", ["sales", "support", "pm", "pmolead", "finance", "engmgr"])
def test_every_page_of_the_role_renders_in_the_users_language(page, demo, username):
    sign_in(page, username, DEMO_PASSWORD)
    language = page.locator("html").get_attribute("lang")
    expected = {"sales": "nl", "support": "fr", "pm": "nl", "pmolead": "nl"}.get(username, "en")
    assert language == expected
    for number, url in enumerate(_pages(username, demo)[username]):
        response = page.goto(url)
        assert response.status == 200, url
        assert page.locator("html").get_attribute("lang") == expected
        screenshot(page, f"pages-{username}-{number:02d}")
