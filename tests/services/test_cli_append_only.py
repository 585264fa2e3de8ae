"""No command changes or deletes an audit event: each command of the ``drafter`` CLI, run against
a negotiation in mid-course, leaves the earlier record as it was and at most appends to it."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask

from tests.web.test_permissions import World, world  # noqa: F401  (fixture)
from tests.web.test_record_append_only import record_rows

PASSWORD = "a long enough passphrase\n"
#: Flask-Migrate's schema tools: they create or drop tables, they never edit rows
SCHEMA_TOOLS = "db"


def invocations(w: World, tmp: Path) -> dict[str, tuple[list[str], str | None]]:
    """Return, for each command, the arguments and standard input of one real use of it."""
    draft = tmp / "rev.txt"
    draft.write_text("Recalling its earlier resolutions,\n\n1. Decides to meet in 2030;\n", encoding="utf-8")
    amendment = tmp / "amend.txt"
    amendment.write_text('In operative paragraph 1, replace "2029" with "2031".\n', encoding="utf-8")
    backup = tmp / "world.backup"
    outsider, mexico = w.users["outsider"].email, w.mexico.name
    return {
        "demo": (["demo"], None),
        "users create": (
            [
                "users",
                "create",
                "cli@example.org",
                "--name",
                "By the CLI",
                "--role",
                "observer",
                "--negotiation",
                "world",
            ],
            PASSWORD,
        ),
        "users set-password": (["users", "set-password", outsider], PASSWORD),
        "users reset-password": (["users", "reset-password", outsider], None),
        "users deactivate": (["users", "deactivate", outsider], None),
        "users activate": (["users", "activate", outsider], None),
        "users list": (["users", "list"], None),
        "tokens create": (["tokens", "create", outsider, "--name", "Briefing notes"], None),
        "tokens list": (["tokens", "list", outsider], None),
        "tokens revoke": (["tokens", "revoke", outsider, "--all"], None),
        "notifications send": (["notifications", "send"], None),
        "search": (["search", "world", "meeting", "--json"], None),
        "delegations create": (["delegations", "create", "Chile"], None),
        "delegations list": (["delegations", "list"], None),
        "negotiations create": (["negotiations", "create", "cli-made", "--title", "Made by the CLI"], None),
        "negotiations list": (["negotiations", "list"], None),
        "revisions import": (["revisions", "import", "elsewhere", str(draft), "--label", "Rev.1", "--circulate"], None),
        "revisions list": (["revisions", "list", "world"], None),
        "revisions show": (["revisions", "show", "world", "Rev.1", "--json"], None),
        "revisions set": (["revisions", "set", "world", "Rev.1", "--symbol", "A/81/L.12/Rev.1"], None),
        "proposals list": (["proposals", "list", "world", "--json"], None),
        "proposals import": (
            ["proposals", "import", "world", str(amendment), "--delegation", mexico, "--revision", "Rev.1"],
            None,
        ),
        "export clean": (["export", "clean", "world", "--revision", "Rev.1", "-o", str(tmp / "clean.docx")], None),
        "export tracked": (
            ["export", "tracked", "world", "--from", "Zero draft", "--to", "Rev.1", "-o", str(tmp / "tracked.docx")],
            None,
        ),
        "export compilation": (
            ["export", "compilation", "world", "--revision", "Rev.1", "-o", str(tmp / "compilation.docx")],
            None,
        ),
        "export akn": (["export", "akn", "world", "--revision", "Rev.1", "-o", str(tmp / "rev1.xml")], None),
        "backup": (["backup", "world", "-o", str(backup)], None),
        "restore": (["restore", str(backup), "--as", "world-copy"], None),
    }


def commands(app: Flask) -> set[str]:
    """Return the name of every command of the app's CLI but the schema tools ("users create" ...)."""
    found = set()

    def walk(cmd: click.Command, path: str) -> None:
        if isinstance(cmd, click.Group):
            for name, sub in cmd.commands.items():
                walk(sub, f"{path} {name}".strip())
        else:
            found.add(path)

    for name, cmd in app.cli.commands.items():
        if name != SCHEMA_TOOLS:
            walk(cmd, name)
    return found


def test_every_command_is_tried(app: Flask, world: World, tmp_path: Path):
    assert commands(app) == set(invocations(world, tmp_path))


def test_commands_only_append_to_the_record(app: Flask, world: World, tmp_path: Path):
    runner = app.test_cli_runner()
    grew = []
    for name, (args, stdin) in invocations(world, tmp_path).items():
        before = record_rows()
        result = runner.invoke(args=args, input=stdin)
        after = record_rows()
        assert result.exit_code == 0, f"{name}: {result.output}"
        assert after[: len(before)] == before, f"{name} changed or deleted an earlier audit event"
        if len(after) > len(before):
            grew.append(name)
    assert {
        "users create",
        "negotiations create",
        "revisions import",
        "revisions set",
        "proposals import",
        "export clean",
    } <= set(grew)
