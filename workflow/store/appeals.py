"""Appeals (reviews and lawsuits) as the unit of work stores them, beside the requests they are about."""

from __future__ import annotations

from sqlmodel import Session, col, select

from workflow.store import models


class SqlAppeals:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, appeal: models.Appeal) -> models.Appeal:
        self.session.add(appeal)
        self.session.flush()  # its number, for the officer to conclude it by
        return appeal

    def get(self, appeal_id: int) -> tuple[models.Appeal, models.Request] | None:
        appeal = self.session.get(models.Appeal, appeal_id)
        row = self.session.get(models.Request, appeal.request_id) if appeal is not None else None
        return (appeal, row) if appeal is not None and row is not None else None

    def of_request(self, request_id: int) -> list[models.Appeal]:
        query = select(models.Appeal).where(models.Appeal.request_id == request_id).order_by(col(models.Appeal.id))
        return list(self.session.execute(query).scalars())
