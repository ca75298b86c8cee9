"""argparse with Dutch headings and help flag: the command line speaks Dutch like the app."""
from __future__ import annotations

import argparse

# argparse's own messages, by their English fragment (argparse has no Dutch catalogue).
_MESSAGES = (("the following arguments are required:", "deze opties zijn verplicht:"),
             ("invalid int value:", "geen geheel getal:"), ("invalid choice:", "ongeldige keuze:"),
             ("unrecognized arguments:", "onbekende argumenten:"),
             ("expected one argument", "verwacht één waarde"), ("argument ", "optie "),
             ("choose from", "kies uit"))
_HEADINGS = {"options": "opties", "positional arguments": "argumenten",
             "optional arguments": "opties"}


class DutchHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, "gebruik: " if prefix is None else prefix)

    def start_section(self, heading):
        return super().start_section(_HEADINGS.get(heading, heading))


class DutchArgumentParser(argparse.ArgumentParser):
    """Dutch usage line, section headings, -h text and error prefix."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", DutchHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self.add_argument("-h", "--help", action="help", help="toon deze hulp en stop")

    def error(self, message: str):
        for english, dutch in _MESSAGES:
            message = message.replace(english, dutch)
        self.print_usage()
        self.exit(2, f"{self.prog}: fout: {message}\n")
