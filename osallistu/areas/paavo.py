"""Parse Statistics Finland's Paavo postal-area statistics from CSV and mark missing values.

Pure Python with no Django import, so that the format and the missing-value rules can be read and
tested alone. The input is UTF-8 text, with or without a byte order mark, comma-separated, with a
header line of Paavo variable codes (`postinumeroalue`, `nimi`, `he_vakiy`, `pt_tyott`, ...), as in
the Paavo WFS layer `pno_tilasto`, or of PxWeb's Finnish labels ("Asukkaat yhteensä (HE)"). Line
numbers in errors are the file's line numbers, so the header is line 1.

A value is missing (None), never 0, when:

1. the cell is -1 (Paavo WFS's mark for a protected value), "..." (PxWeb's mark) or empty;
2. the field is an HE field other than he_vakiy and the area has fewer than 30 inhabitants,
   because Paavo protects the population structure of such areas;
3. the area has inhabitants but a whole variable group is 0, because Paavo extracts write the
   protected values of a group as zeros. The group's published base count (ko_ika18y, hr_tuy,
   te_taly, pt_vakiy, ...) is not part of that test and stays as given unless it is 0 too;
4. the field is a mean, median or average (he_kika, hr_ktu, hr_mtu, te_takk, te_as_valj,
   ra_as_kpa, tr_ktu, tr_mtu) and the value is 0, which no inhabited area can have.

Any other 0 is a true 0 and stays 0.
"""

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass

# Paavo variable groups by code prefix, each with its base count: the group's population that
# Paavo publishes even where it protects the rest of the group. RA has no such count.
GROUP_BASE_FIELDS: dict[str, str | None] = {
    "he": "he_vakiy",  # population structure
    "ko": "ko_ika18y",  # educational structure, residents aged 18 or over
    "hr": "hr_tuy",  # income of residents aged 18 or over
    "te": "te_taly",  # size and life stage of households
    "tr": "tr_kuty",  # income of households
    "ra": None,  # buildings and dwellings
    "tp": "tp_tyopy",  # workplaces
    "pt": "pt_vakiy",  # main type of activity
}
POPULATION_FIELD = "he_vakiy"
# Means, medians and averages: 0 in these fields means that Paavo has withheld the value.
AVERAGE_FIELDS = frozenset(
    {"he_kika", "hr_ktu", "hr_mtu", "te_takk", "te_as_valj", "ra_as_kpa", "tr_ktu", "tr_mtu"}
)
# Paavo protects the HE fields of an area with fewer inhabitants than this.
SMALL_AREA_LIMIT = 30
# Paavo release N carries statistics for year N - 2 (release 2026: population at 31.12.2024).
RELEASE_LAG_YEARS = 2

POSTAL_CODE_COLUMNS = ("postinumeroalue", "posti_alue")
NAME_COLUMN = "nimi"
MUNICIPALITY_CODE_COLUMN = "kunta"
MUNICIPALITY_NAME_COLUMN = "kunta_nimi"
MISSING_MARKERS = frozenset({"-1", "...", ""})

# Reasons for a missing value, as stored in PaavoRecord.missing_reasons.
SUPPRESSED = "suppressed"
SMALL_AREA = "small_area"
ZERO_GROUP = "zero_group"
ZERO_AVERAGE = "zero_average"
MISSING_REASONS = (SUPPRESSED, SMALL_AREA, ZERO_GROUP, ZERO_AVERAGE)

_VARIABLE_CODE = re.compile(r"(?P<group>he|ko|hr|te|tr|ra|tp|pt)_[a-z0-9_]+")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_POSTAL_CODE = re.compile(r"\d{5}")
_MAX_SHOWN_VALUE_LENGTH = 40

Number = int | float


def gettext_noop(message: str) -> str:
    """Mark `message` for translation; callers translate it when they show the error."""
    return message


class PaavoError(ValueError):
    """A malformed Paavo file, with the line number of the first problem.

    `message` is an English msgid with %-placeholders and `params` fills them, so that callers can
    translate the message before formatting it. str() gives the English text.
    """

    def __init__(self, line: int, message: str, **params):
        self.line = line
        self.message = message
        self.params = {"line": line, **params}
        super().__init__(message % self.params)


