"""cache whether the reply date was set by an Art. 35 delay

Every listing shows a delayed reply date as delayed (条例第三十五条), so the request row caches it beside
``reply_due``. Existing rows start false; the calendar fingerprint changed with the new deadline
settings of the same release, so every open request's cached columns are recomputed the next time
gongkai opens the database.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 13:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reply_delayed', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('request', schema=None) as batch_op:
        batch_op.drop_column('reply_delayed')
