# Indonesian dates as official letters write them: "30 Juni 2026" (Django's own Indonesian
# format abbreviates the month). Everything not set here falls back to Django's Indonesian formats.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H.i"
MONTH_DAY_FORMAT = "j F"
