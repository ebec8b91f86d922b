from django.urls import path

from . import views

app_name = "teams"
urlpatterns = [
    path("account/", views.account, name="account"),
]
