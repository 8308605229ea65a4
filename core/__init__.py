"""Small helpers shared by every app: one place per idea (docs/architecture.md, "core").

This package sits below every app in the layer order: it imports Django and the standard
library only, never an app.
"""