@dataclass(frozen=True)
class PaavoRow:
    """One postal area's row: values by Paavo code, None where missing, and why each is missing."""

    line: int
    postal_code: str
    name: str
    municipality_code: str
    municipality_name: str
    values: dict[str, Number | None]
    missing_reasons: dict[str, str]


@dataclass
class PaavoFile:
    """A parsed Paavo file: its rows in file order and how its columns were read."""

    rows: list[PaavoRow]
    variables: list[str]
    ignored_columns: list[str]
    has_municipality_column: bool


def variable_group(code: str) -> str | None:
    """Return the group prefix of a Paavo variable code (`pt` for pt_tyott), or None."""
    match = _VARIABLE_CODE.fullmatch(code)
    return match.group("group") if match else None


def parse_paavo_csv(data: bytes | str) -> PaavoFile:
    """Parse a whole Paavo CSV file; raise PaavoError naming the line of the first problem.

    A header of PxWeb labels ("Asukkaat yhteensä (HE)", `Postinumero`, `Alueen_nimi`), as in
    Paavo downloads from the PxWeb service, is first rewritten by pxweb_to_codes. The header must
    contain a postal-code column (`postinumeroalue` or `posti_alue`) and
    `he_vakiy`. Columns named like Paavo variables (he_, ko_, hr_, te_, tr_, ra_, tp_, pt_) are
    read as numbers. `nimi`, `kunta` and `kunta_nimi` are read as text, and other columns, such
    as `namn`, `euref_x` or `vuosi`, are listed in `ignored_columns`. Every row is checked,
    including rows of other municipalities, because a malformed row means a malformed file.
    """
    text = _decode(data)
    if is_pxweb_header(text.split("\n", 1)[0].split(",")):
        text = pxweb_to_codes(text)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise PaavoError(1, gettext_noop("Line %(line)d: the file is empty.")) from None
    except csv.Error:
        raise PaavoError(1, gettext_noop("Line %(line)d: the line is not valid CSV.")) from None

    columns = _read_header(header)
    variables = [column for column in columns if variable_group(column)]
    postal_code_column = next(column for column in POSTAL_CODE_COLUMNS if column in columns)
    rows: list[PaavoRow] = []
    first_lines: dict[str, int] = {}
    line = 1
    while True:
        start_line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error:
            raise PaavoError(
                start_line, gettext_noop("Line %(line)d: the line is not valid CSV.")
            ) from None
        line = start_line
        if not cells:
            continue
        if len(cells) != len(columns):
            raise PaavoError(
                line,
                gettext_noop("Line %(line)d: expected %(expected)d columns but found %(found)d."),
                expected=len(columns),
                found=len(cells),
            )
        record = dict(zip(columns, (cell.strip() for cell in cells), strict=True))
        row = _read_row(line, record, postal_code_column, variables)
        if row.postal_code in first_lines:
            raise PaavoError(
                line,
                gettext_noop(
                    "Line %(line)d: the postal code %(postal_code)s already appeared on line "
                    "%(first_line)d."
                ),
                postal_code=row.postal_code,
                first_line=first_lines[row.postal_code],
            )
        first_lines[row.postal_code] = line
        rows.append(row)

    if not rows:
        raise PaavoError(
            line + 1, gettext_noop("Line %(line)d: the file has a header but no data rows.")
        )
    known = {*POSTAL_CODE_COLUMNS, NAME_COLUMN, MUNICIPALITY_CODE_COLUMN, MUNICIPALITY_NAME_COLUMN}
    return PaavoFile(
        rows=rows,
        variables=variables,
        ignored_columns=[c for c in columns if c not in known and c not in variables],
        has_municipality_column=(
            MUNICIPALITY_CODE_COLUMN in columns or MUNICIPALITY_NAME_COLUMN in columns
        ),
    )


