"""Indicators (考核指标) computed from complaint records, each with the records behind it.

The customer-service specialist of seed ``001_…`` is appraised on 投诉处理时效 (complaint
handling timeliness), 客户满意度 (customer satisfaction) and 客户索赔金额下降程度 (how far
customer claim amounts fall). Each indicator here is an exact value (``Fraction``,
``Money``, ``timedelta``) together with the ids of the complaints it was computed from,
so a figure on a report can always be traced back to the forms (投诉处理单).

Only events at or before ``as_of`` count: an indicator for last month is computed with
``as_of`` at the end of last month and gives the same answer forever after.

| module | answers |
|---|---|
| `shares` | what share of complaints was handled in time, satisfied, reopened |
| `resolution_times` | how long resolving takes (average, nearest-rank 90th percentile) |
| `claims` | how much customers claimed per period, and how it changed |
| `root_causes` | why complaints happened (投诉原因分析) |
"""

from __future__ import annotations

from keyaccount.kpi.claims import ClaimGranularity, ClaimPeriod, ClaimsByPeriod, claims_by_period
from keyaccount.kpi.resolution_times import (
    ResolutionTime,
    ResolutionTimes,
    nearest_rank,
    resolution_times,
)
from keyaccount.kpi.root_causes import RootCause, RootCauseCounts, root_cause_counts
from keyaccount.kpi.shares import (
    ShareResult,
    handling_timeliness,
    reopen_rate,
    satisfaction_rate,
)

__all__ = [
    "ClaimGranularity",
    "ClaimPeriod",
    "ClaimsByPeriod",
    "ResolutionTime",
    "ResolutionTimes",
    "RootCause",
    "RootCauseCounts",
    "ShareResult",
    "claims_by_period",
    "handling_timeliness",
    "nearest_rank",
    "reopen_rate",
    "resolution_times",
    "root_cause_counts",
    "satisfaction_rate",
]
