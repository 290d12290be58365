"""Kept for code written against nutgraf 0.8: the peers moved to ``nutgraf.evaluate.peers``."""

from nutgraf.evaluate.peers import INSTALL_LINE as INSTALL_LINE
from nutgraf.evaluate.peers import PEER_NAMES as PEER_NAMES
from nutgraf.evaluate.peers import Peer as Peer
from nutgraf.evaluate.peers import PeerUnavailable as PeerUnavailable
from nutgraf.evaluate.peers import load_peer as load_peer
from nutgraf.evaluate.peers import peer_note as peer_note
