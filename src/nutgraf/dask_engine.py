"""Compatibility shim: the Dask engine is ``nutgraf.batch.dask`` (old scripts import it from here)."""

from nutgraf.batch.dask import parts_dir as parts_dir
from nutgraf.batch.dask import process_shard as process_shard
from nutgraf.batch.dask import read_parts as read_parts
from nutgraf.batch.dask import run_dask as run_dask

INSTALL = "pip install 'nutgraf[dask]'"
