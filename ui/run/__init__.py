"""Background simulation runs: the run panel, the controller that runs them, and the run history."""
