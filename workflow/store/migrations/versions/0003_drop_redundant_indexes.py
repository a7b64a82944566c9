"""drop the indexes that repeat the first column of a unique constraint

``event.request_id`` is the first column of the unique (request_id, seq), and
``alert_delivery.alert_id`` the first of the unique (alert_id, channel, recipient): those indexes
serve every lookup (and the foreign keys' checks) the single-column ones did, which only cost a
write per row (2.15 million of them in a province's year of events).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 08:00:00
"""

from __future__ import annotations

from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_index('ix_event_request_id')
    with op.batch_alter_table('alert_delivery', schema=None) as batch_op:
        batch_op.drop_index('ix_alert_delivery_alert_id')


def downgrade() -> None:
    with op.batch_alter_table('alert_delivery', schema=None) as batch_op:
        batch_op.create_index('ix_alert_delivery_alert_id', ['alert_id'], unique=False)
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.create_index('ix_event_request_id', ['request_id'], unique=False)
