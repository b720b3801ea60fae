"""The hasher of the temporary passwords the center hands out in bulk.

A bulk account creation gives every person their own random password: 470 PBKDF2 hashes at
production's 1,000,000 iterations would hold a web request for minutes. A temporary password is
12 characters drawn at random from 54 (about 69 bits): guessing it is out of reach with or
without key stretching. It lives until its holder's first login, where the holder must choose
their own (hashed by the default hasher), and a login upgrades it to the default hasher anyway
(the algorithm differs). Only ``staff.accounts`` hashes with it.
"""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class TemporaryPasswordHasher(PBKDF2PasswordHasher):
    algorithm = "pbkdf2_sha256_temporary"
    iterations = 5000
