from django.urls import path

from . import views

app_name = "goals"
urlpatterns = [
    path("goals/", views.index, name="index"),
    path("goals/panel/", views.panel, name="panel"),
    path("goals/new/", views.new_goal, name="new"),
    path("goals/start/", views.start, name="start"),
    path("goals/<str:goal_code>/", views.detail, name="detail"),
    path("goals/<str:goal_code>/measurements/", views.measure, name="measure"),
    path("goals/<str:goal_code>/status/", views.set_status, name="status"),
]
