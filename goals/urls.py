from datetime import date

from django.urls import path, register_converter

from . import views


class DateConverter:
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value):
        return date.fromisoformat(value)

    def to_url(self, value):
        return value.isoformat()


register_converter(DateConverter, "yyyy-mm-dd")

app_name = "goals"
urlpatterns = [
    path("account/export.zip", views.export_everything, name="export"),
    path("goals/", views.index, name="index"),
    path("goals/panel/", views.panel, name="panel"),
    path("goals/new/", views.new_goal, name="new"),
    path("goals/start/", views.start, name="start"),
    path("goals/<code:goal_code>/", views.detail, name="detail"),
    path("goals/<code:goal_code>/measurements/", views.measure, name="measure"),
    path("goals/<code:goal_code>/status/", views.set_status, name="status"),
    path("plan/", views.plan, name="plan"),
    path("plan/<code:code>/<str:action>/", views.change_intention, name="intention"),
    path("review/", views.review, name="review"),
    path("review/<yyyy-mm-dd:day>/", views.review, name="past_review"),
    path("t/<slug:team_slug>/dashboard/", views.team_dashboard, name="dashboard"),
    path("t/<slug:team_slug>/people/<code:member_code>/", views.person_page, name="person"),
]
