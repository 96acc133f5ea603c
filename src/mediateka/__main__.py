"""The `mediateka` command: run, worker, demo, manage."""

import argparse
import os
import sys


def _django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mediateka.settings")
    import django

    django.setup()


def _manage(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mediateka.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["mediateka manage", *argv])


def _run(args: argparse.Namespace) -> None:
    _django_setup()
    from django.conf import settings
    from django.core.management import call_command

    from mediateka.ops import startup

    startup.preflight()
    startup.migrate()
    call_command("collectstatic", interactive=False, verbosity=0)
    startup.metrics_dir(settings.DATA_DIR)  # its lock stays held by gunicorn, which this process becomes
    argv = [
        "gunicorn",
        "mediateka.wsgi:application",
        "--config",
        "python:mediateka.ops.gunicorn_config",  # workers, threads, logs: from the environment
        "--bind",
        f"{args.host}:{args.port}",
        "--forwarded-allow-ips",
        os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
    ]
    if args.workers:
        argv += ["--workers", str(args.workers)]
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"Mediateka is serving at http://{host}:{args.port}/", flush=True)
    # Replaces this process, so signals from systemd or Ctrl-C reach gunicorn directly.
    os.execvp(sys.executable, [sys.executable, "-m", *argv])  # noqa: S606 - fixed argv, no shell


def _worker(args: argparse.Namespace) -> None:
    _django_setup()
    from mediateka.ops import startup
    from mediateka.worker import run

    startup.preflight()  # an FFmpeg that cannot encode stops the worker here, not at its first encode
    startup.migrate()
    run(args.rest)


def _demo(args: argparse.Namespace) -> None:
    _django_setup()
    from django.core.management import call_command

    from mediateka.ops import startup

    startup.migrate()
    call_command("load_demo", no_samples=args.no_samples)


def main(argv: list[str] | None = None) -> None:
    try:
        _main(sys.argv[1:] if argv is None else argv)
    except Exception as error:
        # A set-up mistake is told in one line naming the variable (ops.startup); anything else keeps
        # its traceback.
        from mediateka.ops.startup import one_line

        line = one_line(error)
        if line is None:
            raise
        print(line, file=sys.stderr)
        sys.exit(1)


def _main(argv: list[str]) -> None:
    if argv[:1] == ["manage"]:
        _manage(argv[1:])
        return
    if argv[:1] == ["worker"] and argv[1:2] not in (["-h"], ["--help"]):
        # Everything after `worker` is its own options (--batch, --queue-name, --interval).
        _worker(argparse.Namespace(rest=argv[1:]))
        return
    parser = argparse.ArgumentParser(prog="mediateka", description="Mediateka media library.")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="apply migrations and serve with gunicorn")
    run.add_argument("--host", default=os.environ.get("MEDIATEKA_HOST", "127.0.0.1"))
    run.add_argument("--port", type=int, default=int(os.environ.get("MEDIATEKA_PORT", "8000")))
    run.add_argument(
        "--workers",
        type=int,
        default=0,
        help="web worker processes (default: MEDIATEKA_WEB_WORKERS, else 2 per core, at most 4)",
    )
    run.set_defaults(handler=_run)
    worker = commands.add_parser("worker", help="run the background task worker")
    worker.add_argument("rest", nargs=argparse.REMAINDER, help="--batch, --queue-name, --interval")
    worker.set_defaults(handler=_worker)
    demo = commands.add_parser("demo", help="load the demo catalogue (idempotent)")
    demo.add_argument("--no-samples", action="store_true", help="do not make and encode sample clips")
    demo.set_defaults(handler=_demo)
    commands.add_parser("manage", help="Django's management commands: mediateka manage help")
    args = parser.parse_args(argv)
    args.handler(args)


if __name__ == "__main__":
    main()
