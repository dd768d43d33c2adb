from .fixtures import *  # noqa: F403 - pytest finds the fixtures by name
