from django.contrib.auth import views as auth_views
from django.urls import path

from supervisione.accounts.views import auth, invitations, two_factor, users

app_name = "accounts"

urlpatterns = [
    path("accedi/", auth.LoginView.as_view(), name="login"),
    path("accedi/codice/", auth.login_code, name="login_code"),
    path("esci/", auth_views.LogoutView.as_view(), name="logout"),
    path("accedi/password-dimenticata/", auth.PasswordResetView.as_view(), name="password_reset"),
    path("accedi/password-dimenticata/inviata/", auth.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accedi/nuova-password/<str:uidb64>/<str:token>/",
        auth.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accedi/nuova-password/fatto/", auth.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("invito/<str:token>/", invitations.accept, name="invitation_accept"),
    path("inviti/partenariati/<str:code>/", invitations.partnership_invitations, name="partnership_invitations"),
    path("inviti/ats/<str:code>/", invitations.ambito_invitations, name="ambito_invitations"),
    path("inviti/partenariati/<str:code>/coordinatore/", invitations.invite_coordinator, name="invite_coordinator"),
    path("inviti/ats/<str:code>/referente/", invitations.invite_referent, name="invite_referent"),
    path("inviti/<int:pk>/invia-di-nuovo/", invitations.invitation_resend, name="invitation_resend"),
    path("inviti/<int:pk>/revoca/", invitations.invitation_revoke, name="invitation_revoke"),
    path("profilo/", auth.profile, name="profile"),
    path("profilo/password/", auth.PasswordChangeView.as_view(), name="password_change"),
    path("profilo/verifica-in-due-passaggi/", two_factor.two_factor_page, name="two_factor"),
    path("profilo/verifica-in-due-passaggi/attiva/", two_factor.two_factor_start, name="two_factor_start"),
    path("profilo/verifica-in-due-passaggi/conferma/", two_factor.two_factor_confirm, name="two_factor_confirm"),
    path("profilo/verifica-in-due-passaggi/disattiva/", two_factor.two_factor_disable, name="two_factor_disable"),
    path("utenti/", users.user_list, name="user_list"),
    path("utenti/nuovo/", users.user_create, name="user_create"),
    path("utenti/<int:pk>/", users.user_detail, name="user_detail"),
    path("utenti/<int:pk>/ruoli/aggiungi/", users.role_add, name="role_add"),
    path("utenti/<int:pk>/ruoli/<int:role_pk>/togli/", users.role_remove, name="role_remove"),
    path("utenti/<int:pk>/verifica-in-due-passaggi/azzera/", two_factor.two_factor_reset, name="two_factor_reset"),
]
