"""Files in and out: spreadsheets (CSV, XLSX), the import of requests and appeals, the export of
requests, and mail."""
