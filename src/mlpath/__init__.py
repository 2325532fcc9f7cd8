"""mlpath: a command-line companion for breaking into machine learning."""

__version__ = "0.1.0"
