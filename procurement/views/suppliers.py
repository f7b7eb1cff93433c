from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from procurement.forms import SupplierForm
from procurement.models import Supplier
from procurement.selectors.suppliers import supplier_list as select_suppliers
from procurement.services import suppliers
from projects import permissions
from projects.forms.base import posted, save_versioned
from projects.lib.history import render_history

PAGE_SIZE = 50


@require_safe
def supplier_list(request):
    if not permissions.can_view_suppliers(request.user):
        raise PermissionDenied
    page = Paginator(select_suppliers(request.GET), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "procurement/supplier_list.html", {
        "page": page, "search": request.GET.get("q", ""), "can_edit": permissions.can_edit_supplier(request.user)})


@require_http_methods(["GET", "POST"])
def supplier_create(request):
    if not permissions.can_edit_supplier(request.user):
        raise PermissionDenied
    form = SupplierForm(posted(request))
    if request.method == "POST" and form.is_valid():
        supplier = suppliers.supplier_create(by=request.user, data=form.model_values())
        messages.success(request, _("Supplier %(name)s created.") % {"name": supplier.name})
        return redirect("procurement:supplier_list")
    return render(request, "procurement/supplier_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def supplier_edit(request, pk):
    if not permissions.can_view_suppliers(request.user):
        raise Http404
    if not permissions.can_edit_supplier(request.user):
        raise PermissionDenied
    supplier = get_object_or_404(Supplier, pk=pk)
    form = SupplierForm(posted(request), instance=supplier)
    if save_versioned(request, form, lambda data, version: suppliers.supplier_update(
            supplier_id=supplier.pk, by=request.user, data=data, expected_version=version), _("Supplier saved.")):
        return redirect("procurement:supplier_list")
    return render(request, "procurement/supplier_form.html", {"form": form, "supplier": supplier})


@require_safe
def supplier_history(request, pk):
    if not permissions.can_view_suppliers(request.user):
        raise Http404
    supplier = get_object_or_404(Supplier, pk=pk)
    return render_history(request, records=supplier.history.all(),
                          title=_("History of %(name)s") % {"name": supplier.name},
                          back_url=reverse("procurement:supplier_list"))
