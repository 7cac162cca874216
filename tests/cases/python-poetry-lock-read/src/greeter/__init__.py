"""greeter: the python-poetry example's package."""
