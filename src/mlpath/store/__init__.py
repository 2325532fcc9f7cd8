"""Where the learner's files live, and how they are read, validated, locked, committed,
upgraded, checked and synced. Never a view, never the command line."""
