"""`Request` collided with the HTTP request in a dozen signatures: the model is `JobRequest`
now (table `jobs_jobrequest`); the API paths and payloads are unchanged."""

from django.conf import settings
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0003_request_pending_contact"),
        ("catalog", "0002_seed_taxonomy"),
        # Every migration that still names "jobs.request" must run before the rename.
        ("bookings", "0005_booking_customer_pending"),
        ("dispatch", "0001_initial"),
        ("messaging", "0001_initial"),
        ("partners", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel("Request", "JobRequest"),
    ]
