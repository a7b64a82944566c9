"""Shipped defaults: settings (``defaults.toml``), calendar overrides (``holidays/``), templates.

An office overrides any of it in its own configuration directory (``GONGKAI_CONFIG_DIR``, by default
the user's config directory): a ``gongkai.toml`` there is laid over ``defaults.toml`` key by key, and
its ``holidays/YEAR.toml`` files take precedence over the shipped ones and over ``chinesecalendar``.
"""

from pathlib import Path

DIR = Path(__file__).resolve().parent
