from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from procurement.export import purchase_orders_csv, purchase_orders_xlsx
from procurement.forms import (
    InvoiceForm,
    PurchaseOrderForm,
    PurchaseOrderLineFormSet,
    ReceiptForm,
    initial_lines,
    line_values,
)
from procurement.models import PurchaseOrder, SupplierInvoice
from procurement.selectors.purchase_orders import (
    overspend_for,
    purchase_order_actions_for_user,
    purchase_order_list_for_user,
    purchase_order_page,
    purchase_order_totals,
    vat_breakdown,
)
from procurement.services import purchase_orders as purchase_orders_services
from procurement.services import receiving
from projects import permissions
from projects.domain import DomainError
from projects.forms.base import DecisionForm, ReasonForm, posted, save_versioned
from projects.lib.amounts import money
from projects.lib.history import render_history
from projects.lib.urls import link_maker

PAGE_SIZE = 50


EXPORT_LIMIT = 50_000



def _po(request, number) -> PurchaseOrder:
    return permissions.get_purchase_order_for_user(
        request.user, PurchaseOrder.objects.select_related("project", "supplier", "budget_line"), number)


@require_safe
def po_list(request):
    if not permissions.can_view_purchasing(request.user):
        raise PermissionDenied
    po_filter = purchase_order_list_for_user(request.user, request.GET)
    page, total = purchase_order_page(po_filter.qs, request.GET.get("page"), PAGE_SIZE,
                                      totals=purchase_order_totals(po_filter))
    order_link, project_link = link_maker("procurement:po_detail"), link_maker("projects:detail")
    for po in page.object_list:
        po.link, po.project_link = order_link(po.number), project_link(po.project.code)
    return render(request, "procurement/po_list.html", {
        "filter": po_filter, "page": page, "total": total,
        "can_export": permissions.can_export_purchase_orders(request.user),
    })


@require_safe
def po_export(request, kind):
    if not permissions.can_export_purchase_orders(request.user):
        raise PermissionDenied
    if kind not in ("csv", "xlsx"):
        raise Http404
    purchase_orders = purchase_order_list_for_user(request.user, request.GET).qs.select_related("approved_by")
    purchase_orders = purchase_orders[:EXPORT_LIMIT].iterator(chunk_size=2000)
    if kind == "csv":
        body, content_type = purchase_orders_csv(purchase_orders), "text/csv; charset=utf-8"
    else:
        body = purchase_orders_xlsx(purchase_orders)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="purchase-orders.{kind}"'
    return response


@require_http_methods(["GET", "POST"])
def po_create(request):
    project = permissions.get_project_for_user(request.user, request.GET.get("project", ""))
    if not permissions.can_draft_purchase_order(request.user, project):
        raise PermissionDenied
    form = PurchaseOrderForm(posted(request), project=project)
    lines = PurchaseOrderLineFormSet(posted(request), prefix="lines")
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        try:
            po = purchase_orders_services.purchase_order_create(project_id=project.pk, by=request.user,
                                                                data=form.model_values(), lines=line_values(lines))
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Purchase order %(number)s drafted.") % {"number": po.number})
            return redirect(po)
    return render(request, "procurement/po_form.html", {"form": form, "lines": lines, "project": project})


@require_http_methods(["GET", "POST"])
def po_edit(request, number):
    po = _po(request, number)
    if not permissions.can_edit_purchase_order(request.user, po):
        raise PermissionDenied
    form = PurchaseOrderForm(posted(request), instance=po, project=po.project)
    lines = PurchaseOrderLineFormSet(posted(request), prefix="lines", initial=initial_lines(po))
    if request.method == "POST" and lines.is_valid() and save_versioned(
            request, form, lambda data, version: purchase_orders_services.purchase_order_update(
                po_id=po.pk, by=request.user, data=data, lines=line_values(lines), expected_version=version),
            _("Purchase order saved.")):
        return redirect(po)
    return render(request, "procurement/po_form.html", {"form": form, "lines": lines, "project": po.project, "po": po})


@require_safe
def po_detail(request, number):
    po = _po(request, number)
    user = request.user
    lines = list(po.lines.prefetch_related("receipts"))
    breakdown = vat_breakdown(po, lines)
    return render(request, "procurement/po_detail.html", {
        "po": po, "lines": lines, "breakdown": breakdown,
        "gross_total": po.net_total + sum((vat for _rate, _net, vat in breakdown), 0),
        "invoices": po.invoices.select_related("registered_by", "decided_by"),
        "receipts": [r for line in lines for r in line.receipts.all()] if po.status != "draft" else [],
        "pdf": po.pdfs.first(), "overspend": overspend_for(po) if po.status == "submitted" else None,
        "can_edit": permissions.can_edit_purchase_order(user, po), "actions": purchase_order_actions_for_user(user, po),
        "can_decide_invoice": permissions.can_decide_invoice_mismatch(user, po),
    })


