"""The screens: one module per screen, no SQL here."""
