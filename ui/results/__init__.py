"""Results of runs: charts, the metric table, the comparison of scenarios and the run history."""
