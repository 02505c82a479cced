"""Flowmodel's PySide6 desktop application."""
