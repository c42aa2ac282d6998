"""The WSGI application (gunicorn: deploy/gunicorn.conf.py). It refuses to start when the
static files are not collected: every page would fail otherwise (quartier/web/checks.py)."""

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quartier.settings")
application = get_wsgi_application()

from quartier.web.checks import static_problems  # noqa: E402  (needs the apps loaded)

if problems := static_problems():
    raise ImproperlyConfigured(f"{problems[0].msg} {problems[0].hint}")
