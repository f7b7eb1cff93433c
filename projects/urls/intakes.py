from django.urls import path

from projects.views import intakes

app_name = "intakes"


urlpatterns = [
    path("", intakes.intake_list, name="list"),
    path("new/", intakes.intake_create, name="create"),
    path("<int:pk>/", intakes.intake_detail, name="detail"),
    path("<int:pk>/edit/", intakes.intake_edit, name="edit"),
    path("<int:pk>/attachments/", intakes.intake_attachment_add, name="attachment_add"),
    path("<int:pk>/attachments/<int:attachment_pk>/", intakes.intake_attachment_download, name="attachment_download"),
    path("<int:pk>/attachments/<int:attachment_pk>/delete/", intakes.intake_attachment_delete,
         name="attachment_delete"),
    path("<int:pk>/submit/", intakes.intake_submit, name="submit"),
    path("<int:pk>/messages/", intakes.intake_message, name="message"),
    path("<int:pk>/return/", intakes.intake_return, name="return"),
    path("<int:pk>/reject/", intakes.intake_reject, name="reject"),
    path("<int:pk>/accept/", intakes.intake_accept, name="accept"),
    path("<int:pk>/history/", intakes.intake_history, name="history"),
]
