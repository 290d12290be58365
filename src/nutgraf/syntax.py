"""Compatibility: the compressor's dependency-parse units moved to ``nutgraf.compress.syntax``.

Kept so that scripts written against ``nutgraf.syntax`` keep working; new code imports from
``nutgraf.compress.syntax``. Importing this module does not import spaCy.
"""

from nutgraf.compress.syntax import DEP_KINDS as DEP_KINDS
from nutgraf.compress.syntax import PARSER_PACKAGE as PARSER_PACKAGE
from nutgraf.compress.syntax import ParserUnavailable as ParserUnavailable
from nutgraf.compress.syntax import opener_ends_at_subject as opener_ends_at_subject
from nutgraf.compress.syntax import parse as parse
from nutgraf.compress.syntax import parseable as parseable
from nutgraf.compress.syntax import parser as parser
from nutgraf.compress.syntax import sentence_units as sentence_units
from nutgraf.compress.syntax import syntax_units as syntax_units
from nutgraf.compress.syntax import top_token as top_token
