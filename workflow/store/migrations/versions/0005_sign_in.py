"""sign-in: an officer's login, heads' approvals, and on PostgreSQL roles and row-level security

``officer.login`` ties an officer to the account they sign in with (unique). ``approval`` holds a
head's approval recorded under their own sign-in, which the approved action uses up. On PostgreSQL
the group roles, their GRANTs and the row-level security policies are installed
(``workflow.store.postgres.roles``); the role running the upgrade needs CREATEROLE.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 15:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

from workflow.store.postgres import roles

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('officer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('login', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_officer_login'), ['login'])
    op.create_table('approval',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('approver', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('approved_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('used', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['request.id'], name=op.f('fk_approval_request_id_request')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_approval'))
    )
    with op.batch_alter_table('approval', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_approval_request_id'), ['request_id'], unique=False)
    roles.install(op.get_bind())


def downgrade() -> None:
    roles.uninstall(op.get_bind())
    with op.batch_alter_table('approval', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_approval_request_id'))
    op.drop_table('approval')
    with op.batch_alter_table('officer', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_officer_login'), type_='unique')
        batch_op.drop_column('login')
