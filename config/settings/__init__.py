"""Settings, read from the environment (12-factor), one module a concern.

With no environment at all the project runs embedded: SQLite in the project folder,
Celery tasks executed eagerly in-process and email printed to the console. Setting
DATABASE_URL, CELERY_BROKER_URL and EMAIL_URL switches to real services; DEBUG=false
turns on the production hardening that `manage.py check --deploy` asks for.
"""

from .api import *
from .celery import *
from .database import *
from .digests import *
from .django import *
from .email import *
from .imports import *
from .notices import *
from .site import *
