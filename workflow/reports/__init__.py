"""The annual report: the computation (counts in SQL, the checks, the requests behind a cell), the one
layout every renderer draws, and the Markdown, XLSX and DOCX renderers and the chart."""
