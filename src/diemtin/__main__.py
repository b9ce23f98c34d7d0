"""``python -m diemtin`` runs the command line."""

from diemtin.app.cli import main

main()
