#!/bin/sh
# One image, three roles: the web app (the default: migrate, then gunicorn with cores + 1 sync workers),
# `worker` (sends mail from the task queue), and `schedule` (queues the mail that falls due, every 5 minutes;
# or leave it out and have cron run `python manage.py queue_due_mail` every few minutes).
set -e
case "$1" in
  worker)
    exec python manage.py db_worker --verbosity 1 ;;
  schedule)
    exec python manage.py queue_due_mail --every "${SCHEDULE_EVERY:-300}" ;;
esac
python manage.py migrate --noinput
exec gunicorn config.wsgi \
  --bind "0.0.0.0:${PORT:-8000}" \
  --workers "${WEB_CONCURRENCY:-$(( $(nproc) + 1 ))}" \
  --access-logfile - \
  --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}"
