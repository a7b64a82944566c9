"""index events by action and date (the report's section 六 fee lookup)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 18:00:00
"""

from __future__ import annotations

from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.create_index('ix_event_action_occurred_on', ['action', 'occurred_on'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_index('ix_event_action_occurred_on')
