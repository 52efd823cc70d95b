"""Dossier completeness (客户资料完整度), move 1 of the method (METHOD.md §3.3, §3.6).

A pure package: plain facts in, plain scores and explanations out; no database access.
The selector (`accounts.selectors.dossier_facts`) gathers the facts with a bounded number of
aggregate queries; admins tune the weights (`DossierCheckSetting`), which arrive here as a plain
``{code: weight}`` dict (weight 0 switches a check off).

Every check is a *threshold on what is known* ("a decision-level contact is known"), never a
ratio over the records ("every department's head is known"): recording one more department,
contact or competitor must never lower the score, or reps would learn to record less. Gaps of
single records (a department without a head, a competitor without a satisfaction rating) are
flagged in the account page's tables instead.

One module per part (facts, the checks table, scoring); every name is re-exported here, so
`accounts.dossier.X` stays the import path.
"""

from accounts.dossier.checks import CHECKS, CHECKS_BY_CODE, DEFAULT_WEIGHTS
from accounts.dossier.facts import FACT_NAMES, Category, Check, DossierFacts
from accounts.dossier.scoring import Assessment, CategoryScore, CheckResult, assess

__all__ = [
    "CHECKS",
    "CHECKS_BY_CODE",
    "DEFAULT_WEIGHTS",
    "FACT_NAMES",
    "Assessment",
    "Category",
    "CategoryScore",
    "Check",
    "CheckResult",
    "DossierFacts",
    "assess",
]
