import os
import subprocess
import sys

from django.conf import settings

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "x" * 64 + "-a-long-random-production-secret-0123456789",
    "ALLOWED_HOSTS": "hjulet.example.se",
    "DATABASE_URL": "sqlite:///:memory:",
    "PATH": os.environ.get("PATH", ""),
}


def _python(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """This Python run in the project's folder with only ``env`` for its environment."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return _python("manage.py", *args, env=env)


def test_production_settings_pass_check_deploy():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_secret_key_is_required_when_debug_is_off():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_smtp_is_used_when_configured():
    env = {**PRODUCTION_ENV, "EMAIL_HOST": "smtp.example.se"}
    result = _manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.EMAIL_BACKEND, settings.EMAIL_PORT)",
        env=env,
    )
    assert result.stdout.strip() == "django.core.mail.backends.smtp.EmailBackend 587"


def test_static_root_follows_the_environment(tmp_path):
    """The load test collects static files into a folder of its own, not the checkout's."""
    script = "from django.conf import settings; print(settings.STATIC_ROOT)"
    default = _manage("shell", "--no-imports", "-c", script, env=PRODUCTION_ENV)
    chosen = _manage(
        "shell", "--no-imports", "-c", script, env={**PRODUCTION_ENV, "STATIC_ROOT": str(tmp_path)}
    )
    assert default.stdout.strip() == str(settings.BASE_DIR / "staticfiles")
    assert chosen.stdout.strip() == str(tmp_path)


def _gunicorn_settings(env: dict[str, str]) -> str:
    """The values gunicorn takes from config/gunicorn.conf.py, read by gunicorn itself."""
    script = (
        "import sys; from gunicorn.app.wsgiapp import WSGIApplication; "
        "sys.argv = ['gunicorn', '-c', 'config/gunicorn.conf.py', 'config.wsgi']; "
        "c = WSGIApplication().cfg; "
        "print(c.workers, c.preload_app, c.timeout, c.max_requests)"
    )
    result = _python("-c", script, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_gunicorn_workers_default_to_twice_the_cores_plus_one_and_preload():
    assert _gunicorn_settings(PRODUCTION_ENV) == f"{2 * os.cpu_count() + 1} True 60 2000"


def test_gunicorn_workers_follow_web_concurrency():
    assert _gunicorn_settings({**PRODUCTION_ENV, "WEB_CONCURRENCY": "3"}).startswith("3 True")


def test_the_wsgi_module_loads_the_urlconf_and_leaves_no_connection_open():
    """With preload_app the master imports config.wsgi and then forks: every view must be
    imported by then, and no database connection may be left for the workers to share."""
    script = (
        "import sys, config.wsgi; from django.db import connection; "
        "print('hjulet.knowledge.views' in sys.modules, connection.connection is None)"
    )
    env = {**PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = _python("-c", script, env=env)
    assert result.stdout.strip() == "True True", result.stderr


def test_https_site_passes_check_deploy_with_csp_and_secure_cookies():
    env = {**PRODUCTION_ENV, "SITE_URL": "https://hjulet.example.se", "SECURE_HSTS_PRELOAD": "0"}
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout
    shown = _manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0, "
        "'csp.middleware.CSPMiddleware' in s.MIDDLEWARE)",
        env=env,
    )
    assert shown.stdout.split() == ["True"] * 5, shown.stdout + shown.stderr


def test_a_request_body_too_large_is_a_400_not_a_500(client, coordinator):
    client.force_login(coordinator)
    big = {"name": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)}
    response = client.post("/organisationer/ny/", big)
    assert response.status_code == 400
