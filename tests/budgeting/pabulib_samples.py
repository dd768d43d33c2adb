"""Small Pabulib files written by the tests, so each case shows its input."""

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "pabulib"


def pb_text(
    *,
    vote_type: str = "approval",
    budget: str = "100000",
    projects: list[str] | None = None,
    votes: list[str] | None = None,
    extra_meta: list[str] = (),
    projects_header: str = "project_id;cost;votes;name",
    votes_header: str = "voter_id;vote;age;sex",
) -> str:
    """Return the text of a .pb file with the given sections' rows."""
    if projects is None:
        projects = ["1;40000;2;Puisto", "2;30000;1;Leikkipaikka", "3;50000;0;Kirjasto"]
    if votes is None:
        votes = ["v1;1,2;34;F", "v2;1;71;M"]
    lines = [
        "META",
        "key;value",
        "description;Testivaalit",
        *extra_meta,
        f"vote_type;{vote_type}",
        f"budget;{budget}",
        "PROJECTS",
        projects_header,
        *projects,
        "VOTES",
        votes_header,
        *votes,
    ]
    return "\n".join(lines) + "\n"


def write_pb(directory: Path, name: str = "Testi_2024.pb", **kwargs) -> Path:
    path = directory / name
    path.write_text(pb_text(**kwargs), encoding="utf-8")
    return path


def line_of(text: str, row: str) -> int:
    """Return the 1-based number of the first line of `text` that equals `row`."""
    return text.splitlines().index(row) + 1
