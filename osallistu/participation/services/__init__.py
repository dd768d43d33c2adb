"""Writes for participation: one function per action, each checking its own permission.

Import through this package (`services.idea_create`); each module lists its public names in
`__all__`.
"""

from .comments import *  # noqa: F403
from .debates import *  # noqa: F403
from .ideas import *  # noqa: F403
from .one_off import *  # noqa: F403
from .themes import *  # noqa: F403
