from tests.evaluation.fixtures import *  # noqa: F403
from tests.moderation.fixtures import local_cache  # noqa: F401
