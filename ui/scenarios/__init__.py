"""Scenarios in the editor: the scenarios panel, its undoable commands and scenario mode."""
