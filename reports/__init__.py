"""Exports of scenario comparisons for people who never open Flowmodel: XLSX, CSV, JSON, charts and findings.

Rules: no Qt here (the PDF report and the canvas picture, which need Qt, live in :mod:`ui.report`); every
export is built from a :class:`reports.comparison.Comparison` and written atomically
(:func:`reports.files.write_file`), so a failed export leaves any previous file untouched and no temporary
file behind.
"""
