"""The use cases, by noun: each runs in one unit of work, takes a command or plain values and returns
plain values (requests, appeals, fees and letters, the year's closing, officers and agencies, views,
the audit and the integrity check)."""
