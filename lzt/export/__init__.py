"""The products: data files (``data``, ``raster``), map sheets and atlases (``sheet``, ``atlas``,
laid out by ``sheet_page`` with ``legend``), parcel reports (``report``, ``report_page``) and
briefings (``briefing``, ``briefing_page``). Page layouts use QtGui (never QtWidgets) through
``lzt.render``, the painter and styles."""
