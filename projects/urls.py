from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("<str:code>/", views.project_detail, name="detail"),
    path("<str:code>/history/", views.project_history, name="history"),
]
