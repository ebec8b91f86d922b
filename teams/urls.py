from django.urls import path

from . import views

app_name = "teams"
urlpatterns = [
    path("account/", views.account, name="account"),
    path("teams/new/", views.new_team, name="new"),
    path("join/<str:token>/", views.join, name="join"),
    path("t/<slug:team_slug>/settings/", views.team_settings, name="settings"),
    path("t/<slug:team_slug>/invitations/", views.create_invitation, name="invite"),
    path("t/<slug:team_slug>/invitations/<int:invitation_id>/revoke/", views.revoke_invitation, name="revoke"),
    path("t/<slug:team_slug>/members/<str:member_code>/role/", views.change_role, name="role"),
    path("t/<slug:team_slug>/members/<str:member_code>/remove/", views.remove_member, name="remove"),
    path("t/<slug:team_slug>/leave/", views.leave_team, name="leave"),
]
