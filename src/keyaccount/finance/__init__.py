"""Money with customers: receivables, aging, collections, statements, dunning, credit control,
budgets, sales results and churn.

The seeds measure key-account and customer-service people on money: 合同收款额
(collections) and 应收帐款坏账率及延误天数 (bad-debt rate and days overdue,
``001_5973d372c2cdd2f6.txt`` 考核指标); the manager checks receivables and pushes
collection (检查应收账款状况,督促项目收款; 负责大客户续约及催款工作,
``000_e270730e1905b545.txt``).

| module | answers |
|---|---|
| `terms` | when is an invoice due: `PaymentTerms` (``net 30``, ``月结60天``) |
| `receivables` | what a customer owes: the records and the `Receivables` ledger |
| `allocation` | which invoices each payment paid: `allocate` (explicit, then oldest due first) |
| `aging` | how old is what is owed: `open_items` (延误天数), `aging` buckets |
| `collections` | how much was collected and lost: `collections` (合同收款额), `bad_debt_rate` |
| `statement` | what a customer's account shows for a period: `statement` (对帐单) |
| `dunning` | who must chase which overdue invoice now: `dunning` (催款) |
| `write_offs` | who approves a bad-debt write-off (坏账核销): `write_off_route` |
| `periods` | which days a reporting period covers: `ReportPeriod` (``2026Q1``) |
| `rating` | which credit rating a payment history earns: `credit_rating` (资信等级) |
| `credit` | may this order go out on credit: `credit_check` (资信动态控制) |
| `budgets` | what was approved and spent: `Budget`, `Expense`, `BudgetBook` |
| `budget_control` | does this spending fit the budget: `budget_status` (费用控制), `fits` |
| `sales` | how each salesperson did against target: `sales_results` (销售目标及实绩达成分析表) |
| `churn` | how many customers were lost: `churn_rate` (客户流失率) |
"""

from __future__ import annotations

from keyaccount.finance.aging import (
    DEFAULT_AGING,
    Aging,
    AgingBucket,
    AgingGroup,
    AgingPolicy,
    AgingRow,
    BucketFigure,
    OpenItem,
    aging,
    departments_of,
    local_day,
    open_items,
)
from keyaccount.finance.allocation import (
    Allocated,
    Applied,
    AppliedKind,
    UnappliedCredit,
    allocate,
)
from keyaccount.finance.budget_control import (
    BudgetFit,
    BudgetLineStatus,
    BudgetStatus,
    budget_status,
    fits,
)
from keyaccount.finance.budgets import Budget, BudgetBook, Expense
from keyaccount.finance.churn import (
    DEFAULT_CHURN,
    ChurnDefinition,
    ChurnFigure,
    ChurnPolicy,
    ChurnReport,
    churn_rate,
)
from keyaccount.finance.collections import (
    BadDebtRate,
    Collected,
    Collections,
    bad_debt_rate,
    collections,
)
from keyaccount.finance.credit import (
    CreditCheck,
    CreditDecision,
    OpenOrder,
    credit_check,
)
from keyaccount.finance.dunning import (
    DEFAULT_DUNNING,
    DueDunning,
    DunningAction,
    DunningPolicy,
    DunningStep,
    Responsible,
    dunning,
    managers_of,
)
from keyaccount.finance.periods import (
    ReportPeriod,
    as_report_period,
)
from keyaccount.finance.rating import (
    DEFAULT_RATING,
    CreditHistory,
    CreditRating,
    RatingPolicy,
    RatingResult,
    RatingRule,
    credit_history,
    credit_rating,
)
from keyaccount.finance.receivables import (
    Allocation,
    CreditNote,
    Invoice,
    Payment,
    Receivables,
    WriteOff,
)
from keyaccount.finance.sales import (
    Achievement,
    MarginFigure,
    SalesKind,
    SalesRecord,
    SalesResults,
    SalesRow,
    SalesTarget,
    sales_results,
)
from keyaccount.finance.statement import (
    CustomerStatement,
    StatementKind,
    StatementLine,
    statement,
)
from keyaccount.finance.terms import PaymentTerms
from keyaccount.finance.write_offs import WRITE_OFF_SUBJECT, write_off_route

__all__ = [
    "DEFAULT_AGING",
    "DEFAULT_CHURN",
    "DEFAULT_DUNNING",
    "DEFAULT_RATING",
    "WRITE_OFF_SUBJECT",
    "Achievement",
    "Aging",
    "AgingBucket",
    "AgingGroup",
    "AgingPolicy",
    "AgingRow",
    "Allocated",
    "Allocation",
    "Applied",
    "AppliedKind",
    "BadDebtRate",
    "BucketFigure",
    "Budget",
    "BudgetBook",
    "BudgetFit",
    "BudgetLineStatus",
    "BudgetStatus",
    "ChurnDefinition",
    "ChurnFigure",
    "ChurnPolicy",
    "ChurnReport",
    "Collected",
    "Collections",
    "CreditCheck",
    "CreditDecision",
    "CreditHistory",
    "CreditNote",
    "CreditRating",
    "CustomerStatement",
    "DueDunning",
    "DunningAction",
    "DunningPolicy",
    "DunningStep",
    "Expense",
    "Invoice",
    "MarginFigure",
    "OpenItem",
    "OpenOrder",
    "Payment",
    "PaymentTerms",
    "RatingPolicy",
    "RatingResult",
    "RatingRule",
    "Receivables",
    "ReportPeriod",
    "Responsible",
    "SalesKind",
    "SalesRecord",
    "SalesResults",
    "SalesRow",
    "SalesTarget",
    "StatementKind",
    "StatementLine",
    "UnappliedCredit",
    "WriteOff",
    "aging",
    "allocate",
    "as_report_period",
    "bad_debt_rate",
    "budget_status",
    "churn_rate",
    "collections",
    "credit_check",
    "credit_history",
    "credit_rating",
    "departments_of",
    "dunning",
    "fits",
    "local_day",
    "managers_of",
    "open_items",
    "sales_results",
    "statement",
    "write_off_route",
]
