"""gongkai's application: everything between the legal rules (``rules/``) and the command line (``cli/``).

Dependencies point inward: ``domain`` knows only ``rules``; ``store`` keeps the domain's cases;
``usecases`` run one unit of work each; ``reports``, ``letters``, ``alerts`` and ``io`` are built on
them; ``app`` composes it all for a command.
"""
