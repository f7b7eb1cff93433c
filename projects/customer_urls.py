from django.urls import path

from . import customer_views as views

app_name = "customers"

urlpatterns = [
    path("", views.customer_list, name="list"),
    path("new/", views.customer_create, name="create"),
    path("<int:pk>/", views.customer_detail, name="detail"),
    path("<int:pk>/edit/", views.customer_edit, name="edit"),
    path("<int:pk>/contacts/", views.customer_contact_add, name="contact_add"),
    path("<int:pk>/history/", views.customer_history, name="history"),
]
