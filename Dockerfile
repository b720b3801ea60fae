# The production image: gunicorn serving Django, static files collected and served by WhiteNoise.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm
FROM ${PYTHON_IMAGE}

# Intranet builds: point these at the local mirrors (e.g. --build-arg
# PIP_INDEX_URL=https://pypi.mirror.example.gov.cn/simple
# --build-arg DEBIAN_MIRROR=http://mirror.example.gov.cn/debian). Empty: the public defaults.
ARG PIP_INDEX_URL=
ARG PIP_TRUSTED_HOST=
ARG DEBIAN_MIRROR=

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production

RUN if [ -n "$DEBIAN_MIRROR" ]; then \
        sed -i -E "s|^URIs: .*/debian\$|URIs: $DEBIAN_MIRROR|; s|^URIs: .*/debian-security\$|URIs: $DEBIAN_MIRROR-security|" \
            /etc/apt/sources.list.d/debian.sources; \
    fi \
    && apt-get update \
    && apt-get install -y --no-install-recommends gettext postgresql-client curl \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-wqy-microhei \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --uid 1000 app

WORKDIR /app
COPY pyproject.toml README.md requirements.lock ./
RUN if [ -z "$PIP_INDEX_URL" ]; then unset PIP_INDEX_URL; fi; \
    if [ -z "$PIP_TRUSTED_HOST" ]; then unset PIP_TRUSTED_HOST; fi; \
    pip install --upgrade pip && pip install -c requirements.lock -e .
COPY . .
RUN DJANGO_SECRET_KEY=build-only-not-secret-build-only-not-secret-build-only \
    CACHE_URL=redis://build-only:6379/0 \
    python manage.py collectstatic --noinput \
    && python manage.py compilemessages -l zh_Hans --ignore=.venv \
    && mkdir -p /app/var/media /app/var/backups && chown -R app /app/var

USER app
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "-c", "config/gunicorn.py"]
