"""Customers (客户): files, ownership, prospect registration, confidentiality and analysis.

The customer side of the department, as the seeds describe it (DOMAIN.md §3). Each
module answers one question:

* `model`: what a customer file (客户档案) holds: `Customer`, `Staff`, `Contact`,
  `Spend`, the tiers (大客户, 集团客户, VIP and member card holders, 普通顾客) and the
  `RedactedCustomer` view;
* `identity`: when two spellings are one customer: `normalise_phone`, `company_key`;
* `visibility`: who may see a customer: unclosed prospects are strictly confidential
  (报备未成交的客户信息绝对保密): `can_view`, `redact`;
* `registration`: who holds a prospect (报备, ``001_…``), preventing two salespeople
  closing the same customer (防止业务员撞单): `register`, `resolve_claims`;
* `ownership`: who owns each customer: balanced assignment (负责客户数量均衡、兼顾业务能力,
  ``000_…``), hand-over of orphan customers (孤儿客户, ``001_…``) and `unowned`, the
  rule that no active customer is without an owner;
* `credit`: who approves a customer's credit limit: `credit_approval`;
* `analysis`: which customers matter most: `abc_classes`, `frequent_customers`.

Ownership is by person, not position: a `Staff` member holds a position, and a
customer's ``owner`` and ``registered_by`` are staff ids. Two sales representatives
share a position but must not see each other's prospects, so visibility needs the
person (`can_view`).

Examples:
    >>> normalise_phone("138-0013-8000") == normalise_phone("+86 13800138000")
    True
    >>> company_key("上海某某贸易有限公司") == company_key("上海 某某贸易 集团")
    True
"""

from __future__ import annotations

from keyaccount.customers.analysis import (
    AbcClass,
    AbcRow,
    Booking,
    FrequentCustomer,
    abc_classes,
    frequent_customers,
)
from keyaccount.customers.credit import CUSTOMER_CREDIT, CreditApproval, credit_approval
from keyaccount.customers.identity import COMPANY_SUFFIXES, Phone, company_key, normalise_phone
from keyaccount.customers.model import (
    Contact,
    Customer,
    CustomerKind,
    CustomerStatus,
    RedactedCustomer,
    Spend,
    Staff,
    Tier,
)
from keyaccount.customers.ownership import (
    Assignment,
    HandOver,
    apply_assignments,
    assign,
    hand_over,
    unowned,
)
from keyaccount.customers.registration import (
    DuplicateClaim,
    Registration,
    RivalClaim,
    register,
    resolve_claims,
)
from keyaccount.customers.visibility import can_view, redact

__all__ = [
    "COMPANY_SUFFIXES",
    "CUSTOMER_CREDIT",
    "AbcClass",
    "AbcRow",
    "Assignment",
    "Booking",
    "Contact",
    "CreditApproval",
    "Customer",
    "CustomerKind",
    "CustomerStatus",
    "DuplicateClaim",
    "FrequentCustomer",
    "HandOver",
    "Phone",
    "RedactedCustomer",
    "Registration",
    "RivalClaim",
    "Spend",
    "Staff",
    "Tier",
    "abc_classes",
    "apply_assignments",
    "assign",
    "can_view",
    "company_key",
    "credit_approval",
    "frequent_customers",
    "hand_over",
    "normalise_phone",
    "redact",
    "register",
    "resolve_claims",
    "unowned",
]
