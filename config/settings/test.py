"""Test settings: fast hashing, immediate tasks unless a test asks for the queue."""

from config.env import env_str
from config.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
DEBUG = False
# Ingestion tests don't pay for the content checks; review tests switch them on.
MEDIAMATRIX_REVIEW_AUTO_CHECK = False
# The review tests build cases from low-severity findings too (the default queues medium up).
MEDIAMATRIX_REVIEW_QUEUE_MIN_SEVERITY = "low"

# Parallel runs against one PostgreSQL server each need their own test database.
if _test_db_name := env_str("TEST_DATABASE_NAME", ""):
    DATABASES["default"]["TEST"] = {"NAME": _test_db_name}  # noqa: F405
