from django.urls import path

from projects.views import timesheets as views

app_name = "timesheets"

urlpatterns = [
    path("", views.my_timesheet, name="mine"),
    path("approvals/", views.timesheet_approvals, name="approvals"),
    path("rates/", views.cost_rate_list, name="rates"),
    path("rates/new/", views.cost_rate_edit, name="rate_create"),
    path("rates/<int:pk>/", views.cost_rate_edit, name="rate_edit"),
    path("rates/<int:pk>/history/", views.cost_rate_history, name="rate_history"),
    path("locks/", views.month_locks, name="locks"),
    path("<int:pk>/", views.timesheet_detail, name="detail"),
    path("<int:pk>/history/", views.timesheet_history, name="history"),
    path("<int:pk>/<slug:action>/", views.timesheet_decide, name="decide"),
]
