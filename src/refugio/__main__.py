"""``python -m refugio`` runs the CLI."""

from refugio.cli import main

main()
