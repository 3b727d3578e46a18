"""A live game on this server: ``GameSession`` and the modules it is made of.

``game`` holds the session's state; ``seats`` who plays each role; ``connect`` sockets
joining and leaving; ``orders`` a seat's order; ``chat`` chat lines; ``resolve`` the turn;
``clock`` the deadline and grace timers; ``phase`` the life cycle; ``log`` the append-only log; ``push`` encoding
and audiences.
"""

from server.session import phase
from server.session.game import GameSession
from server.session.push import encode_ack, encode_push
from server.session.seats import Seat

__all__ = ["GameSession", "Seat", "encode_ack", "encode_push", "phase"]
