"""The GeoPackage workspace backend: one SQLite file in WAL mode, an R-tree per layer.

``workspace`` holds ``GeoPackageWorkspace``; ``ddl`` the table layout, ``connection``
the SQLite connection, ``geom`` the geometry blobs, ``bulk`` and ``rtree`` the bulk
row and R-tree writers, ``where`` the filter SQL, ``records`` the versioned edits,
inspections and audit trail, ``transfer`` the records copied by ``lzt push``/``pull``.
"""
