"""What arrives with a request: the channels it comes by (and the day each counts as received), and the applicant's personal data (checked, and masked wherever it is shown)."""
