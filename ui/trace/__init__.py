"""Item traces in the app: follow a sample of items through a scenario, read one item's journey, export the log."""
