"""The app's staffing recommendation: dialog, background search and window wiring."""
