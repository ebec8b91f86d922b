from django.urls import path

from . import views

app_name = "wins"
urlpatterns = [
    path("today/", views.today, name="today"),
    path("t/<slug:team_slug>/", views.feed, name="feed"),
]
