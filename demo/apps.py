from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for trying the portal (`seed_demo`). Sits on top of every other app: the filled
    demo goes through the same services a user's actions would."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "demo"
    verbose_name = "Data demo"
