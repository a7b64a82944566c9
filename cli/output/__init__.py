"""What the commands print to the terminal: rich tables and panels for requests, and the annual report."""
