"""The data-rights room's public names, gathered by ``competency_plugin.api``."""
from competency_plugin.rights.export import PortfolioArchive, export_portfolio
from competency_plugin.rights.retirement import RetirementSummary, retire_learner

__all__ = [
    "PortfolioArchive",
    "export_portfolio",
    "RetirementSummary",
    "retire_learner",
]
