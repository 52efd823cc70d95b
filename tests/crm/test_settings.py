import importlib
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from crm import settings as settings_module


def load_settings(monkeypatch, **env):
    for name in [
        "DEBUG",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "CSRF_TRUSTED_ORIGINS",
        "DATABASE_URL",
        "TIME_ZONE",
    ]:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    try:
        return importlib.reload(settings_module)
    finally:
        monkeypatch.undo()


@pytest.fixture(autouse=True)
def restore_settings_module():
    yield
    importlib.reload(settings_module)


def test_defaults_are_safe(monkeypatch):
    s = load_settings(monkeypatch)
    assert s.DEBUG is False
    assert s.ALLOWED_HOSTS == []
    assert s.TIME_ZONE == "Asia/Shanghai"
    assert s.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert str(s.DATABASES["default"]["NAME"]).endswith("var/cuilong.sqlite3")
    assert s.SESSION_COOKIE_SECURE is True
    assert s.SECRET_KEY.startswith("django-insecure-")


def test_reads_the_environment(monkeypatch):
    s = load_settings(
        monkeypatch,
        DEBUG="1",
        SECRET_KEY="k" * 60,
        ALLOWED_HOSTS="crm.example.com, www.example.com",
        CSRF_TRUSTED_ORIGINS="https://crm.example.com",
        DATABASE_URL="postgres://u:p@db.example.com:5432/cuilong",
        TIME_ZONE="Europe/Paris",
    )
    assert s.DEBUG is True
    assert s.SECRET_KEY == "k" * 60
    assert s.ALLOWED_HOSTS == ["crm.example.com", "www.example.com"]
    assert s.CSRF_TRUSTED_ORIGINS == ["https://crm.example.com"]
    db = s.DATABASES["default"]
    assert (db["ENGINE"], db["HOST"], db["NAME"]) == (
        "django.db.backends.postgresql",
        "db.example.com",
        "cuilong",
    )
    assert s.TIME_ZONE == "Europe/Paris"


@pytest.mark.parametrize("raw", ["maybe", "2", "yes please"])
def test_a_bad_boolean_fails_loudly(monkeypatch, raw):
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        load_settings(monkeypatch, DEBUG=raw)


def test_check_deploy_is_clean_in_production_mode(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "0",
        "SECRET_KEY": "a-real-secret-" + "x7Qp2" * 12,
        "ALLOWED_HOSTS": "crm.example.com",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        cwd=settings_module.BASE_DIR,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