def split_by_municipality(
    paavo_file: PaavoFile, *, municipality_code: str, municipality_name: str
) -> tuple[list[PaavoRow], list[PaavoRow]]:
    """Return the rows of the municipality and the rows of other municipalities.

    A row belongs to the municipality if its `kunta` equals the municipality code (leading zeros
    do not matter) or its `kunta_nimi` equals the municipality name (case does not matter). A
    file with neither column is taken to be an extract of the municipality, so all of its rows
    belong to it.
    """
    if not paavo_file.has_municipality_column:
        return list(paavo_file.rows), []
    code = _normalize_municipality_code(municipality_code)
    name = municipality_name.strip().casefold()
    in_scope, out_of_scope = [], []
    for row in paavo_file.rows:
        if (
            row.municipality_code and _normalize_municipality_code(row.municipality_code) == code
        ) or (row.municipality_name and row.municipality_name.casefold() == name):
            in_scope.append(row)
        else:
            out_of_scope.append(row)
    return in_scope, out_of_scope


def count_missing(rows: Iterable[PaavoRow]) -> dict[str, int]:
    """Return how many values of `rows` are missing, by reason, with every reason present."""
    counts = dict.fromkeys(MISSING_REASONS, 0)
    for row in rows:
        for reason in row.missing_reasons.values():
            counts[reason] += 1
    return counts


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PaavoError(
            data[: error.start].count(b"\n") + 1,
            gettext_noop("Line %(line)d: the file is not UTF-8 text. Save it as UTF-8 and retry."),
        ) from None


def _read_header(header: list[str]) -> list[str]:
    columns = [column.strip().lower() for column in header]
    seen: set[str] = set()
    for column in columns:
        if column in seen:
            raise PaavoError(
                1,
                gettext_noop("Line %(line)d: the column %(column)s appears twice in the header."),
                column=column,
            )
        seen.add(column)
    if POPULATION_FIELD not in seen:
        raise PaavoError(
            1,
            gettext_noop(
                "Line %(line)d: the header has no he_vakiy column. The file must be "
                "comma-separated, with Paavo variable codes (he_vakiy, pt_tyott, …) as column "
                "names."
            ),
        )
    if not seen.intersection(POSTAL_CODE_COLUMNS):
        raise PaavoError(
            1,
            gettext_noop(
                "Line %(line)d: the header has no postal code column (postinumeroalue or "
                "posti_alue)."
            ),
        )
    return columns


def _read_row(
    line: int, record: dict[str, str], postal_code_column: str, variables: list[str]
) -> PaavoRow:
    postal_code = record[postal_code_column]
    if not _POSTAL_CODE.fullmatch(postal_code):
        raise PaavoError(
            line,
            gettext_noop("Line %(line)d: the postal code “%(value)s” is not five digits."),
            value=_shorten(postal_code),
        )
    values: dict[str, Number | None] = {}
    reasons: dict[str, str] = {}
    for code in variables:
        value = _read_number(line, code, record[code])
        if value is None:
            reasons[code] = SUPPRESSED
        values[code] = value
    _mark_protected_values(values, reasons)
    for code in reasons:
        values[code] = None
    return PaavoRow(
        line=line,
        postal_code=postal_code,
        name=record.get(NAME_COLUMN, ""),
        municipality_code=record.get(MUNICIPALITY_CODE_COLUMN, ""),
        municipality_name=record.get(MUNICIPALITY_NAME_COLUMN, ""),
        values=values,
        missing_reasons=reasons,
    )


def _read_number(line: int, column: str, text: str) -> Number | None:
    if text in MISSING_MARKERS:
        return None
    if not _NUMBER.fullmatch(text):
        raise PaavoError(
            line,
            gettext_noop(
                "Line %(line)d: the value “%(value)s” in column %(column)s is not a number. "
                "Write a missing value as -1, “...” or an empty cell."
            ),
            value=_shorten(text),
            column=column,
        )
    number = float(text)
    if number == -1:
        return None
    if number < 0:
        raise PaavoError(
            line,
            gettext_noop(
                "Line %(line)d: the value %(value)s in column %(column)s is negative. Only -1 "
                "may be negative, and it marks a missing value."
            ),
            value=text,
            column=column,
        )
    # Float-formatted integers ("12729.0") are counts written by spreadsheet tools.
    return int(number) if number.is_integer() else number


