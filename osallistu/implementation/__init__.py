"""Implementation tracking of project packages and participatory-budgeting winners."""
