# syntax=docker/dockerfile:1
# Microwins: one container, PostgreSQL beside it, configuration from the environment.

FROM python:3.13-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /venv
COPY requirements.txt /tmp/requirements.txt
RUN /venv/bin/pip install -r /tmp/requirements.txt

FROM python:3.13-slim
ENV PATH=/venv/bin:$PATH PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PORT=8000
RUN groupadd --system app && useradd --system --gid app --home-dir /app --shell /usr/sbin/nologin app
COPY --from=build /venv /venv
WORKDIR /app
COPY --chown=app:app . .
# Static files are collected at build time; the throwaway key only lets settings load here.
RUN DEBUG=0 SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
    && chmod +x docker-entrypoint.sh && mkdir -p var && chown -R app:app var
USER app
EXPOSE 8000
# The probe names the first allowed host, so that Django accepts it whatever ALLOWED_HOSTS says.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD python docker-healthcheck.py
ENTRYPOINT ["./docker-entrypoint.sh"]
