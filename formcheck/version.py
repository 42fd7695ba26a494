"""formcheck's version, defined once (the package, analysis.json and the report print it)."""

__version__ = "0.1.0"
