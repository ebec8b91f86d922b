from django.urls import path

from . import views

app_name = "teams"
urlpatterns = [
    path("account/", views.account, name="account"),
    path("account/mail/", views.mail_settings, name="mail"),
    path("mail/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("account/sessions/<int:session_id>/end/", views.end_session, name="end_session"),
    path("account/sessions/end-others/", views.end_other_sessions, name="end_other_sessions"),
    path("account/delete/", views.delete_account, name="delete_account"),
    path("teams/new/", views.new_team, name="new"),
    path("join/<code:token>/", views.join, name="join"),
    path("t/<slug:team_slug>/settings/", views.team_settings, name="settings"),
    path("t/<slug:team_slug>/invitations/", views.create_invitation, name="invite"),
    path("t/<slug:team_slug>/invitations/<int:invitation_id>/revoke/", views.revoke_invitation, name="revoke"),
    path("t/<slug:team_slug>/members/<code:member_code>/role/", views.change_role, name="role"),
    path("t/<slug:team_slug>/members/<code:member_code>/remove/", views.remove_member, name="remove"),
    path("t/<slug:team_slug>/members/<code:member_code>/remove/confirm/", views.confirm_remove, name="confirm_remove"),
    path("t/<slug:team_slug>/leave/", views.leave_team, name="leave"),
    path("t/<slug:team_slug>/leave/confirm/", views.confirm_leave, name="confirm_leave"),
    path("t/<slug:team_slug>/blockers/<int:blocker_id>/clear/", views.clear_blocker, name="clear_blocker"),
    path("t/<slug:team_slug>/blockers/<int:blocker_id>/withdraw/", views.withdraw_blocker, name="withdraw_blocker"),
    path("t/<slug:team_slug>/kinds/", views.add_score_kind, name="add_kind"),
    path("t/<slug:team_slug>/kinds/<int:kind_id>/", views.edit_score_kind, name="edit_kind"),
    path("t/<slug:team_slug>/kinds/<int:kind_id>/move/", views.move_score_kind, name="move_kind"),
    path("t/<slug:team_slug>/kinds/<int:kind_id>/archive/", views.archive_score_kind, name="archive_kind"),
]
