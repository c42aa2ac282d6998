"""English as Quartier's Swiss and German readers write it: 5 June 2026, 05.06.2026 14:30.

Django's own English formats are American (06/05/2026, 2:30 p.m.). Formats not named here
fall back to Django's English ones (input formats included)."""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
