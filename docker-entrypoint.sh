#!/bin/sh
# Migrate, then hand the process over to gunicorn (sync workers: cores + 1).
set -e
python manage.py migrate --noinput
exec gunicorn config.wsgi \
  --bind "0.0.0.0:${PORT:-8000}" \
  --workers "${WEB_CONCURRENCY:-$(( $(nproc) + 1 ))}" \
  --access-logfile - \
  --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}"
