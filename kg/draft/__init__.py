"""The drafter: a briefing's text into proposed annotations (entities, figures, relations), each with its
verbatim quote, a confidence and the rule that proposed it. One stage per module: text (sentences), rules
(the rule families as data), link (known entities), figures (numbers and their units), draft (assembly)."""

from .draft import Proposal, draft_briefing, write_draft

__all__ = ["Proposal", "draft_briefing", "write_draft"]
