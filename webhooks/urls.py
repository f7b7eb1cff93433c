from django.urls import path

from . import views

app_name = "webhooks"
urlpatterns = [
    path("", views.subscription_list, name="list"),
    path("new/", views.subscription_create, name="create"),
    path("<int:pk>/", views.subscription_edit, name="edit"),
    path("<int:pk>/deactivate/", views.subscription_deactivate, name="deactivate"),
    path("<int:pk>/deliveries/", views.delivery_list, name="deliveries"),
    path("<int:pk>/deliveries/<int:delivery_pk>/resend/", views.delivery_resend, name="resend"),
]
