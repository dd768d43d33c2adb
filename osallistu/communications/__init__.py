"""Posters, flyers, newsletters and the log of communication channels used."""