ACTIONS = {  # lazy: translated when shown, in the user's language
    "submit": (purchase_orders_services.purchase_order_submit, gettext_lazy("Submitted.")),
    "send": (purchase_orders_services.purchase_order_send,
             gettext_lazy("Sent: the PDF goes to the supplier by e-mail.")),
    "close": (purchase_orders_services.purchase_order_close, gettext_lazy("Closed.")),
}


@require_POST
def po_action(request, number, action):
    po = _po(request, number)
    if action not in ACTIONS:
        raise Http404
    service, done = ACTIONS[action]
    try:
        po = service(po_id=po.pk, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(done)s Status: %(status)s.") % {"done": done, "status": po.get_status_display()})
    return redirect(po)


@require_http_methods(["GET", "POST"])
def po_decide(request, number):
    po = _po(request, number)
    if not permissions.can_decide_purchase_orders_of(request.user, po.project):
        raise PermissionDenied
    form = DecisionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        comment = form.cleaned_data["comment"]
        try:
            if "approve" in request.POST:
                purchase_orders_services.purchase_order_approve(po_id=po.pk, by=request.user, comment=comment)
                messages.success(request, _("%(number)s approved.") % {"number": po.number})
            else:
                purchase_orders_services.purchase_order_reject(po_id=po.pk, by=request.user, comment=comment)
                messages.success(request, _("%(number)s rejected: back to draft.") % {"number": po.number})
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            return redirect(po)
    return render(request, "procurement/po_decide.html", {
        "po": po, "form": form, "overspend": overspend_for(po),
        "actions": purchase_order_actions_for_user(request.user, po)})


def _handling_form(request, number, *, make_form, call, done, title, button):
    """GET shows the form; a valid POST calls the service; a refusal stays on the form as a message."""
    po = _po(request, number)
    if not permissions.can_handle_purchase_order(request.user, po):
        raise PermissionDenied
    form = make_form(po)
    if request.method == "POST" and form.is_valid():
        try:
            result = call(po, form)
        except purchase_orders_services.LineError as error:
            form.add_error(f"line_{error.line_id}", str(error))
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            done(result)
            return redirect(po)
    return render(request, "procurement/po_simple_form.html", {"po": po, "form": form, "title": title,
                                                                "button": button})


@require_http_methods(["GET", "POST"])
def po_cancel(request, number):
    return _handling_form(
        request, number, make_form=lambda po: ReasonForm(posted(request)),
        call=lambda po, form: purchase_orders_services.purchase_order_cancel(po_id=po.pk, by=request.user,
                                                             reason=form.cleaned_data["reason"]),
        done=lambda po: messages.success(request, _("%(number)s cancelled.") % {"number": po.number}),
        title=_("Cancel"), button=_("Cancel the purchase order"))


@require_http_methods(["GET", "POST"])
def po_receive(request, number):
    return _handling_form(
        request, number, make_form=lambda po: ReceiptForm(posted(request), lines=list(po.lines.all())),
        call=lambda po, form: receiving.goods_receipt_register(
            po_id=po.pk, by=request.user, received_on=form.cleaned_data["received_on"], quantities=form.quantities()),
        done=lambda po: messages.success(request, _("Receipt registered.")),
        title=_("Goods receipt"), button=_("Register the receipt"))


def _invoice_registered(request, invoice):
    if invoice.match == SupplierInvoice.Match.MATCHED:
        messages.success(request, _("Invoice registered and matched."))
    else:
        messages.warning(request, _("Invoice registered, but it differs from the received value by "
                                    "EUR %(difference)s: the project manager decides.")
                         % {"difference": money(invoice.difference)})


@require_http_methods(["GET", "POST"])
def po_invoice(request, number):
    return _handling_form(
        request, number, make_form=lambda po: InvoiceForm(posted(request)),
        call=lambda po, form: receiving.invoice_register(po_id=po.pk, by=request.user, **form.cleaned_data),
        done=lambda invoice: _invoice_registered(request, invoice),
        title=_("Supplier invoice"), button=_("Register the invoice"))


@require_POST
def invoice_decide(request, number, pk):
    po = _po(request, number)
    invoice = get_object_or_404(po.invoices, pk=pk)
    service = receiving.invoice_accept if "accept" in request.POST else receiving.invoice_dispute
    try:
        service(invoice_id=invoice.pk, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    return redirect(po)


@require_safe
def po_pdf(request, number):
    po = _po(request, number)
    document = po.pdfs.first()
    if document is None:
        raise Http404
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=f"{po.number}.pdf",
                        content_type="application/pdf")


@require_safe
def po_history(request, number):
    po = _po(request, number)
    return render_history(request, records=po.history.all(), title=_("History of %(number)s") % {"number": po.number},
                          back_url=po.get_absolute_url())
