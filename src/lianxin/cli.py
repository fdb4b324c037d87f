"""The ``lianxin`` command: demo, serve, worker, seed, and every Django management command."""

import errno
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path


def _django(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianxin.settings")
    import django
    from django.core.management import execute_from_command_line

    django.setup()
    _var_dir()

    execute_from_command_line(["lianxin", *argv])


def _var_dir() -> None:
    from django.conf import settings

    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)


# gunicorn's access log without query strings and referrers: those carry search terms (phone numbers, names) and
# api_key= values, and gunicorn's log lines do not pass through Django's masking filter.
ACCESS_LOG_FORMAT = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)s'


def serve(argv: list[str]) -> None:
    """gunicorn on 127.0.0.1:8000 (override with --bind/--workers or GUNICORN_CMD_ARGS)."""
    bind = os.environ.get("LIANXIN_BIND", "127.0.0.1:8000")
    workers = os.environ.get("LIANXIN_WORKERS", "2")
    cmd = [sys.executable, "-m", "gunicorn", "lianxin.wsgi", "--bind", bind, "--workers", workers,
           "--access-logfile", "-", "--access-logformat", ACCESS_LOG_FORMAT, *argv]
    os.execv(sys.executable, cmd)  # noqa: S606  (replace this process with gunicorn)


def demo_secret_key(var_dir: Path) -> str:
    """The demo's own random secret key, made on its first start and kept in var/ (readable by its owner only)."""
    path = var_dir / "secret_key"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


def bind_in_use(bind: str) -> bool:
    """Whether gunicorn could not listen on ``bind`` ("host:port") because something listens there already.

    Tried the way gunicorn binds (SO_REUSEADDR, so a port left in TIME_WAIT is free); a unix socket, a name that
    does not resolve or any other error is left for gunicorn to report."""
    host, sep, port = bind.rpartition(":")
    if not sep or bind.startswith(("unix:", "fd://")) or not port.isdigit():
        return False
    host = host.strip("[]") or "0.0.0.0"  # noqa: S104  (gunicorn's own default for ":8000")
    try:
        infos = socket.getaddrinfo(host, int(port), type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (OSError, UnicodeError):
        return False
    for family, kind, proto, _name, address in infos:
        with socket.socket(family, kind, proto) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind(address)
            except OSError as e:
                if e.errno == errno.EADDRINUSE:
                    return True
    return False


def scale_options(argv: list[str]) -> tuple[dict, list[str]]:
    """``--scale[=COUNTY]`` and ``--scale-cases=N`` for the seed; the other arguments are gunicorn's."""
    opts, rest = {}, []
    for arg in argv:
        name, sep, value = arg.partition("=")
        if name == "--scale":
            opts["scale"] = value if sep else "370883"  # 邹城 (demo.scale.DEFAULT_COUNTY; no Django here yet)
        elif name == "--scale-cases" and sep and value.isdigit():
            opts["scale_cases"] = int(value)
        else:
            rest.append(arg)
    return opts, rest


def demo(argv: list[str]) -> None:
    """Migrate the SQLite database under var/, seed the demo once, then run web server and worker."""
    scale, argv = scale_options(argv)
    if not os.environ.get("LIANXIN_SECRET_KEY"):
        os.environ["LIANXIN_SECRET_KEY"] = demo_secret_key(Path(os.environ.get("LIANXIN_VAR_DIR", Path.cwd() / "var")))
    # The demo's logins are published: two-step sign-in stays optional there (any account may turn it on);
    # LIANXIN_2FA_REQUIRED=1 shows the production behaviour.
    os.environ.setdefault("LIANXIN_2FA_REQUIRED", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianxin.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils.translation import gettext as _

    bind = os.environ.get("LIANXIN_BIND", "127.0.0.1:8000")
    # Before minutes of seeding, not after them when gunicorn cannot listen.
    if bind_in_use(bind):
        print(_("Cannot start the demo: %(bind)s is in use already (a demo or another server running?). Stop "
                "it, or choose another address with LIANXIN_BIND, e.g. LIANXIN_BIND=127.0.0.1:8001 ./scripts/demo")
              % {"bind": bind}, file=sys.stderr, flush=True)
        sys.exit(1)
    _var_dir()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("seed", demo=True, if_empty=True, **scale)
    env = dict(os.environ)
    procs = [
        subprocess.Popen([sys.executable, "-m", "lianxin.cli", "worker"], env=env),  # noqa: S603
        subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "gunicorn", "lianxin.wsgi", "--bind", bind, "--workers", "2", *argv], env=env
        ),
    ]
    print(f"\nLianxin demo: http://{bind}/  (Ctrl-C stops the web server and the worker)\n", flush=True)
    call_command("seed", logins=True)

    def stop(signum, frame):
        for p in procs:
            if p.poll() is None:
                p.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while all(p.poll() is None for p in procs):
            time.sleep(0.5)
    finally:
        stop(signal.SIGTERM, None)
        for p in procs:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv[0] if argv else "help"
    if command == "demo":
        demo(argv[1:])
    elif command == "serve":
        serve(argv[1:])
    else:
        _django(argv)


if __name__ == "__main__":
    main()
