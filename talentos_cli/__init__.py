"""The ``talentos`` command: serve the API, and the operator's tasks (init, keys, audit).

One module per command family; :mod:`talentos_cli.main` assembles the group. Nothing runs
at import time: settings are read when a command runs.
"""
