"""Canvas gestures, one class per gesture (after Orange's ``interactions.py``).

Rules: the view starts a gesture on mouse press and forwards move/release to it; a gesture changes
the model only by pushing commands on the undo stack when it finishes, and reports refusals as a
status message. Rubber-band selection is Qt's own (``QGraphicsView.RubberBandDrag``).
"""
