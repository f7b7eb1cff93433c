"""The house rules of the code (issue 12): rooms a newcomer can find, imports that flow one way,
no private names borrowed across modules, business objects changed only through services."""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from projects.models import Activity, BudgetLine, LevelThreshold, Project

from .factories import ProjectFactory

ROOT = Path(__file__).resolve().parent.parent
APPS = ("outbox", "accounts", "projects", "procurement", "reporting", "webhooks", "api", "pmo")
# Imports flow one way: an app may import those before it, never those after it.
LAYERS = ("outbox", "accounts", "projects", "procurement", "reporting", "webhooks", "api", "pmo")
MAX_LINES = 500


def _modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path, ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def _absolute(module: str, path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = package[:len(package) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(path: Path, module: str, *, top_level_only: bool):
    """(imported module, names, line, is_top_level) for every import of an application module."""
    tree = ast.parse(path.read_text())
    top = {id(node) for node in tree.body}
    for node in ast.walk(tree):
        if top_level_only and id(node) not in top:
            continue
        if isinstance(node, ast.ImportFrom):
            target = _absolute(module, path, node)
            if target.split(".")[0] in APPS:
                yield target, [a.name for a in node.names], node.lineno, id(node) in top
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in APPS:
                    yield alias.name, [], node.lineno, id(node) in top


def test_no_module_is_longer_than_500_lines():
    long = [f"{path.relative_to(ROOT)}: {n}" for path, _module in _modules()
            if (n := len(path.read_text().splitlines())) > MAX_LINES]
    assert long == []


def test_no_module_imports_a_private_name_of_another():
    borrowed = [f"{path.relative_to(ROOT)}:{line} {target}.{name}"
                for path, module in _modules()
                for target, names, line, _top in _imports(path, module, top_level_only=False)
                for name in names if name.startswith("_") and target != module]
    assert borrowed == []


def test_imports_flow_one_way_between_apps():
    backwards = [f"{path.relative_to(ROOT)}:{line} imports {target}"
                 for path, module in _modules()
                 for target, _names, line, _top in _imports(path, module, top_level_only=False)
                 if LAYERS.index(target.split(".")[0]) > LAYERS.index(module.split(".")[0])]
    assert backwards == []


def test_module_level_imports_form_no_cycle():
    """Function-local imports are the one exception (a service queueing its own task, WeasyPrint's
    import cost), so the graph of module-level imports must have no cycle."""
    known = {module for _path, module in _modules()}
    graph = {}
    for path, module in _modules():
        edges = set()
        for target, names, _line, _top in _imports(path, module, top_level_only=True):
            # `from pkg import mod` imports the module pkg.mod
            edges |= {f"{target}.{n}" for n in names if f"{target}.{n}" in known} or ({target} & known)
        graph[module] = edges - {module}
    state, cycle = {}, []

    def visit(node, trail):
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                cycle.append(trail[trail.index(nxt):] + [nxt] if nxt in trail else [node, nxt])
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycle == []


def test_function_local_imports_of_the_application_say_why():
    """Only an AppConfig.ready (Django's rule) or an import that says why in a comment."""
    silent = []
    for path, module in _modules():
        lines = path.read_text().splitlines()
        for _target, _names, line, top in _imports(path, module, top_level_only=False):
            if not top and path.name != "apps.py" and "#" not in lines[line - 1]:
                silent.append(f"{path.relative_to(ROOT)}:{line} {lines[line - 1].strip()}")
    assert silent == []


def test_every_model_of_the_application_names_itself():
    nameless = [model.__name__ for model in apps.get_models()
                if model._meta.app_label in APPS and not model.__name__.startswith("Historical")
                and model.__str__ is models.Model.__str__]
    assert nameless == []


@pytest.mark.parametrize("model", [Project, BudgetLine, Activity])
def test_the_admin_shows_business_objects_but_changes_them_only_through_the_services(client, admin_user, model):
    project = ProjectFactory()
    obj = {Project: project, BudgetLine: BudgetLine.objects.create(project=project, category="material",
                                                                   description="Cable", amount=100),
           Activity: None}[model]
    if obj is None:
        phase = project.phases.create(name="Design", position=1)
        obj = Activity.objects.create(project=project, phase=phase, name="Survey", planned_start="2026-12-01",
                                      planned_end="2026-12-04")
    opts = model._meta
    client.force_login(admin_user)
    assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == 403
    change_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    page = client.get(change_url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.post(change_url, {}).status_code == 403
    delete_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=obj.pk).exists()


def test_reference_data_stays_editable_in_the_admin(client, admin_user):
    client.force_login(admin_user)
    threshold = LevelThreshold.objects.get(level=1)
    page = client.get(reverse("admin:projects_levelthreshold_change", args=[threshold.pk]))
    assert page.status_code == 200 and 'name="_save"' in page.content.decode()
    assert client.get(reverse("admin:projects_projecttype_add")).status_code == 200


def test_the_addresses_of_the_product_brief_answer(client, pmolead, pm, sales, project):
    """PRODUCT.md, "Addresses people bookmark": every area of a project lives under /projects/<code>/."""
    from procurement.models import PurchaseOrder

    from .factories import IntakeFactory, SupplierFactory

    intake = IntakeFactory(created_by=sales, status="submitted")
    po = PurchaseOrder.objects.create(number="PO-2026-00117", project=project, supplier=SupplierFactory(),
                                      created_by=pm, delivery_date="2030-01-01", delivery_site="Gent")
    p = f"/projects/{project.code}/"
    addresses = ["/", "/intakes/", f"/intakes/{intake.pk}/", "/projects/", p, f"{p}risks/",
                 f"{p}issues/", f"{p}changes/", f"{p}checklists/", f"{p}closing/", f"{p}reports/", f"{p}documents/",
                 f"{p}history/", f"{p}plan/", "/planning/workload/", "/approvals/", "/procurement/purchase-orders/",
                 f"/procurement/purchase-orders/{po.number}/", "/procurement/suppliers/", "/reports/portfolio/"]
    client.force_login(pmolead)
    answers = {address: client.get(address).status_code for address in addresses}
    assert answers == dict.fromkeys(addresses, 200)
    client.force_login(sales)
    assert client.get("/intakes/new/").status_code == 200  # sales hands deals over
    client.logout()
    assert client.get("/accounts/login/").status_code == 200
    assert client.get("/healthz").status_code in (200, 503)


@pytest.mark.parametrize(("old", "new"), [
    ("quality/", "checklists/"), ("quality/1/history/?page=2", "checklists/1/history/?page=2"),
])
def test_a_projects_old_checklist_addresses_redirect_permanently(client, pmolead, project, old, new):
    client.force_login(pmolead)
    response = client.get(f"/projects/{project.code}/{old}")
    assert (response.status_code, response["Location"]) == (301, f"/projects/{project.code}/{new}")


@pytest.mark.parametrize(("old", "new"), [("", ""), ("7/pdf/?v=1", "7/pdf/?v=1")])
def test_the_old_report_addresses_redirect_permanently_under_the_project(client, pmolead, project, old, new):
    client.force_login(pmolead)
    response = client.get(f"/reports/{project.code}/{old}")
    assert (response.status_code, response["Location"]) == (301, f"/projects/{project.code}/reports/{new}")
    assert client.get("/reports/portfolio/").status_code == 200
