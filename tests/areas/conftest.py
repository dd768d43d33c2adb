from tests.conftest import DATA_DIR

PAAVO_DIR = DATA_DIR / "paavo"
# Paavo rows with -1, "..." and empty cells, a small area, a zero group, a true 0, float-formatted
# integers and a row of another municipality (00100 Helsinki).
SAMPLE = PAAVO_DIR / "paavo_sample.csv"
