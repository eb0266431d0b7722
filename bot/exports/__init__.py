"""Exports for the municipality: the same tables in every format, one code path for the
command line (``salonbot export``) and the staff room (``export``)."""
