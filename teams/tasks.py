"""Work for `manage.py db_worker` (django.tasks on the database)."""

from django.tasks import task

from . import services


@task()
def send_invitation(invitation_id):
    """Mail an invitation's link (see services.mail_invitation); True when it went."""
    return services.mail_invitation(invitation_id=invitation_id)
