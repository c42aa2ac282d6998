"""The embedded installation's files are its user's alone: var/ is 0700, the SQLite
database (with its -wal and -shm) and the secret key 0600, uploads 0600 in 0700 folders."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

SCRIPT = """
import django
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE t (x integer)")
    cursor.execute("INSERT INTO t VALUES (1)")
"""


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_fresh_embedded_installation_is_private(tmp_path):
    var = tmp_path / "var"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "SECRET_KEY", "REDIS_URL"}
    } | {"QUARTIER_VAR_DIR": str(var), "DJANGO_SETTINGS_MODULE": "quartier.settings"}
    old = os.umask(0o022)  # a usual umask: files would be world-readable by default
    try:
        subprocess.run([sys.executable, "-c", SCRIPT], env=env, check=True, cwd=tmp_path)
    finally:
        os.umask(old)
    assert _mode(var) == 0o700
    database = var / "quartier.sqlite3"
    assert _mode(database) == 0o600
    assert _mode(var / "secret_key") == 0o600
    for companion in (var / "quartier.sqlite3-wal", var / "quartier.sqlite3-shm"):
        if companion.exists():
            assert _mode(companion) == 0o600


def test_an_existing_world_readable_database_is_tightened(tmp_path):
    var = tmp_path / "var"
    var.mkdir(mode=0o755)
    (var / "quartier.sqlite3").touch(mode=0o644)
    (var / "quartier.sqlite3").chmod(0o644)
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env |= {"QUARTIER_VAR_DIR": str(var), "DJANGO_SETTINGS_MODULE": "quartier.settings"}
    subprocess.run([sys.executable, "-c", SCRIPT], env=env, check=True, cwd=tmp_path)
    assert _mode(var) == 0o700
    assert _mode(var / "quartier.sqlite3") == 0o600


def test_uploads_are_private(tmp_path, settings):
    storage = FileSystemStorage(location=tmp_path / "media")
    name = storage.save("partners/escalations/2026/12/photo.jpg", ContentFile(b"\xff\xd8\xff"))
    assert _mode(Path(storage.path(name))) == 0o600
    assert _mode(Path(storage.path(name)).parent) == 0o700
