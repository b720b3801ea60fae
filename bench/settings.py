"""The benchmark's settings: the test settings (no whitenoise, in-memory storage) with
production's password hashing (a login costs what it costs in production; MD5 is still accepted,
for datasets seeded under the test settings, and upgraded at the first login) and the benchmark's
URLconf (the project's URLs plus the bare views of bench/bare.py)."""

from config.settings.test import *  # noqa: F403

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "staff.hashers.TemporaryPasswordHasher",
]
ROOT_URLCONF = "bench.urls"
