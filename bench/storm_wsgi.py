"""The application as gunicorn serves it, hashing with BENCH_HASH_METHOD (for
bench_signin_storm.py's scrypt baseline: no upgrade to argon2id on sign-in)."""

import os

from elearn import create_app

app = create_app({"PASSWORD_HASH_METHOD": os.environ["BENCH_HASH_METHOD"]})
