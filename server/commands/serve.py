"""``precipice serve``: apply the migrations, then run the game server with uvicorn."""

from __future__ import annotations

import argparse

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
        "--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"]
    )


def run(args: argparse.Namespace) -> int:
    """Migrate the database and serve until interrupted."""
    import uvicorn

    from server.app import create_app
    from server.db.migrate import upgrade
    from server.logredact import log_config
    from server.settings import Settings

    settings = Settings() if args.database_url is None else Settings(database_url=args.database_url)
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
        timeout_graceful_shutdown=5,
    )
    return 0
