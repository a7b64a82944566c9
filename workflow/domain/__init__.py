"""The domain: a request's lifecycle (the transition table and ``Case``), the payload each action takes,
the commands users give, who acts, fee quotes, and the errors a user can cause. No database, no I/O."""
