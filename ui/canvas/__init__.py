"""The workflow canvas: scene (model ↔ items), view (gesture routing), items, palette, layout."""
