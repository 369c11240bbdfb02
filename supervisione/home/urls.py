from django.urls import path

from supervisione.home import views

app_name = "home"

urlpatterns = [path("", views.home, name="home")]