def _mark_protected_values(values: dict[str, Number | None], reasons: dict[str, str]) -> None:
    """Add the reasons of rules 2 to 4 of the module docstring. An earlier reason is kept."""
    population = values.get(POPULATION_FIELD)

    if population is not None and population < SMALL_AREA_LIMIT:
        for code in values:
            if variable_group(code) == "he" and code != POPULATION_FIELD:
                reasons.setdefault(code, SMALL_AREA)

    if population is not None and population > 0:
        for group, base_field in GROUP_BASE_FIELDS.items():
            members = [code for code in values if variable_group(code) == group]
            other_values = [values[code] for code in members if code != base_field]
            other_values = [value for value in other_values if value is not None]
            if other_values and all(value == 0 for value in other_values):
                for code in members:
                    if values[code] == 0:
                        reasons.setdefault(code, ZERO_GROUP)

    for code in AVERAGE_FIELDS.intersection(values):
        if values[code] == 0:
            reasons.setdefault(code, ZERO_AVERAGE)


def _normalize_municipality_code(code: str) -> str:
    code = code.strip()
    if _NUMBER.fullmatch(code):
        code = str(int(float(code)))
    return code.zfill(3)


def _shorten(text: str) -> str:
    if len(text) <= _MAX_SHOWN_VALUE_LENGTH:
        return text
    return text[: _MAX_SHOWN_VALUE_LENGTH - 1] + "…"


# PxWeb column labels of Paavo CSV downloads (Finnish) and the variable codes they stand for.
# Each pair was checked value by value on every Kuopio row of a 2024 national extract.
PXWEB_LABELS: dict[str, str] = {
    "0-2-vuotiaat (HE)": "he_0_2",
    "13-15-vuotiaat (HE)": "he_13_15",
    "16-17-vuotiaat (HE)": "he_16_17",
    "18-19-vuotiaat (HE)": "he_18_19",
    "20-24-vuotiaat (HE)": "he_20_24",
    "25-29-vuotiaat (HE)": "he_25_29",
    "3-6-vuotiaat (HE)": "he_3_6",
    "30-34-vuotiaat (HE)": "he_30_34",
    "35-39-vuotiaat (HE)": "he_35_39",
    "40-44-vuotiaat (HE)": "he_40_44",
    "45-49-vuotiaat (HE)": "he_45_49",
    "50-54-vuotiaat (HE)": "he_50_54",
    "55-59-vuotiaat (HE)": "he_55_59",
    "60-64-vuotiaat (HE)": "he_60_64",
    "65-69-vuotiaat (HE)": "he_65_69",
    "7-12-vuotiaat (HE)": "he_7_12",
    "70-74-vuotiaat (HE)": "he_70_74",
    "75-79-vuotiaat (HE)": "he_75_79",
    "80-84-vuotiaat (HE)": "he_80_84",
    "85 vuotta täyttäneet (HE)": "he_85_",
    "Asukkaat yhteensä (HE)": "he_vakiy",
    "Asukkaiden keski-ikä (HE)": "he_kika",
    "Miehet (HE)": "he_miehet",
    "Naiset (HE)": "he_naiset",
    "18 vuotta täyttäneet yhteensä (HR)": "hr_tuy",
    "Alimpaan tuloluokkaan kuuluvat asukkaat (HR)": "hr_pi_tul",
    "Asukkaiden keskitulot (HR)": "hr_ktu",
    "Asukkaiden mediaanitulot (HR)": "hr_mtu",
    "Asukkaiden ostovoimakertymä (HR)": "hr_ovy",
    "Keskimmäiseen tuloluokkaan kuuluvat asukkaat (HR)": "hr_ke_tul",
    "Ylimpään tuloluokkaan kuuluvat asukkaat (HR)": "hr_hy_tul",
    "Asuinrakennukset yhteensä (RA)": "ra_asrak",
    "Asunnot (RA)": "ra_asunn",
    "Asuntojen keskipinta-ala (RA)": "ra_as_kpa",
    "Kerrostaloasunnot (RA)": "ra_kt_as",
    "Kesämökit yhteensä (RA)": "ra_ke",
    "Muut asunnot (RA)": "ra_muu_as",
    "Muut rakennukset yhteensä (RA)": "ra_muut",
    "Pientaloasunnot (RA)": "ra_pt_as",
    "Rakennukset yhteensä (RA)": "ra_raky",
    "Asukkaat yhteensä (PT)": "pt_vakiy",
    "Eläkeläiset (PT)": "pt_elakel",
    "Lapset 0-14-vuotiaat (PT)": "pt_0_14",
    "Muut (PT)": "pt_muut",
    "Opiskelijat (PT)": "pt_opisk",
    "Työlliset (PT)": "pt_tyoll",
    "Työttömät (PT)": "pt_tyott",
    "Aikuisten taloudet (TE)": "te_aik",
    "Alle kouluikäisten lasten taloudet (TE)": "te_aklap",
    "Asumisväljyys (TE)": "te_as_valj",
    "Eläkeläisten taloudet (TE)": "te_elak",
    "Kouluikäisten lasten taloudet (TE)": "te_klap",
    "Lapsettomat nuorten parien taloudet (TE)": "te_eil_np",
    "Lapsitaloudet (TE)": "te_laps",
    "Muissa asunnoissa asuvat taloudet (TE)": "te_muu_as",
    "Nuorten yksinasuvien taloudet (TE)": "te_nuor",
    "Omistusasunnoissa asuvat taloudet (TE)": "te_omis_as",
    "Pienten lasten taloudet (TE)": "te_plap",
    "Taloudet yhteensä (TE)": "te_taly",
    "Talouksien keskikoko (TE)": "te_takk",
    "Teini-ikäisten lasten taloudet (TE)": "te_teini",
    "Vuokra-asunnoissa asuvat taloudet (TE)": "te_vuok_as",
    "Yhden vanhemman lapsitaloudet (TE)": "te_yhlap",
    "Yksinasuvien taloudet (TE)": "te_yks",
    "18 vuotta täyttäneet yhteensä (KO)": "ko_ika18y",
    "Alimman korkea-asteen tai alemman korkeakoulututkinnon suorittaneet (KO)": "ko_al_kork",
    "Ammatillisen tutkinnon suorittaneet (KO)": "ko_ammat",
    "Koulutetut yhteensä (KO)": "ko_koul",
    "Perusasteen suorittaneet (KO)": "ko_perus",
    "Ylemmän korkeakoulututkinnon suorittaneet (KO)": "ko_yl_kork",
    "Ylioppilastutkinnon suorittaneet (KO)": "ko_yliop",
}
PXWEB_POSTAL_CODE_COLUMN = "Postinumero"
# "Kuopio Keskus (Kuopio)": the area name with its municipality in parentheses.
PXWEB_NAME_COLUMN = "Alueen_nimi"
_PXWEB_NAME = re.compile(r"(?P<name>.*?)\s*\((?P<municipality>[^()]+)\)\s*")


