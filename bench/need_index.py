"""Time the need index and its sensitivity analysis over every Finnish postal area.

Read the national Paavo file (3 018 postal areas, PxWeb label headers), derive the indicators of
the default configuration with the importer's formulas, and time `sensitivity.analyse()`: the
index, the selection and the sensitivity scenarios (±25 % weights, `--draws` Dirichlet draws,
leave-one-indicator-out and the two other normalisations). Two cases run:

- `context`: every area is a postal area, as in a national ranking without candidates;
- `candidates`: every area is treated as a suburb, so the selection rule and the selection
  frequency run over 3 018 candidates as well.

    .venv/bin/python bench/need_index.py [--draws 1000] [--repeat 5]

No database is used. Prints the machine, the load average, the minimum and median wall-clock
time and the minimum CPU time of the process, which depends less on other load.
"""

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_FILE = REPO / "tests" / "data" / "paavo" / "paavo_master.csv"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE, help="Paavo CSV file.")
    parser.add_argument("--draws", type=int, default=1000, help="Dirichlet draws.")
    parser.add_argument("--repeat", type=int, default=5, help="Timed runs per case.")
    parser.add_argument("--seed", type=int, default=2024, help="Seed of the random weights.")
    parser.add_argument(
        "--normalisation",
        default="percentile",
        choices=("percentile", "robust_z", "exponential"),
        help="Normalisation of the configuration.",
    )
    return parser.parse_args()


def setup_django() -> None:
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "osallistu.settings")
    os.environ.setdefault("SECRET_KEY", "bench")
    os.environ.setdefault("OSALLISTU_IDENTITY_HMAC_KEY", "bench")
    import django

    django.setup()


def national_input(path: Path, codes: list[str], kind: str):
    """Return an IndexInput of every postal area in `path`, all of kind `kind`."""
    import numpy as np

    from osallistu.areas import catalogue, paavo
    from osallistu.areas.services import paavo_indicator_value
    from osallistu.selection.need_index import IndexInput

    rows = paavo.parse_paavo_csv(path.read_bytes()).rows
    specs = [catalogue.INDICATORS_BY_CODE[code] for code in codes]
    values = np.full((len(rows), len(codes)), np.nan)
    for row_number, row in enumerate(rows):
        for column, spec in enumerate(specs):
            value, _numerator, _denominator, _status = paavo_indicator_value(
                spec, row.values, row.missing_reasons
            )
            if value is not None:
                values[row_number, column] = value
    return IndexInput(
        kinds=[kind] * len(rows),
        identifiers=[row.postal_code for row in rows],
        names=[row.name for row in rows],
        population=[
            np.nan if row.values.get("he_vakiy") is None else row.values["he_vakiy"] for row in rows
        ],
        indicator_codes=codes,
        values=values,
        directions={spec.code: spec.direction for spec in specs},
    )


def machine() -> str:
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        total_kib = int(meminfo.read_text().split("\n")[0].split()[1])
        memory = f", {total_kib / 1024 / 1024:.0f} GiB"
    return (
        f"{platform.machine()}, {os.cpu_count()} cores{memory}, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}"
    )


def main() -> None:
    arguments = parse_args()
    setup_django()
    import numpy as np

    from osallistu.selection import need_index, sensitivity
    from osallistu.selection.selection_rule import SelectionRule

    configuration = need_index.IndexConfiguration(
        domains=need_index.default_configuration().domains,
        normalisation=arguments.normalisation,
    )
    print(f"machine: {machine()}, numpy {np.__version__}")
    for kind, label in (("postal_area", "context"), ("suburb", "candidates")):
        index_input = national_input(arguments.file, configuration.indicator_codes, kind)
        timings = []
        cpu_timings = []
        for _run in range(arguments.repeat):
            started = time.perf_counter()
            cpu_started = time.process_time()
            analysis = sensitivity.analyse(
                index_input,
                configuration,
                SelectionRule(),
                seed=arguments.seed,
                draws=arguments.draws,
            )
            timings.append(time.perf_counter() - started)
            cpu_timings.append(time.process_time() - cpu_started)
        ranked = sum(1 for area in analysis.index.areas if area.rank is not None)
        counts = analysis.sensitivity.scenario_counts
        load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
        print(
            f"{label}: {len(index_input)} areas ({ranked} ranked), "
            f"{sum(counts.values())} scenarios {counts}, normalisation "
            f"{configuration.normalisation}: min {min(timings):.3f} s, "
            f"median {statistics.median(timings):.3f} s over {arguments.repeat} runs "
            f"(CPU time min {min(cpu_timings):.3f} s); "
            f"load average {load}"
        )


if __name__ == "__main__":
    main()
