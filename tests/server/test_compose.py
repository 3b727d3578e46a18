"""docker-compose.yml runs the server with PostgreSQL, both with health checks (docker is not run here)."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_compose_file() -> None:
    doc = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = doc["services"]
    assert {"db", "server"} <= set(services)
    db, server = services["db"], services["server"]
    assert db["image"].startswith("postgres")
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert "/api/health" in " ".join(server["healthcheck"]["test"])
    assert server["depends_on"]["db"]["condition"] == "service_healthy"
    url = server["environment"]["DATABASE_URL"]
    assert url.startswith("postgresql+psycopg://") and "@db:5432/" in url
    assert server["command"][:2] == ["precipice", "serve"]
    assert (ROOT / server["build"] / "Dockerfile").is_file()
