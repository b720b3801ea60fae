# The production image: gunicorn serving Django, static files collected and served by WhiteNoise.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production

RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext postgresql-client curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --uid 1000 app

WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --upgrade pip && pip install -e .
COPY . .
RUN DJANGO_SECRET_KEY=build-only-not-secret-build-only-not-secret-build-only \
    python manage.py collectstatic --noinput \
    && python manage.py compilemessages -l zh_Hans --ignore=.venv \
    && mkdir -p /app/var/media /app/var/backups && chown -R app /app/var

USER app
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "4", "--access-logfile", "-"]
