from django.contrib.auth import views as auth_views
from django.urls import path

from supervisione.accounts.views import auth, two_factor, users

app_name = "accounts"

urlpatterns = [
    path("accedi/", auth.LoginView.as_view(), name="login"),
    path("accedi/codice/", auth.login_code, name="login_code"),
    path("esci/", auth_views.LogoutView.as_view(), name="logout"),
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
