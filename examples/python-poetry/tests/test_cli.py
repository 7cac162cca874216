from click.testing import CliRunner

from greeter.cli import greeting, main


def test_greeting() -> None:
    assert greeting("x").startswith("hello from x")


def test_main() -> None:
    result = CliRunner().invoke(main, [])
    assert result.exit_code == 0
    assert "hello from python-poetry" in result.output
