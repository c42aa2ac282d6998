"""PostgreSQL only: the database refuses two overlapping live bookings of one helper.

An exclusion constraint over the booked time range (btree_gist lets the helper id join the
GiST index). SQLite has no such constraint; there the booking service checks inside the
IMMEDIATE write transaction instead, which serialises every writer.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE bookings_booking ADD CONSTRAINT booking_no_overlap_per_helper
    EXCLUDE USING gist (helper_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
    WHERE (cancelled_at IS NULL);
"""
DROP = "ALTER TABLE bookings_booking DROP CONSTRAINT IF EXISTS booking_no_overlap_per_helper;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("bookings", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