def is_pxweb_header(header: list[str]) -> bool:
    """Return whether a header line uses PxWeb labels ("Asukkaat yhteensä (HE)") for columns."""
    columns = {column.strip().removeprefix("\ufeff") for column in header}
    return PXWEB_POSTAL_CODE_COLUMN in columns and "Asukkaat yhteensä (HE)" in columns


def pxweb_to_codes(text: str) -> str:
    """Rewrite a CSV with PxWeb label headers as one with Paavo variable codes.

    Labels become codes, `Postinumero` becomes `postinumeroalue`, and `Alueen_nimi` ("Name
    (Municipality)") becomes `nimi` and `kunta_nimi`. Other columns, such as Postinumeroalue_x,
    keep their label and are ignored by parse_paavo_csv. Each row stays on its own line, so line
    numbers in errors still match the original file.
    """
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\n")
    try:
        header = [column.strip() for column in next(reader)]
    except (StopIteration, csv.Error):
        return text
    name_index = header.index(PXWEB_NAME_COLUMN) if PXWEB_NAME_COLUMN in header else None
    columns = [
        "postinumeroalue"
        if column == PXWEB_POSTAL_CODE_COLUMN
        else PXWEB_LABELS.get(column, column)
        for column in header
    ]
    if name_index is not None:
        columns[name_index : name_index + 1] = [NAME_COLUMN, MUNICIPALITY_NAME_COLUMN]
    writer.writerow(columns)
    try:
        for cells in reader:
            if name_index is not None and len(cells) == len(header):
                match = _PXWEB_NAME.fullmatch(cells[name_index])
                name, municipality = (
                    (match["name"], match["municipality"]) if match else (cells[name_index], "")
                )
                cells[name_index : name_index + 1] = [name, municipality]
            writer.writerow(cells)
    except csv.Error:
        # parse_paavo_csv reports the malformed line of the original text.
        return text
    return output.getvalue()
