from django.urls import path

from . import views

app_name = "wins"
urlpatterns = [
    path("today/", views.today, name="today"),
    path("wins/", views.post_win, name="post"),
    path("wins/<code:win_code>/edit/", views.edit_win, name="edit"),
    path("wins/<code:win_code>/delete/", views.delete_win, name="delete"),
    path("wins/<code:win_code>/restore/", views.restore_win, name="restore"),
    path("wins/<code:win_code>/applaud/", views.applaud, name="applaud"),
    path("wins/<code:win_code>/comments/", views.comment, name="comment"),
    path("account/wins.csv", views.export_my_wins, name="export_mine"),
    path("t/<slug:team_slug>/", views.feed, name="feed"),
    path("t/<slug:team_slug>/wins.csv", views.export_team_wins, name="export_team"),
]
