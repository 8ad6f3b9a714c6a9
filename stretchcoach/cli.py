"""The command line: the window by default, subcommands beside it.

This is the only module that parses arguments. Each subcommand's work lives with the part
of the program it belongs to and is imported only when that subcommand runs, so
``--help``, ``--version`` and the text commands start fast and never import Qt.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from stretchcoach import __version__

if TYPE_CHECKING:
    from stretchcoach.reminder.command import Ask

# As a shell reports a program that SIGINT or SIGPIPE ended (128 + the signal's number).
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141


def _seconds_between(low: float, high: float) -> Callable[[str], float]:
    def seconds(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds") from None
        if not low <= value <= high:  # also refuses nan
            raise argparse.ArgumentTypeError(f"{text} is outside {low:g}-{high:g} seconds")
        return value

    return seconds


def _breath_seconds(text: str) -> float:
    """An inhale or exhale, within the engine's limits (imported only when one is given:
    the window's start does without the engine)."""
    from stretchcoach.coach.ports import Pace

    return _seconds_between(Pace.MIN_SECONDS, Pace.MAX_SECONDS)(text)


_wait_seconds = _seconds_between(1, 600)


def _pace_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("routine", help="a routine id (see 'stretchcoach list') or a YAML file")
    parser.add_argument(
        "--inhale", type=_breath_seconds, help="inhale seconds (default: your setting)"
    )
    parser.add_argument(
        "--exhale", type=_breath_seconds, help="exhale seconds (default: your setting)"
    )
    parser.add_argument(
        "--manual-wait",
        type=_wait_seconds,
        help="seconds every set-up step is assumed to take (default: each step's own estimate)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stretchcoach",
        description="A hands-free, breath-paced coach for lower-back stretches. "
        "With no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--routine", metavar="ID", help="the routine selected when the window opens"
    )
    parser.add_argument(
        "--start",
        nargs="?",
        const="",
        metavar="ROUTINE",
        help="open ROUTINE (default: your default routine) ready to start; in the window "
        "already open, if StretchCoach runs",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("list", help="list the bundled routines and yours")
    validate = sub.add_parser("validate", help="check routine files and report every problem")
    validate.add_argument(
        "paths", nargs="+", type=Path, metavar="PATH", help="a routine file, or a folder of them"
    )
    sub.add_parser("schema", help="print the JSON Schema of routine files")
    plan = sub.add_parser("plan", help="print a routine's timeline, cue by cue")
    _pace_options(plan)
    export = sub.add_parser("export-audio", help="write a whole guided routine to a WAV file")
    _pace_options(export)
    export.add_argument("out", type=Path, metavar="OUT.wav")
    export.add_argument(
        "--voice", metavar="ID", help="the voice to speak with (see 'stretchcoach voices')"
    )
    sub.add_parser(
        "voices", help="list the voices (id, engine, language, name) and which one speaks"
    )
    journal = sub.add_parser(
        "journal",
        help="your practice journal: a summary (sessions this week, streak, pain trend); "
        "log, export, import",
        description="With no action: sessions this week, your streak and your pain trend.",
    )
    _journal_commands(journal)
    _remind_command(sub)
    desktop = sub.add_parser(
        "install-desktop",
        help="put StretchCoach in your desktop's menu, with its icon (no root needed)",
        description="Installs the menu entry, the icons and the AppStream file into "
        "~/.local/share (XDG_DATA_HOME), starting this copy of StretchCoach.",
    )
    desktop.add_argument("--uninstall", action="store_true", help="remove them again")
    desktop.add_argument("--quiet", action="store_true", help="say nothing when all went well")
    return parser


def _remind_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    remind = sub.add_parser(
        "remind",
        help="the daily reminder: show it now, set it (--at), turn it off, or --status",
        description="With no option: show the reminder now, unless today's session is in "
        "your journal. Start in the notification opens StretchCoach.",
    )
    what = remind.add_mutually_exclusive_group()
    what.add_argument("--at", metavar="HH:MM", help="turn the daily reminder on at this time")
    what.add_argument("--off", action="store_true", help="turn it off; removes what it installed")
    what.add_argument(
        "--status",
        action="store_true",
        help="say whether it is on, how, and when it comes next (exit status 1 when what "
        "is installed does not match the setting)",
    )
    what.add_argument(
        "--if-due",
        action="store_true",
        help="show it only if it is due today, waiting for its time (what the timer and the "
        "login entry run)",
    )
    remind.add_argument(
        "--days",
        metavar="DAYS",
        help="the days it comes on: mon,tue,... or weekdays, weekends, daily (default: "
        "the days set before; at first, every day)",
    )
    remind.add_argument(
        "--wait",
        type=_seconds_between(1, 24 * 3600),
        default=3600.0,
        metavar="SECONDS",
        help="how long the notification's Start button waits for you (default: 3600)",
    )


def _journal_commands(journal: argparse.ArgumentParser) -> None:
    # Options are taken as text and checked by the journal, so a bad value gets the
    # journal's own words (and exit code 1), as a bad CSV cell does.
    actions = journal.add_subparsers(dest="action", metavar="ACTION")
    log = actions.add_parser("log", help="record a session done away from the computer")
    log.add_argument("routine", metavar="ROUTINE", help="a routine id (see 'stretchcoach list')")
    log.add_argument("--date", metavar="YYYY-MM-DD", help="the day (default: today)")
    log.add_argument("--pain", metavar="N", help="pain now, 0 (none) to 10 (worst)")
    log.add_argument("--tighter", metavar="left|right|same", help="which side felt tighter")
    log.add_argument("--note", metavar="TEXT", help="a short note")
    export = actions.add_parser("export", help="write every session to a CSV file")
    export.add_argument("path", type=Path, metavar="FILE.csv")
    imported = actions.add_parser(
        "import", help="add the sessions of a CSV export (those you already have are kept)"
    )
    imported.add_argument("path", type=Path, metavar="FILE.csv")


def _no_display() -> str | None:
    """Why the window cannot open here, if it cannot: Qt would abort the process instead."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return (
        "no display to open the window on (DISPLAY and WAYLAND_DISPLAY are not set). "
        "Run it from a desktop session, or on a virtual screen: xvfb-run stretchcoach. "
        "The text commands work anywhere: stretchcoach --help"
    )


def _notifier() -> Ask:
    """The reminder's notification (Qt's), imported when one is shown."""
    from stretchcoach.ui.desktop import notify

    return notify.ask


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; its exit status. Ctrl+C before the window has taken over its
    handling (or in a text command) ends it with 130, and output into a closed pipe
    (``stretchcoach plan ... | head``) with 141, as for programs a signal ends: no
    traceback either way."""
    arguments = sys.argv[1:] if argv is None else argv
    try:
        # Without arguments (the menu's launch), the window opens without the parser, which
        # takes 10 ms of its first frame to build.
        status = _run(build_parser().parse_args(arguments)) if arguments else _window(None, None)
        sys.stdout.flush()  # a closed pipe shows here rather than at exit
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # Whatever is still buffered goes nowhere, instead of failing again at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    return status


