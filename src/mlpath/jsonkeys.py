"""The keys of every command's --json, said once: `mlpath help json` prints them, and the
tests hold both the JSON mlpath prints and the README to them."""

from __future__ import annotations

STEP = [
    ("rank", "the step's number, as `mlpath list` shows it"),
    ("id", "the catalogue's id for the step"),
    ("title", "the step's title"),
    ("summary", "what the step is about"),
    ("challenge", "how hard the step feels to you (one decimal), else the catalogue's"),
    ("challenge_source", "what challenge rests on: catalogue, rated, checkin or predicted"),
    ("status", "todo, in_progress, done or skipped"),
    ("done_when", "the step's finish line, or null where the catalogue gives none"),
    ("resources", "objects with title, url, kind, status (as a step's) and done"),
    ("notes", "objects with at and text"),
]

# command -> (what it prints, its keys); a command printing a list describes one element.
KEYS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "list": ("an array of steps, each with", STEP),
    "show": ("one step, with the keys of `list --json`", STEP),
    "status": (
        "an object with",
        [
            ("total", "the number of steps"),
            ("done", "steps done"),
            ("skipped", "steps skipped"),
            ("in_progress", "the numbers of the steps in progress"),
            ("todo", "the numbers of the steps still todo"),
            ("percent", "done and skipped of total, one decimal"),
            ("skill", "your rating, or null"),
        ],
    ),
    "next": (
        "an object with (--all adds ranking: every open step, best first, each with rank, "
        "title, challenge, zone, in_progress, gap, distance and decided)",
        [
            ("step", "the suggested step's number, or null when nothing is left"),
            ("title", "its title"),
            ("challenge", "its challenge"),
            ("skill", "the skill the suggestion is for"),
            ("skill_source", "option (--skill), rated, checkins or estimated"),
            ("zone", "flow, anxiety, boredom, or null"),
            ("reason", "why, in a sentence"),
            ("done_when", "the step's finish line, or null"),
            ("resource", "the resource to do next: number (3.2), title and url; or null"),
            ("alternatives", "up to two other steps: rank, title, challenge, zone, reason"),
            ("in_progress", "the other steps begun: rank, title, challenge, zone, reason"),
            ("passed_over", "the numbers of the steps not begun that are below your skill"),
        ],
    ),
    "skill": (
        "an object with",
        [
            ("skill", "your rating, or null"),
            ("estimate", "the skill `mlpath next` would use without --skill"),
            ("skill_source", "rated, checkins (your check-ins, with your rating) or estimated"),
        ],
    ),
    "map": (
        "an object with",
        [
            ("skill", "the skill the map is drawn for"),
            ("skill_source", "option (--skill), rated, checkins or estimated"),
            ("channel", "the lowest and highest challenge in flow for that skill"),
            ("steps", "objects with rank, title, challenge, status and zone"),
            ("trail", "your skill ratings over time: objects with at and skill"),
            (
                "checkins",
                "your check-ins, oldest first: objects with at, step, challenge, skill and "
                "channel (of Massimini & Carli; null before 8 check-ins or with no variation)",
            ),
            ("channels", "check-ins per channel (control, flow, ... relaxation), or null"),
        ],
    ),
    "log": (
        "an array of events, each with",
        [
            ("number", "the event's number, as `mlpath log` shows it and undo cites it"),
            ("at", "when, in ISO 8601 with the UTC offset"),
            (
                "action",
                "start, done, skip, reset, note, note_edit, note_delete, checkin, skill, "
                "rate, undo or redo",
            ),
            ("step", "the step's number, or null"),
            (
                "details",
                "from and to; a resource's change also has resource (its URL), a note "
                "has text, a note_edit noted_at, was and text, a note_delete noted_at and "
                "text, a checkin has challenge, skill and maybe minutes (and no from or to), "
                "an undo has undoes (the identity, machine:seq as an export shows them, of "
                "the event it reverted), of (that event's action) and the fields of what it "
                "reverted; a redo the same, its undoes naming the undo, and maybe set_at (when "
                "the value it put back had been set)",
            ),
        ],
    ),
    "doctor": (
        "an object with",
        [
            ("ok", "true when nothing is wrong"),
            ("checks", "objects with what, ok and text"),
        ],
    ),
    "where": (
        "an object with",
        [
            ("home", "the data folder"),
            ("progress", "path and bytes (null before the file exists)"),
            ("history", "path and bytes"),
            ("backups", "path and count"),
            ("catalogue", "path, bundled and bytes"),
        ],
    ),
    "sync": (
        "an object with",
        [
            ("remote", "the repository synced with"),
            ("learner", "whose progress: the learner's folder in the repository"),
            ("machine", "this machine's name"),
            ("arrived", "objects with machine (its name), changes (how many) and summary"),
            ("sent", "how many of this machine's changes went out"),
            ("synced_at", "when the sync finished, in ISO 8601 with the UTC offset"),
        ],
    ),
    "sync --status": (
        "an object with (read without the network)",
        [
            ("remote", "the repository, or null before `sync --remote`"),
            ("learner", "the learner's name in it, or null"),
            ("machine", "this machine's name, or null before its first change"),
            ("machine_id", "this machine's id, which its events carry"),
            ("last_sync", "when the last sync finished, or null"),
            ("waiting", "how many changes wait to be sent"),
        ],
    ),
    "cohort": (
        "an array of learners in the repository, each with",
        [
            ("learner", "the learner's name"),
            ("machines", "how many machines sync their progress"),
            ("done", "steps done"),
            ("total", "the number of steps"),
            ("in_progress", "the numbers of the steps in progress"),
            ("skill", "their rating, or null"),
            ("last_activity", "their last change, in ISO 8601, or null"),
        ],
    ),
}


# `mlpath card --shields`: what a shields.io endpoint badge reads, in its own key names.
SHIELDS = [
    ("schemaVersion", "always 1"),
    ("label", "the badge's left side: ML path"),
    ("message", "its right side: done of total steps, as 3/7 steps"),
    ("color", "brightgreen when every step is done, blue once begun, else lightgrey"),
]


def keys(command: str) -> list[str]:
    return [key for key, _ in KEYS[command][1]]


def text() -> str:
    """The help topic `mlpath help json`."""
    lines = [
        "--json prints JSON and nothing else on stdout; errors go to stderr.",
        "`mlpath doctor --restore --json` prints {restored: the list of what was done}.",
    ]
    width = max(len(key) for _, pairs in KEYS.values() for key, _ in pairs)
    for command, (shape, pairs) in KEYS.items():
        lines += ["", f"mlpath {command} --json: {shape}"]
        lines += [f"  {key:<{width}}  {meaning}" for key, meaning in pairs]
    lines += ["", "mlpath card --shields: a shields.io endpoint badge's object, with"]
    lines += [f"  {key:<{width}}  {meaning}" for key, meaning in SHIELDS]
    return "\n".join(lines)
