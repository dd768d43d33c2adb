"""The searchable, exportable audit log of staff actions."""
