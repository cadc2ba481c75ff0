from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("konto/registrera/", views.signup, name="signup"),
    path("konto/bekrafta/<str:token>/", views.verify_email, name="verify"),
    path("konto/bekrafta-igen/", views.verify_resend, name="verify-resend"),
    path("konto/logga-in/", views.LoginView.as_view(), name="login"),
    path("konto/logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("konto/e-postlank/", views.email_login_request, name="email-login"),
    path("konto/e-postlank/<str:token>/", views.email_login_complete, name="email-login-complete"),
    path("konto/glomt-losenord/", views.PasswordResetView.as_view(), name="password-reset"),
    path(
        "konto/glomt-losenord/skickat/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password-reset-done",
    ),
    path(
        "konto/nytt-losenord/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path("konto/byt-losenord/", views.PasswordChangeView.as_view(), name="password-change"),
    path("konto/profil/", views.profile, name="profile"),
    path("konto/visningsnamn/", views.choose_display_name, name="display-name"),
    path("konto/api-nycklar/", views.api_token_create, name="api-token-create"),
    path("konto/api-nycklar/<int:pk>/aterkalla/", views.api_token_revoke, name="api-token-revoke"),
    path("konto/mina-uppgifter.json", views.export_my_data, name="export-data"),
    path("konto/radera/", views.delete_account, name="delete-account"),
    path("konto/anvandare/", views.user_roles, name="user-roles"),
    path("organisationer/", views.organisation_list, name="organisation-list"),
    path("organisationer/ny/", views.organisation_create, name="organisation-create"),
    path("organisationer/<slug:slug>/", views.organisation_detail, name="organisation-detail"),
    path(
        "organisationer/<slug:slug>/andra/", views.organisation_update, name="organisation-update"
    ),
    path(
        "organisationer/<slug:slug>/bjud-in/", views.organisation_invite, name="organisation-invite"
    ),
    path("medlemskap/<int:pk>/", views.membership_update, name="membership-update"),
    path("inbjudan/<str:secret>/", views.invitation, name="invitation"),
]
