"""Requests from the city's feedback service (Open311 GeoReport v2 or CSV) placed in areas."""