def _window(routine: str | None, start: str | None) -> int:
    problem = _no_display()
    if problem:
        print(f"stretchcoach: {problem}", file=sys.stderr)
        return 1
    # No collections while the window is built: until ``ui.app.settle_memory``.
    gc.disable()
    from stretchcoach.ui.app import run

    return run(routine, start)


def _run(args: argparse.Namespace) -> int:
    if args.command is None:
        return _window(args.routine, args.start)
    if args.command == "list":
        from stretchcoach.commands.routines import list_routines

        return list_routines(sys.stdout)
    if args.command == "validate":
        from stretchcoach.commands.routines import validate

        return validate(args.paths, sys.stdout)
    if args.command == "schema":
        from stretchcoach.commands.routines import schema

        return schema(sys.stdout)
    if args.command == "journal":
        from stretchcoach.commands import journal

        if args.action == "log":
            return journal.log(
                args.routine,
                day=args.date,
                pain=args.pain,
                tighter=args.tighter,
                note=args.note,
                out=sys.stdout,
                err=sys.stderr,
            )
        if args.action == "export":
            return journal.export(args.path, sys.stdout, sys.stderr)
        if args.action == "import":
            return journal.import_csv(args.path, sys.stdout, sys.stderr)
        return journal.summary(sys.stdout, sys.stderr)
    if args.command == "voices":
        from stretchcoach.commands.voices import list_voices

        return list_voices(sys.stdout, sys.stderr)
    if args.command == "remind":
        from stretchcoach.reminder import command as reminder

        if args.days is not None and (args.off or args.status or args.if_due):
            print("stretchcoach remind: --days goes with --at (or alone)", file=sys.stderr)
            return 2
        if args.status:
            return reminder.print_status(sys.stdout)
        if args.off:
            return reminder.turn_off(sys.stdout, sys.stderr)
        if args.at is not None or args.days is not None:
            return reminder.set_reminder(args.at, args.days, sys.stdout, sys.stderr)
        return reminder.remind(if_due=args.if_due, wait=args.wait, notifier=_notifier)
    if args.command == "install-desktop":
        from stretchcoach.desktop_install import command as install_desktop

        return install_desktop(args.uninstall, args.quiet, sys.stdout, sys.stderr)
    if args.command == "plan":
        from stretchcoach.commands.plan import print_plan

        return print_plan(args.routine, args.inhale, args.exhale, args.manual_wait, sys.stdout)
    from stretchcoach.commands.export import export_audio

    return export_audio(
        args.routine, args.out, args.inhale, args.exhale, args.manual_wait, voice=args.voice
    )
