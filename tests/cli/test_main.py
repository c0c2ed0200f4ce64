"""The root command's one error handler (opsctl/cli/main.py): what a user sees when a command fails."""

from __future__ import annotations

import pytest

from tests.conftest import Cli


@pytest.fixture
def broken_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every command reads the team's settings first: make that fail as a bug would."""

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("settings table exploded")

    monkeypatch.setattr("opsctl.services.config.clock_settings", fail)


@pytest.mark.usefixtures("broken_settings")
def test_an_unexpected_error_is_one_line_and_exit_1(cli: Cli) -> None:
    result = cli("whoami")
    assert result.exit_code == 1
    assert result.error == ("Error: unexpected RuntimeError: settings table exploded "
                            "(run again with --debug for the details, and please report it)")
    assert "Traceback" not in result.stderr


@pytest.mark.usefixtures("broken_settings")
@pytest.mark.parametrize(("args", "env"), [(["--debug", "whoami"], {}), (["whoami"], {"OPSCTL_DEBUG": "1"})])
def test_debug_lets_the_traceback_through(cli: Cli, args: list[str], env: dict[str, str]) -> None:
    with pytest.raises(RuntimeError, match="settings table exploded"):
        cli(*args, env=env)


def test_an_expected_error_is_its_line_and_exit_code(cli: Cli) -> None:
    result = cli("whoami", user="nobody")
    assert result.exit_code == 4
    assert result.error.startswith("Error: 'nobody' is not an employee here")
    assert len(result.error.splitlines()) == 1


def test_a_mistyped_command_is_a_usage_error_with_a_suggestion(cli: Cli) -> None:
    result = cli("atend", "in")
    assert result.exit_code == 2
    assert "Did you mean 'attend'" in result.stderr
