"""Reading the planner's own files (history of volumes, handle-time samples, rosters, today's backlog) into
previews that can be applied to a model. Nothing here changes a model: applying is the caller's one edit."""
