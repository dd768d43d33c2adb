from tests.moderation.fixtures import *  # noqa: F403
