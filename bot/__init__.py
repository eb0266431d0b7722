"""salonbot: a Matrix bot for citizen salons."""

__version__ = "0.1.0"
