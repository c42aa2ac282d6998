"""API tokens expire and die with a password change (see ApiToken).

Existing tokens never expired: they get the usual lifetime counted from their creation
(older ones expire now) and the marker of their user's current password.
"""

from datetime import timedelta

import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.utils.crypto import salted_hmac

# Keep in step with quartier.accounts.selectors.PASSWORD_MARKER_SALT.
PASSWORD_MARKER_SALT = "quartier.accounts.api-token.password"


def fill(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    lifetime = timedelta(days=settings.QUARTIER_API_TOKEN_DAYS)
    for token in ApiToken.objects.select_related("user"):
        token.expires_at = token.created_at + lifetime
        token.password_marker = salted_hmac(
            PASSWORD_MARKER_SALT, token.user.password, algorithm="sha256"
        ).hexdigest()
        token.save(update_fields=["expires_at", "password_marker"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_pending_contact")]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="apitoken",
            name="password_marker",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
