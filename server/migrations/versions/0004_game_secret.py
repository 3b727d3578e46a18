"""games.secret and games.reseeds: the server's per-game secret, and a fork's fresh ones

A game's randomness is drawn from its seed and this secret (``agents.seeds.game_rng``),
so a published seed does not rebuild a live game. Games stored before it have none
(NULL) and keep the seed-only derivation their hashes were recorded under. ``reseeds``
lists a fork's fresh secrets (``[[turn, secret], ...]``; NULL: none).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 20:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("games", schema=None) as batch_op:
        batch_op.add_column(sa.Column("secret", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("reseeds", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("games", schema=None) as batch_op:
        batch_op.drop_column("reseeds")
        batch_op.drop_column("secret")
