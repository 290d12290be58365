"""Batch: many inputs to one JSON Lines output, in input order, exactly one row per record, crash-safe.

Inputs are anything ``nutgraf.ingest`` opens (JSON Lines, directories of text and HTML files, RSS/Atom
feeds, single documents). Two engines run the same ``Job``: ``local`` (processes on this machine,
``batch.local``) and ``dask`` (shards on a Dask cluster, ``batch.dask``); both write the rows
``batch.job.process_record`` makes.
"""

from nutgraf.batch.job import Job as Job
from nutgraf.batch.job import Tally as Tally
from nutgraf.batch.job import encode_row as encode_row
from nutgraf.batch.job import make_job as make_job
from nutgraf.batch.job import process_record as process_record
from nutgraf.batch.local import WINDOW_PER_WORKER as WINDOW_PER_WORKER
from nutgraf.batch.local import Checkpoint as Checkpoint
from nutgraf.batch.local import map_ordered as map_ordered
from nutgraf.batch.local import read_rows as read_rows
from nutgraf.batch.local import run_job as run_job
from nutgraf.batch.local import run_local as run_local
from nutgraf.errors import BatchError as BatchError
from nutgraf.errors import WorkerDied as WorkerDied
from nutgraf.ingest import html_fragment_text as html_fragment_text
