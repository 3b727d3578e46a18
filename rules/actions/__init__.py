"""Orders and legal actions: what each role may decide, and whether it may decide it now.

``rules.actions.orders`` holds the order types, their bounds and parsing from wire JSON;
``rules.actions.levers`` the legal actions of an observation and the check of an order.
"""

from rules.actions.levers import (
    check_order,
    has_choice,
    idle_roles,
    legal_actions,
    racing_labs_of,
    treaty_options,
)
from rules.actions.orders import (
    ORDER_TYPES,
    AIOrder,
    AnyOrder,
    IllegalOrderError,
    InvalidOrderError,
    LabOrder,
    OfficialOrder,
    Order,
    OrderError,
    StateOrder,
    TreatyMove,
    WhistleblowerOrder,
    default_order,
    order_to_wire,
    parse_order,
)

__all__ = [
    "ORDER_TYPES",
    "AIOrder",
    "AnyOrder",
    "IllegalOrderError",
    "InvalidOrderError",
    "LabOrder",
    "OfficialOrder",
    "Order",
    "OrderError",
    "StateOrder",
    "TreatyMove",
    "WhistleblowerOrder",
    "check_order",
    "default_order",
    "has_choice",
    "idle_roles",
    "legal_actions",
    "order_to_wire",
    "parse_order",
    "racing_labs_of",
    "treaty_options",
]
