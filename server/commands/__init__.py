"""Sub-commands of the ``precipice`` CLI, one module each."""
