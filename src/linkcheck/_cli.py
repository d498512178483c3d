"""The command line: a thin shell over linkcheck.check(). (Owner: CLI/report helper.)"""


def main() -> None:
    raise NotImplementedError
