"""Reads for participation pages, one module per feature; each function states what it loads.

Import through this package (`selectors.idea_list`); each module lists its public names in
`__all__`.
"""

from .comments import *  # noqa: F403
from .debates import *  # noqa: F403
from .ideas import *  # noqa: F403
from .one_off import *  # noqa: F403
from .processes import *  # noqa: F403
from .themes import *  # noqa: F403
