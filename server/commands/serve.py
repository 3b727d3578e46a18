"""``precipice serve``: apply the migrations, then run the game server with uvicorn."""

from __future__ import annotations

import argparse
import sys

NAME = "serve"
HELP = "Run the game server (SQLite ./precipice.db by default; DATABASE_URL for PostgreSQL)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add this command's options."""
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument("--database-url", default=None, help="override DATABASE_URL")
    parser.add_argument(
        "--public-url",
        default=None,
        help="this process's absolute URL (http://host:port) as clients reach it: joins a "
        "cluster of servers on the same PostgreSQL DATABASE_URL (PRECIPICE_PUBLIC_URL)",
    )
    parser.add_argument(
        "--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"]
    )


def run(args: argparse.Namespace) -> int:
    """Migrate the database and serve until interrupted."""
    import uvicorn
    from pydantic import ValidationError

    from server.app import create_app
    from server.cluster.node import ClusterConfigError, check_config
    from server.commands import UsageError
    from server.db.migrate import upgrade
    from server.logredact import log_config
    from server.settings import Settings, settings_error
    from server.transport import guarded_protocol

    given: dict[str, str] = {}
    if args.database_url is not None:
        given["database_url"] = args.database_url
    if args.public_url is not None:
        given["public_url"] = args.public_url
    try:
        settings = Settings(**given)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise UsageError(settings_error(exc)) from None
    try:
        check_config(settings)
    except ClusterConfigError as exc:
        print(f"precipice serve: {exc}", file=sys.stderr)
        return 2
    upgrade(settings.database_url)
    app = create_app(settings)
    print(f"precipice: serving on http://{args.host}:{args.port} (API docs at /docs)", flush=True)
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        log_config=log_config(),
        ws_max_size=max(1 << 20, 4 * settings.max_message_bytes),
        ws_per_message_deflate=settings.ws_compression,
        timeout_graceful_shutdown=5,
        timeout_keep_alive=settings.keep_alive_seconds,
        http=guarded_protocol(settings),
    )
    return 0
