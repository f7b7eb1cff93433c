from django.contrib.auth import views as auth_views
from django.urls import path

from . import oidc_views, views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("oidc/start/", oidc_views.OIDCStartView.as_view(), name="oidc_start"),
    path("oidc/callback/", oidc_views.OIDCCallbackView.as_view(), name="oidc_callback"),
    path("break-glass/<str:token>/", views.break_glass, name="break_glass"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("language/", views.set_language, name="set_language"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
]
