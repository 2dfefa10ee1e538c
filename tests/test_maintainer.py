"""Maintainer tools: the check command, the JSON Schema, scaffolding, the guide's examples."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import jsonschema
import pytest

from macros.errors import DataErrors
from macros.load import load
from macros.model import KINDS
from macros.schema import SCHEMA_DIR, render_all
from macros.validate import validate
from macros.yamlload import parse_yaml
from tests.conftest import FIXTURE_ARCHIVE, FIXTURE_DATA, ROOT


def run(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=120)


def test_committed_schema_matches_the_models() -> None:
    for name, text in render_all().items():
        assert (SCHEMA_DIR / name).read_text(encoding="utf-8") == text, f"run 'make schema' to update schema/{name}"


# Fixtures both validators must judge alike: (kind, record, valid?)
CITED = [{"source": "alpha-gazette", "quote": "q"}]


def event(**changes: object) -> dict[str, object]:
    """A valid event with some fields changed (a value of None removes the field)."""
    record: dict[str, object] = {
        "id": "e",
        "date": "2015",
        "title": "T",
        "type": "attack",
        "summary": "S",
        "citations": CITED,
    }
    record.update(changes)
    return {k: v for k, v in record.items() if v is not None}


SOURCE = {"id": "s", "title": "T", "publisher": "P", "published": "2015", "language": "en"}
AGREEMENT = [
    ("events", event(date="2015-08"), True),
    ("events", event(date=2015, casualties=[{"category": "police", "killed": {"min": 2, "max": 3}}]), True),
    ("events", event(id="E"), False),
    ("events", event(date="15-08-2015"), False),
    ("events", event(date="../2015-08-12", date_basis="report"), True),
    ("events", event(date="2015/2015-08-11", date_basis="report"), True),
    ("events", event(date="2015-08-12", date_basis="event"), True),
    ("events", event(date="2015-08-12", date_basis="report"), False),
    ("events", event(date=2015, date_basis="report"), False),
    ("events", event(date="2015/..", date_basis="report"), False),
    ("events", event(date="../2015-08-12", date_basis="reported"), False),
    ("events", event(type="atack"), False),
    ("events", event(citations=[]), False),
    ("events", event(citations=None), False),
    ("events", event(colour="red"), False),
    ("events", event(casualties=[{"category": "police", "killed": -1}]), False),
    ("events", event(actors=[{"group": "northern-front", "person": "jane-doe", "role": "claimed"}]), False),
    ("sources", SOURCE | {"url": "javascript:alert(1)"}, False),
    ("sources", SOURCE | {"url": "https://example.org/a"}, True),
    ("places", {"id": "p", "name": "P", "kind": "town", "coords": {"lat": 91, "lon": 0}, "citations": CITED}, False),
    ("groups", {"id": "g", "name": "G", "kind": "jihadist-group", "citations": CITED}, True),
    ("groups", {"id": "g", "name": "G", "kind": "club", "citations": CITED}, False),
    (
        "relations",
        {
            "id": "r",
            "type": "rival-of",
            "subject": "northern-front",
            "object": "desert-brigade",
            "start": "2012",
            "citations": CITED,
        },
        True,
    ),
]


@pytest.mark.parametrize(("key", "record", "valid"), AGREEMENT)
def test_schema_and_validator_agree(key: str, record: dict[str, object], valid: bool) -> None:
    schema = json.loads((SCHEMA_DIR / f"{key}.schema.json").read_text(encoding="utf-8"))
    schema_ok = not list(jsonschema.Draft202012Validator(schema).iter_errors({key: [record]}))
    try:
        KINDS[key].model_validate(record)
        model_ok = True
    except Exception:
        model_ok = False
    assert (schema_ok, model_ok) == (valid, valid)


def test_every_data_file_points_editors_at_its_schema() -> None:
    for path in sorted((ROOT / "data").rglob("*.yml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        key = next(iter(parse_yaml(path.read_text(encoding="utf-8"))))
        depth = "../" * (len(path.relative_to(ROOT).parts) - 1)
        assert first == f"# yaml-language-server: $schema={depth}schema/{key}.schema.json", path


def test_check_command_reports_path_and_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    ok = run("-m", "macros.check", "--data", str(data), "--archive", str(FIXTURE_ARCHIVE), "--coverage", cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert "quotes: 16 checked, every one found verbatim in its source\n" in ok.stdout
    assert "alpha-gazette" in ok.stdout and "records" in ok.stdout
    events = data / "events" / "2019.yml"
    events.write_text(events.read_text().replace("role: suspected", "role: suspectd"))
    bad = run("-m", "macros.check", "--data", str(data), "--archive", str(FIXTURE_ARCHIVE), cwd=tmp_path)
    assert bad.returncode == 1
    assert bad.stderr.startswith(
        "data/events/2019.yml:9: event 'riverton-workers-kidnapping': 'actors[0].role' is 'suspectd'"
    )
    assert "(did you mean 'suspected'?)" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_check_skips_quotes_without_archive_unless_required(tmp_path: Path) -> None:
    shutil.copytree(FIXTURE_DATA, tmp_path / "data")
    missing = str(tmp_path / "nowhere")
    # as on a contributor's machine, whatever this run's own settings (CI requires the archive)
    env = {k: v for k, v in os.environ.items() if k not in ("WIKI_ARCHIVE", "WIKI_REQUIRE_ARCHIVE")}
    skipped = run("-m", "macros.check", "--archive", missing, cwd=tmp_path, env=env)
    assert skipped.returncode == 0 and skipped.stderr.count("\n") == 1 and "quote check skipped" in skipped.stderr
    required = run("-m", "macros.check", "--archive", missing, "--require-archive", cwd=tmp_path, env=env)
    assert required.returncode == 1


def test_scaffolded_event_is_refused_until_filled_in(tmp_path: Path) -> None:
    shutil.copytree(FIXTURE_DATA, tmp_path / "data")
    made = run(
        "-m",
        "macros.new",
        "event",
        "--id",
        "new-attack-2021",
        "--date",
        "2021-03",
        "--source",
        "alpha-gazette",
        cwd=tmp_path,
    )
    assert made.returncode == 0, made.stderr
    path = tmp_path / "data" / "events" / "2021.yml"
    assert path.read_text().startswith("# yaml-language-server: $schema=../../schema/events.schema.json\nevents:\n")
    raws, errors = load(tmp_path / "data", tmp_path)
    with pytest.raises(DataErrors) as caught:
        validate(raws, errors)
    messages = [str(e) for e in caught.value.errors]
    assert (
        "data/events/2021.yml:5: event 'new-attack-2021': 'title' still holds the placeholder 'CHANGE ME': fill it in"
        in messages
    )
    # filled in, it validates
    text = path.read_text()
    text = text.replace("CHANGE ME: a short title in your own words", "Attack in Riverton")
    text = text.replace("CHANGE ME: what happened, in your own words", "Someone attacked.")
    text = text.replace("CHANGE ME: a short verbatim excerpt (at most 40 words)", "attacked the market of Riverton")
    path.write_text(text)
    raws, errors = load(tmp_path / "data", tmp_path)
    assert validate(raws, errors).events[-1].id == "new-attack-2021"


def test_scaffold_follows_the_last_record_without_a_blank_line(tmp_path: Path) -> None:
    shutil.copytree(FIXTURE_DATA, tmp_path / "data")
    people = tmp_path / "data" / "people.yml"
    people.write_text(people.read_text() + "\n\n  \n")  # an editor left blank lines at the end
    made = run("-m", "macros.new", "person", "--id", "new-person", "--source", "alpha-gazette", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith("added a person 'new-person' to data/people.yml")
    assert 'in 2012."\n  - id: new-person\n' in people.read_text()
    made = run("-m", "macros.new", "event", "--id", "new-event", "--date", "2020", cwd=tmp_path)
    assert made.stdout.startswith("added an event 'new-event' to data/events/2020.yml")
    assert "\n\n" not in (tmp_path / "data" / "events" / "2020.yml").read_text()


def test_guide_examples_are_valid_records(tmp_path: Path) -> None:
    """Every ```yaml block of the contributor guide is a data file that validates with the real data."""
    guide = (ROOT / "docs" / "contributing.md").read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0] for b in guide.split("```yaml\n")[1:]]
    examples = [textwrap.dedent(b) for b in blocks if not b.lstrip().startswith("# not a data file")]
    assert len(examples) >= 3
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns(".staging"))
    # A contributor who copied an example, id and all, into the data (as the guide invites)
    # has not broken the guide: the example takes another id here.
    raws, _ = load(data, tmp_path)
    taken = {raw.raw.get("id") for raw in raws}
    for number, example in enumerate(examples):
        text = example
        for rid in re.findall(r"^\s*- id: (\S+)$", example, re.MULTILINE):
            if rid in taken:
                text = re.sub(rf"^(\s*- id: ){re.escape(rid)}$", rf"\g<1>{rid}-guide-example", text, flags=re.MULTILINE)
        (data / f"guide-example-{number}.yml").write_text(text, encoding="utf-8")
    from macros.quotes import check_quotes

    raws, errors = load(data, tmp_path)
    archive = ROOT.parent / "shared" / "sources"
    if archive.is_dir():
        errors = [*errors, *check_quotes(raws, archive)]
    try:
        validate(raws, errors)
    except DataErrors as exc:
        pytest.fail(exc.report())
