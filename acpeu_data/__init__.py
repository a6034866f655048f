"""The ACP-EU Migration Action's data: loading, checking, filtering and exporting (no Streamlit)."""

from acpeu_data.dataset import Dataset, FileInfo
from acpeu_data.filters import Filters
from acpeu_data.load import DataError, Problem, data_version, load, load_files

__all__ = [
    "DataError",
    "Dataset",
    "FileInfo",
    "Filters",
    "Problem",
    "data_version",
    "load",
    "load_files",
]
