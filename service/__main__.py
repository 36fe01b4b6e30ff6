"""`python -m service` is the `hearth` command."""

from service.cli import main

main()
