"""The shared PostGIS workspace backend (psycopg 3), loaded only for ``postgresql://`` URLs.

``workspace`` holds ``PostGISWorkspace``; ``ddl`` the schema's tables and column types,
``url`` parses workspace URLs, ``connect`` opens connections, ``copy_rows`` streams rows
through COPY, ``sql`` renders filters, ``records`` keeps versioned edits, inspections and
the audit trail, ``roles`` the server roles and masked views.
"""
