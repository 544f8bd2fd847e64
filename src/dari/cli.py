"""The ``dari`` console script: ``dari demo`` and every Django management command.

``dari demo`` sets up and serves the demo; ``dari demo --no-serve`` only sets it up;
``dari evaluate-matching`` scores the recommender on a deal history (no database);
``dari schedule_instance FILE`` schedules a partnering event from an instance file (no database,
no settings). Any other ``dari <command>`` runs the Django management command of that name
(``dari migrate``, ``dari shell -c ...``, ``dari load_scenario``).
"""

import os
import sys

from dari.secret_key import use_installation_key


def main(argv: list[str] | None = None) -> None:
    arguments = list(sys.argv if argv is None else argv)
    if arguments[1:2] == ["evaluate-matching"]:
        # Needs no database: runs before Django is set up (dari.engines.matching.cli).
        from dari.engines.matching.cli import main as evaluate_matching

        sys.exit(evaluate_matching(arguments[2:]))
    if arguments[1:2] == ["schedule_instance"]:
        # Needs no database nor settings (dari.engines.scheduling.cli); the management command of the
        # same name in dari.core runs the same code inside Django.
        from dari.engines.scheduling.cli import main as schedule_instance

        sys.exit(schedule_instance(arguments[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dari.settings")
    # A demo installation signs with its own random key, made by `dari demo` (see dari.secret_key).
    use_installation_key(create=arguments[1:2] == ["demo"])
    from django.core.management import execute_from_command_line

    arguments[0] = "dari"
    execute_from_command_line(arguments)


if __name__ == "__main__":
    main()
