"""Deadline alerts: the daily sweep, the delivery of digests by e-mail, their settings and recipients,
and the scheduler that runs them."""
