"""Pandera schemas of the two workbook kinds.

Each column is declared once: its Thai label (the header clerks see), its
checks (with the Thai message a clerk reads when a cell fails) and its help.
The template writer, the validation and the rejection reports all read these.
"""

import os

# pandera warns on `import pandera` for pandas users; we import pandera.pandas.
os.environ.setdefault("DISABLE_PANDERA_IMPORT_WARNING", "True")
