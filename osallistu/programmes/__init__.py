"""A chosen suburb's programme: goals, key actions and project packages (hankekokonaisuudet)."""
