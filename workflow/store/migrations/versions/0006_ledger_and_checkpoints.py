"""the ledger of facts and the signed checkpoints

Agencies, officers, appeals, closed years, the year log and table 二 are recorded, as they are
written, in hash chains (``ledger``), and every chain head is checkpointed (``checkpoint``), signed
when a key is configured (``gongkai evidence init``). The rows that exist at the upgrade are
recorded as they are found: the evidence starts here.

Revision ID: 0006
Revises: 0004
Create Date: 2026-11-29 15:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'ledger',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('chain', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('payload', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('recorded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('prev_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('hash', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger')),
        sa.UniqueConstraint('chain', 'seq', name=op.f('uq_ledger_chain_seq')),
    )
    op.create_table(
        'checkpoint',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('body', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('signature', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('key_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_checkpoint')),
    )
    from workflow.store.evidence import ledger
    from workflow.store.postgres import roles

    ledger.seed(op.get_bind())
    roles.install(op.get_bind())  # PostgreSQL: the new tables' privileges and the ledger's row-level security


def downgrade() -> None:
    op.drop_table('checkpoint')
    op.drop_table('ledger')
