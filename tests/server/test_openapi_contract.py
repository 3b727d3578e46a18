"""The REST contract, checked by Schemathesis against ``/openapi.json`` (every check, valid tokens).

In-process through Schemathesis' ASGI support (it runs the app's lifespan), on a real
SQLite file. Every generated request carries a real game's facilitator token, and half of
them that game's id, so the routes behind authentication are reached, not only their
401s. Every built-in check runs (``--checks all``): no server error; every status, header
and body as documented; schema-valid data accepted and invalid data refused; a method a
path does not serve answered 405 with a correct ``Allow``.

Where the schema cannot say what a valid request is, a 422 is accepted for schema-valid
data: a create or fork body names roles, personalities and overrides of the scenario it
names (which roles exist depends on that scenario), and an import body must replay to
the hashes it records. The forecast and report routes (Monte Carlo work, seconds per
call) are left out of the generated run; their statuses are documented all the same.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.config import SchemathesisConfig
from starlette.testclient import TestClient

from server.app import create_app
from server.db.migrate import upgrade
from server.settings import Settings
from tests.server.inproc import app_client

GAME: dict[str, str] = {}
EXAMPLES = 12  # per operation, derandomized: a fixed set of cases in CI
LENIENT_422 = ("/api/games", "/api/games/import", "/api/games/{game_id}/fork")


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Any:
    db = f"sqlite:///{tmp_path_factory.mktemp('openapi') / 'p.db'}"
    upgrade(db)
    settings_ = Settings(database_url=db, max_games_per_creator=10**6)
    with TestClient(create_app(settings_)) as c:  # one game, made before the run's app starts
        r = c.post("/api/games", json={"seed": 1, "open_seats": ["us"]})
        assert r.status_code == 201, r.text
        GAME.update(id=r.json()["game_id"], token=r.json()["facilitator_token"])
    config = SchemathesisConfig.from_dict(
        {
            "operations": [
                {
                    "include-path": path,
                    "checks": {
                        "positive_data_acceptance": {
                            "expected-statuses": ["2xx", "401", "403", "404", "409", "422"]
                        }
                    },
                }
                for path in LENIENT_422
            ]
        }
    )
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(settings_), config=config)
    return schema.exclude(path_regex=r"/(forecast|report)")


def test_the_api_keeps_its_openapi_contract(api_schema: Any) -> None:
    operations = [r.ok() for r in api_schema.get_all_operations()]
    assert len(operations) >= 12
    for op in operations:

        @given(case=op.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.explicit, Phase.generate],
        )
        def check(case: Any) -> None:
            params = case.path_parameters
            if params and "game_id" in params and hash(str(case.body)) % 2:
                params["game_id"] = GAME["id"]
            case.call_and_validate(headers={"Authorization": f"Bearer {GAME['token']}"})

        check()


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Any:
    with app_client(f"sqlite:///{tmp_path_factory.mktemp('allow') / 'p.db'}") as c:
        yield c


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("PUT", "/api/games/abc/fork", "POST"),
        ("GET", "/api/games/abc/fork", "POST"),
        ("PATCH", "/api/games", "GET, POST"),
        ("POST", "/api/health", "GET"),
        ("GET", "/api/games/abc/start", "POST"),
    ],
)
def test_a_method_a_path_does_not_serve_is_a_405_naming_those_it_does(
    client: Any, method: str, path: str, allow: str
) -> None:
    r = client.request(method, path)
    assert r.status_code == 405, r.text
    assert r.headers["allow"] == allow
    assert r.json()["error"] == "method_not_allowed"


def test_an_unknown_api_path_is_a_typed_404(client: Any) -> None:
    r = client.get("/api/nope")
    assert r.status_code == 404 and r.json()["error"] == "not_found"
