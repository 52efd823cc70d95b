import importlib
import os
import shutil
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from crm import settings as settings_module

TEST_KEY = os.environ["SECRET_KEY"]


READ = [
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "DB_CONN_MAX_AGE",
    "TIME_ZONE",
    "LANGUAGE_CODE",
]
A_KEY = "a-real-secret-" + "x7Qp2" * 12


def load_settings(monkeypatch, **env):
    """The settings module as the environment `env` (and no .env file unless ENV_FILE names
    one) makes it."""
    for name in READ:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ENV_FILE", "")
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
    s = load_settings(monkeypatch, SECRET_KEY=A_KEY)
    assert s.DEBUG is False
    assert s.ALLOWED_HOSTS == []
    assert s.TIME_ZONE == "Asia/Shanghai"
    assert s.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert str(s.DATABASES["default"]["NAME"]).endswith("var/cuilong.sqlite3")
    assert s.SESSION_COOKIE_SECURE is True


def test_the_insecure_default_key_starts_only_with_debug_on(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY is not set.*secrets.token_urlsafe"):
        load_settings(monkeypatch)
    s = load_settings(monkeypatch, DEBUG="1")
    assert s.SECRET_KEY.startswith("django-insecure-")


def test_empty_values_count_as_unset(monkeypatch):
    s = load_settings(
        monkeypatch,
        **{name: "" for name in READ if name != "SECRET_KEY"},
        SECRET_KEY=A_KEY,
    )
    assert s.DEBUG is False
    assert s.ALLOWED_HOSTS == []
    assert s.TIME_ZONE == "Asia/Shanghai"
    assert s.LANGUAGE_CODE == "zh-hans"
    assert str(s.DATABASES["default"]["NAME"]).endswith("var/cuilong.sqlite3")


def test_an_empty_secret_key_is_the_missing_key(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        load_settings(monkeypatch, SECRET_KEY="")


@pytest.mark.parametrize("raw", ["mysql-ish://nowhere", "not a url"])
def test_a_bad_database_url_names_the_variable(monkeypatch, raw):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        load_settings(monkeypatch, SECRET_KEY=A_KEY, DATABASE_URL=raw)


def test_a_dotenv_file_is_read_and_the_environment_wins(monkeypatch, tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        "# a developer's file\nDEBUG=1\nTIME_ZONE=Europe/Paris\nSECRET_KEY=from-the-file-"
        + "k" * 40
        + "\n"
    )
    monkeypatch.setenv("ENV_FILE", str(dotenv))
    for name in READ:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TIME_ZONE", "Asia/Tokyo")
    try:
        s = importlib.reload(settings_module)
    finally:
        monkeypatch.undo()
        for name in ("DEBUG", "SECRET_KEY"):  # read_env wrote them into this process
            os.environ.pop(name, None)
        os.environ["SECRET_KEY"] = TEST_KEY
    assert s.DEBUG is True
    assert s.SECRET_KEY.startswith("from-the-file-")
    assert s.TIME_ZONE == "Asia/Tokyo"


def test_the_sqlite_folder_is_created_on_first_use(monkeypatch, tmp_path):
    target = tmp_path / "not" / "yet" / "db.sqlite3"
    load_settings(monkeypatch, SECRET_KEY=A_KEY, DATABASE_URL=f"sqlite:///{target}")
    assert target.parent.is_dir()


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
        "ENV_FILE": "",
        "SECRET_KEY": A_KEY,
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


def test_a_fresh_clone_works_with_only_the_generated_dotenv(tmp_path):
    """What `make setup` leaves: the plain Django commands work from the generated .env alone
    (no variable in the environment, no var/ folder yet)."""
    clone = tmp_path / "clone"
    ignore = shutil.ignore_patterns(
        ".git", ".venv", "node_modules", "var", ".env", "test-artifacts", "__pycache__"
    )
    shutil.copytree(settings_module.BASE_DIR, clone, ignore=ignore)
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path)}

    def run(*args):
        return subprocess.run(
            [sys.executable, *args], capture_output=True, text=True, env=env, cwd=clone, check=False
        )

    wrote = run("scripts/write_env.py", ".env")
    assert wrote.returncode == 0, wrote.stderr
    assert "DEBUG=1" in (clone / ".env").read_text()
    checked = run("manage.py", "check", "--database", "default")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert (clone / "var" / "cuilong.sqlite3").exists()
    again = run("scripts/write_env.py", ".env")
    assert again.returncode == 0 and again.stdout == ""
