# English dates as the portal writes them: "30 June 2026" (day first, as in Indonesian).
# Everything not set here falls back to Django's English formats.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
MONTH_DAY_FORMAT = "j F"
