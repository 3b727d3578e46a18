"""life cycle: phase, visibility, join code, seat links, turn; creations for the quota

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04 20:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('games', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phase', sa.String(length=16), nullable=False, server_default='playing'))
        batch_op.add_column(sa.Column('visibility', sa.String(length=8), nullable=False, server_default='public'))
        batch_op.add_column(sa.Column('join_code', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('link_key', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('turn', sa.Integer(), nullable=False, server_default='0'))
        batch_op.create_index(batch_op.f('ix_games_phase'), ['phase'], unique=False)
        batch_op.create_index(batch_op.f('ix_games_visibility'), ['visibility'], unique=False)
    op.execute("UPDATE games SET phase = 'over' WHERE status = 'over'")
    with op.batch_alter_table('seats', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token_nonce', sa.String(length=32), nullable=True))
    op.create_table('creations',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('creator', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_creations'))
    )
    with op.batch_alter_table('creations', schema=None) as batch_op:
        batch_op.create_index('ix_creations_creator', ['creator', 'at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('creations', schema=None) as batch_op:
        batch_op.drop_index('ix_creations_creator')
    op.drop_table('creations')
    with op.batch_alter_table('seats', schema=None) as batch_op:
        batch_op.drop_column('token_nonce')
    with op.batch_alter_table('games', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_games_visibility'))
        batch_op.drop_index(batch_op.f('ix_games_phase'))
        batch_op.drop_column('turn')
        batch_op.drop_column('link_key')
        batch_op.drop_column('join_code')
        batch_op.drop_column('visibility')
        batch_op.drop_column('phase')
