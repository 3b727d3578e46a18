"""docker-compose.yml: two server replicas on PostgreSQL behind nginx hashing on the game id.

Docker is not run here: the file is parsed and its pieces checked against each other.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _compose() -> dict[str, Any]:
    doc: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return doc


def test_compose_file() -> None:
    services = _compose()["services"]
    assert {"db", "server1", "server2", "nginx"} <= set(services)
    db = services["db"]
    assert db["image"].startswith("postgres")
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert services["server1"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert services["server2"]["depends_on"]["server1"]["condition"] == "service_healthy"
    for name in ("server1", "server2"):
        server = services[name]
        assert "/api/health" in " ".join(server["healthcheck"]["test"])
        url = server["environment"]["DATABASE_URL"]
        assert url.startswith("postgresql+psycopg://") and "@db:5432/" in url
        assert server["command"][:2] == ["precipice", "serve"]
        assert (ROOT / server["build"] / "Dockerfile").is_file()
    assert services["server1"]["environment"] == services["server2"]["environment"]


def test_each_replica_is_reachable_at_its_public_url_through_nginx() -> None:
    doc = _compose()
    services = doc["services"]
    conf = doc["configs"]["nginx"]["content"].replace("$$", "$")
    assert services["nginx"]["configs"][0]["source"] == "nginx"
    published = services["nginx"]["ports"][0]
    host_port = published.rsplit(":", 1)[0]
    urls = []
    for name in ("server1", "server2"):
        cmd = services[name]["command"]
        url = cmd[cmd.index("--public-url") + 1]
        urls.append(url)
        prefix = url.removeprefix(f"http://{host_port}")
        assert url.startswith(f"http://{host_port}/"), (url, published)
        assert re.search(
            rf"location {re.escape(prefix)}/ {{ proxy_pass http://{name}:8000/; }}", conf
        )
    assert len(set(urls)) == 2


def test_nginx_hashes_on_the_game_id_and_passes_websockets() -> None:
    conf = _compose()["configs"]["nginx"]["content"].replace("$$", "$")
    assert "hash $game_id consistent;" in conf
    pattern = re.search(r"~\^(\S+) \$gid;", conf)
    assert pattern is not None
    rx = re.compile(pattern.group(1).replace("?<gid>", "?P<gid>"))
    for path in ("/api/games/abc123/seats/us/claim", "/ws/games/abc123", "/api/games/abc123"):
        m = rx.match(path)
        assert m is not None and m.group("gid") == "abc123", path
    assert rx.match("/api/scenarios") is None
    upstream = re.search(r"upstream precipice \{(.*?)\}", conf, re.S)
    assert upstream is not None
    assert {"server1:8000", "server2:8000"} <= set(
        re.findall(r"server (\S+:\d+)", upstream.group(1))
    )
    assert "proxy_set_header Upgrade $http_upgrade;" in conf
