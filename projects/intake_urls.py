from django.urls import path

from . import intake_views as views

app_name = "intakes"

urlpatterns = [
    path("", views.intake_list, name="list"),
    path("new/", views.intake_create, name="create"),
    path("<int:pk>/", views.intake_detail, name="detail"),
    path("<int:pk>/edit/", views.intake_edit, name="edit"),
    path("<int:pk>/attachments/", views.intake_attachment_add, name="attachment_add"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.intake_attachment_download, name="attachment_download"),
    path("<int:pk>/attachments/<int:attachment_pk>/delete/", views.intake_attachment_delete,
         name="attachment_delete"),
    path("<int:pk>/submit/", views.intake_submit, name="submit"),
    path("<int:pk>/messages/", views.intake_message, name="message"),
    path("<int:pk>/return/", views.intake_return, name="return"),
    path("<int:pk>/reject/", views.intake_reject, name="reject"),
    path("<int:pk>/accept/", views.intake_accept, name="accept"),
    path("<int:pk>/history/", views.intake_history, name="history"),
]
