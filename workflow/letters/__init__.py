"""The letters an office sends: what each says, from the request's history (``content``), and how it is
laid out as DOCX or text (``render``)."""
