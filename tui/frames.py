"""Turn frame-likes into a pandas DataFrame: one rule for the table widget and the history.

pandas and numpy are imported only when a conversion runs, so importing this is free.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["as_frame"]


def as_frame(obj: Any) -> pd.DataFrame:
    """Turn a DataFrame, Series, Index, numpy array or other frame-like into a DataFrame.

    Args:
        obj: A DataFrame (returned as it is), a Series (one column named after it or 0), an
            Index, a 0-, 1- or 2-D numpy array, an object with `to_pandas()`, or anything
            `pandas.DataFrame()` accepts.

    Returns:
        The data as a DataFrame.

    Raises:
        ValueError: The array has more than two dimensions.

    Example:
        >>> import numpy as np
        >>> as_frame(np.arange(6).reshape(3, 2)).shape
        (3, 2)
        >>> list(as_frame(np.arange(3)).columns)
        [0]
    """
    import numpy as np
    import pandas as pd

    if isinstance(obj, pd.DataFrame):
        return obj
    if isinstance(obj, pd.Series):
        return obj.to_frame()
    if isinstance(obj, pd.Index):
        return obj.to_frame(index=False)
    if isinstance(obj, np.ndarray | np.generic):
        obj = np.asarray(obj)
        if obj.ndim > 2:
            raise ValueError(f"can't show a {obj.ndim}-D array as a table")
        return pd.DataFrame(obj.reshape(1) if obj.ndim == 0 else obj)
    if callable(getattr(obj, "to_pandas", None)):
        return as_frame(obj.to_pandas())
    return pd.DataFrame(obj)
