# ZI Portal image for web, worker and beat (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends libmagic1 libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
      fonts-dejavu-core shared-mime-info gettext postgresql-client \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
RUN useradd --system --uid 1000 --home /app zi \
 && mkdir -p /app/var /data/evidence \
 && SECRET_KEY=build-only DEBUG=false python manage.py collectstatic --no-input \
 && SECRET_KEY=build-only DEBUG=false python manage.py compilemessages --ignore=var -v 0 \
 && chown -R zi /app/var /data/evidence
USER zi
EXPOSE 8000
CMD ["gunicorn", "zi_portal.wsgi:application", "--config", "gunicorn.conf.py"]
