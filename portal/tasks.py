"""Plumbing tasks: a health check proving a worker is connected to the broker and the database."""

from celery import shared_task
from django.db import connection


@shared_task
def healthcheck() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        (db_ok,) = cursor.fetchone()
    return {"worker": "ok", "database": db_ok == 1, "vendor": connection.vendor}
