"""The worker's start-up: what its pool processes inherit is kept out of garbage collections."""

import gc

from config.celery import freeze_what_the_pool_inherits


def test_the_worker_freezes_what_it_loaded_before_forking_its_pool():
    gc.unfreeze()
    try:
        freeze_what_the_pool_inherits(sender=None)
        assert gc.get_freeze_count() > 1000  # Django and the apps are loaded by now
    finally:
        gc.unfreeze()
