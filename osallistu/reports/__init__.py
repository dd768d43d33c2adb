"""The yearly evaluation report of the suburb programme, per suburb and for the whole city."""
