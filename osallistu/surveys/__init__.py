"""THL's participation indicator (ESIS) and other questionnaires, answered anonymously."""
