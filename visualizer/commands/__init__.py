"""One module per subcommand; each defines `register(subparsers)` and sets `run` as the parser default."""
