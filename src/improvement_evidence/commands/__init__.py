"""One module per CLI verb: ``register(subparsers)`` and ``run(args) -> int``."""
