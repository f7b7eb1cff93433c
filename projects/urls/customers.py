from django.urls import path

from projects.views import customers

app_name = "customers"


urlpatterns = [
    path("", customers.customer_list, name="list"),
    path("new/", customers.customer_create, name="create"),
    path("<int:pk>/", customers.customer_detail, name="detail"),
    path("<int:pk>/edit/", customers.customer_edit, name="edit"),
    path("<int:pk>/contacts/", customers.customer_contact_add, name="contact_add"),
    path("<int:pk>/contacts/<int:contact_pk>/reports/", customers.customer_contact_reports, name="contact_reports"),
    path("<int:pk>/history/", customers.customer_history, name="history"),
]
