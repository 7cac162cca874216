"""What the monorepo's services say alike: the Python half of libs/shared (greeting.go is the Go half)."""


def greeting(service: str) -> str:
    """The answer every service of the monorepo gives at /."""
    return f"hello from {service} (monorepo, libs/shared)"
