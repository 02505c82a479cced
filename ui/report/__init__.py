"""Exports that need Qt: the PDF report (QTextDocument + QPdfWriter) and pictures of the workflow canvas."""
