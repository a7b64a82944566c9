"""What only PostgreSQL has: the roles, privileges and row-level security that keep agencies apart."""
