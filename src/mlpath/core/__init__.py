"""The pure core: the learner's state, the history and its one replay, the flow rule and the
advice built on it. No files, no clock, no terminal, no command line."""
