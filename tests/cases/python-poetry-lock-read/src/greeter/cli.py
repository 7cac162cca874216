"""The `greet` console script."""

import platform

import click


def greeting(name: str) -> str:
    return f"hello from {name} (click {click.__version__}, Python {platform.python_version()})"


@click.command()
@click.option("--name", default="python-poetry", help="who says hello")
def main(name: str) -> None:
    click.echo(greeting(name))
