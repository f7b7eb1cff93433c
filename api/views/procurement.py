"""Suppliers and purchase orders: read as the purchasing pages show them, drafted and edited through the
order form, moved on through the same transitions (and services) as the order's page offers."""

import django_filters
from django.utils.functional import cached_property
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from api.framework.base import ApiViewSet, List, Retrieve
from api.framework.etags import etag_of, expected_version
from api.framework.filters import ApiFilterSet
from api.framework.idempotency import idempotent
from api.serializers.procurement import (
    DecisionSerializer,
    PurchaseOrderChangeSerializer,
    PurchaseOrderSerializer,
    PurchaseOrderWriteSerializer,
    ReasonSerializer,
    SupplierSerializer,
)
from api.views.registers import IDEMPOTENCY_KEY
from procurement.forms import PurchaseOrderForm, PurchaseOrderLineFormSet, initial_lines, line_values
from procurement.models import PurchaseOrder, Supplier
from procurement.selectors.purchase_orders import purchase_order_actions_for_user
from procurement.services import purchase_orders as services
from projects import permissions
from projects.forms.base import DecisionForm, ReasonForm

NUMBER = OpenApiParameter("number", str, OpenApiParameter.PATH, pattern=r"^PO-[0-9]{4}-[0-9]{5}$",
                          description="The purchase order's number, e.g. PO-2026-00117.")
VAT = OpenApiParameter("vat_number", str, OpenApiParameter.PATH, description="The supplier's VAT number.")
IF_MATCH = OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=True,
                            description="The ETag of the order as last read; a stale one gets 412.")
IF_MATCH_OPTIONAL = OpenApiParameter(
    "If-Match", str, OpenApiParameter.HEADER,
    description="Optional: the ETag of the order as last read; when sent and stale, 412 and nothing changes.")


class SupplierFilter(ApiFilterSet):
    kind = django_filters.ChoiceFilter(choices=Supplier.Kind.choices)

    class Meta:
        model = Supplier
        fields = ["kind", "updated_since"]


@extend_schema_view(list=extend_schema(summary="List the suppliers"),
                    retrieve=extend_schema(summary="Read a supplier", parameters=[VAT]))
class SupplierViewSet(List, Retrieve, ApiViewSet):
    serializer_class = SupplierSerializer
    filterset_class = SupplierFilter
    lookup_field = "vat_number"

    def list_allowed(self) -> bool:
        return permissions.can_view_suppliers(self.request.user)

    def get_queryset(self):
        # As the supplier pages: 403 on the list (above), 404 on one for who may not see suppliers.
        if not permissions.can_view_suppliers(self.request.user):
            return Supplier.objects.none()
        return Supplier.objects.all()


class PurchaseOrderFilter(ApiFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=PurchaseOrder.Status.choices)
    project = django_filters.CharFilter(field_name="project__code", help_text="The project's code.")
    supplier = django_filters.CharFilter(field_name="supplier__vat_number", help_text="The supplier's VAT number.")

    class Meta:
        model = PurchaseOrder
        fields = ["status", "project", "supplier", "updated_since"]


def purchase_orders_for_api(user):
    """What the order list shows, with everything its rows name read in a fixed number of queries. The
    three people are prefetched rather than joined: a seven-table join cost PostgreSQL 10 ms to plan for
    1.4 ms of execution (bench/pages.py --api), three lookups by primary key cost a fraction of that."""
    return (permissions.purchase_orders_visible_to(user, PurchaseOrder.objects.all())
            .select_related("project", "supplier", "budget_line")
            .prefetch_related("lines", "created_by", "submitted_by", "approved_by"))


def formset_data(lines: list[dict]) -> dict:
    """The order form's line formset as the page posts it."""
    data = {"lines-TOTAL_FORMS": str(len(lines)), "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "1",
            "lines-MAX_NUM_FORMS": "1000"}
    for index, line in enumerate(lines):
        data.update({f"lines-{index}-{name}": value for name, value in line.items()})
    return data


def validated_lines(lines: list[dict]) -> list[dict]:
    formset = PurchaseOrderLineFormSet(formset_data(lines), prefix="lines")
    if not formset.is_valid():
        errors = {}
        for index, form in enumerate(formset.forms):
            for name, messages in form.errors.items():
                errors.setdefault(index, {})[name] = [str(m) for m in messages]
        if errors:
            raise ValidationError({"lines": [errors.get(index, {}) for index in range(len(formset.forms))]})
        raise ValidationError({"lines": [str(m) for m in formset.non_form_errors()]})
    return line_values(formset)


