"""Work for `manage.py db_worker` (django.tasks on the database)."""

from django.tasks import task

from . import services


@task()
def send_delivery(delivery_id):
    """Send one claimed mail (see services.deliver); True when it went."""
    return services.deliver(delivery_id=delivery_id)
