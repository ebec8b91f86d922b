import logging
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from digests.services import forget_old_mail, queue_due_mail

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Queue the mail that has fallen due (digests, weeks, nudges, morning prompts) for `db_worker` to send. "
        "Run it from cron every few minutes, or with --every to keep running. A run that was missed is made "
        "up by the next while the mail is still due; each mail goes once, however often this runs. "
        "Records of mail sent over 60 days ago, and finished task results over 14 days old, are deleted as it goes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, metavar="SECONDS", help="Keep running, once every SECONDS.")

    def handle(self, *args, every=None, **options):
        if not every:
            return self.run_once(options["verbosity"])
        while True:  # a database restart, or a locked SQLite file, costs one run: the next catches up
            close_old_connections()
            try:
                self.run_once(options["verbosity"])
            except Exception:
                logger.exception("The mail schedule failed; trying again in %s seconds", every)
            time.sleep(every)

    def run_once(self, verbosity):
        forget_old_mail()
        queued = queue_due_mail()
        if queued or verbosity > 1:
            self.stdout.write(f"Queued {len(queued)} mail{'' if len(queued) == 1 else 's'}.")