@extend_schema_view(
    list=extend_schema(summary="List the purchase orders you may see"),
    retrieve=extend_schema(summary="Read a purchase order with its lines", parameters=[NUMBER]),
    create=extend_schema(summary="Draft a purchase order", parameters=[IDEMPOTENCY_KEY],
                         request=PurchaseOrderWriteSerializer, responses={201: PurchaseOrderSerializer}),
    partial_update=extend_schema(summary="Change a draft purchase order", parameters=[NUMBER, IF_MATCH],
                                 request=PurchaseOrderChangeSerializer, responses={200: PurchaseOrderSerializer}),
)
class PurchaseOrderViewSet(List, Retrieve, ApiViewSet):
    queryset = PurchaseOrder.objects.none()  # for the schema only
    serializer_class = PurchaseOrderSerializer
    filterset_class = PurchaseOrderFilter
    lookup_field = "number"

    def list_allowed(self) -> bool:
        return permissions.can_view_purchasing(self.request.user)

    def get_queryset(self):
        return purchase_orders_for_api(self.request.user)

    @cached_property
    def po(self) -> PurchaseOrder:
        return self.get_object()

    def retrieve(self, request, *args, **kwargs):
        return self._answer(self.po)

    def _answer(self, po, code=status.HTTP_200_OK, **headers):
        po = self.get_queryset().get(pk=po.pk)
        data = PurchaseOrderSerializer(po, context={"actions": purchase_order_actions_for_user(self.request.user, po)}
                                       ).data
        return Response(data, status=code, headers={"ETag": etag_of(po), **headers})

    @idempotent
    def create(self, request, *args, **kwargs):
        values = self.validated(PurchaseOrderWriteSerializer(data=request.data))
        # As the page: 404 for a project the caller may not see, 403 for one they may not order on.
        project = permissions.get_project_for_user(request.user, values.pop("project"))
        permissions.require(permissions.can_draft_purchase_order(request.user, project))
        lines = validated_lines(values.pop("lines"))
        data = self.form_data(PurchaseOrderForm, values, project=project)
        po = services.purchase_order_create(project_id=project.pk, by=request.user, data=data, lines=lines)
        return self._answer(po, status.HTTP_201_CREATED, Location=f"{request.path}{po.number}/")

    def partial_update(self, request, *args, **kwargs):
        po = self.po
        permissions.require(permissions.can_edit_purchase_order(request.user, po))
        values = self.validated(PurchaseOrderChangeSerializer(po, data=request.data, partial=True))
        version = expected_version(request, po)
        lines = validated_lines(values.pop("lines") if "lines" in values else initial_lines(po))
        data = self.form_data(PurchaseOrderForm, values, instance=po, project=po.project)
        po = services.purchase_order_update(po_id=po.pk, by=request.user, data=data, lines=lines,
                                            expected_version=version)
        return self._answer(po)

    def _transition(self, call, *, form_class=None, serializer_class=None, allowed=True):
        """The page's refusal first (403 where the page refuses to open its form), then the body through
        the page's form, then the service: a transition it refuses is 422 with its reason."""
        po = self.po
        permissions.require(allowed)
        if self.request.headers.get("If-Match"):
            expected_version(self.request, po)
        values = {}
        if serializer_class is not None:
            values = self.validated(serializer_class(data=self.request.data))
            form = form_class(values)
            if not form.is_valid():
                raise ValidationError({name: [str(m) for m in messages] for name, messages in form.errors.items()})
            values = form.cleaned_data
        return self._answer(call(po, **values))

    @extend_schema(summary="Submit for approval (a PM within budget: approved at once)",
                   parameters=[NUMBER, IF_MATCH_OPTIONAL], request=None,
                   responses={200: PurchaseOrderSerializer})
    def submit(self, request, *args, **kwargs):
        return self._transition(lambda po: services.purchase_order_submit(po_id=po.pk, by=request.user))

    @extend_schema(summary="Send to the supplier (the PDF is e-mailed)", parameters=[NUMBER, IF_MATCH_OPTIONAL],
                   request=None, responses={200: PurchaseOrderSerializer})
    def send(self, request, *args, **kwargs):
        return self._transition(lambda po: services.purchase_order_send(po_id=po.pk, by=request.user))

    @extend_schema(summary="Close a fully invoiced order", parameters=[NUMBER, IF_MATCH_OPTIONAL],
                   request=None, responses={200: PurchaseOrderSerializer})
    def close(self, request, *args, **kwargs):
        return self._transition(lambda po: services.purchase_order_close(po_id=po.pk, by=request.user))

    @extend_schema(summary="Approve (the PM within budget, the PMO lead beyond it)",
                   parameters=[NUMBER, IF_MATCH_OPTIONAL], request=DecisionSerializer,
                   responses={200: PurchaseOrderSerializer})
    def approve(self, request, *args, **kwargs):
        return self._transition(
            lambda po, comment: services.purchase_order_approve(po_id=po.pk, by=request.user, comment=comment),
            form_class=DecisionForm, serializer_class=DecisionSerializer,
            allowed=permissions.can_decide_purchase_orders_of(request.user, self.po.project))

    @extend_schema(summary="Reject: back to draft, with the reason", parameters=[NUMBER, IF_MATCH_OPTIONAL],
                   request=DecisionSerializer, responses={200: PurchaseOrderSerializer})
    def reject(self, request, *args, **kwargs):
        return self._transition(
            lambda po, comment: services.purchase_order_reject(po_id=po.pk, by=request.user, comment=comment),
            form_class=DecisionForm, serializer_class=DecisionSerializer,
            allowed=permissions.can_decide_purchase_orders_of(request.user, self.po.project))

    @extend_schema(summary="Cancel, with the reason", parameters=[NUMBER, IF_MATCH_OPTIONAL],
                   request=ReasonSerializer, responses={200: PurchaseOrderSerializer})
    def cancel(self, request, *args, **kwargs):
        return self._transition(
            lambda po, reason: services.purchase_order_cancel(po_id=po.pk, by=request.user, reason=reason),
            form_class=ReasonForm, serializer_class=ReasonSerializer,
            allowed=permissions.can_handle_purchase_order(request.user, self.po))
