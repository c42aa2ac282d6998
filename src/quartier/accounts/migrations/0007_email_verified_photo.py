"""E-mail verification and profile photos.

Accounts that exist before verification was introduced count as verified (their owners
have been using them, the demo's included): the gate is for new accounts only.
"""

from typing import Any

import django.db.models.functions.text
from django.db import migrations, models
from django.db.models import F


def existing_accounts_verified(apps: Any, schema_editor: Any) -> None:
    User = apps.get_model("accounts", "User")
    User.objects.filter(email_verified_at__isnull=True).update(email_verified_at=F("date_joined"))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_helper_tax_data_hold"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="email_verified_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="user",
            name="photo",
            field=models.FileField(blank=True, db_default="", upload_to="accounts/photos/%Y/%m/"),
        ),
        migrations.RunPython(existing_accounts_verified, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("email"), name="user_email_unique_any_case"
            ),
        ),
    ]
