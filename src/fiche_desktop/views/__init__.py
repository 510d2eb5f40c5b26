"""The screens, one module per screen, and the widgets, models and style they share; no SQL here."""
