"""A ping service over Starlette."""

__version__ = "0.1.0"
