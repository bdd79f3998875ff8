# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The three-way match of a vendor bill: per purchase order line, what this
bill and the other bills of the line bill, against what may be billed (the
received quantity, or the ordered one for products billed on ordered
quantities).

Plain functions over rows the caller read; no database.
"""


def assess(move_id, rows, digits=2):
    """The purchase order lines billed by the bill ``move_id``, as dicts.

    ``rows`` are the bill lines of every bill of those purchase order lines
    (cancelled bills left out), each a dict with ``line`` (the purchase order
    line's id), ``order`` and ``product`` (names), ``method`` (``purchase``:
    billed on ordered quantities, else on received ones), ``ordered``,
    ``received``, ``move``, ``posted`` (whether that bill is posted),
    ``refund`` (whether it is a credit note) and ``quantity`` (in the unit
    of the purchase order line). Quantities are compared at ``digits``.

    Each result has the line's ``order``, ``product``, ``basis``
    (``ordered`` or ``received``), ``billable``, ``now`` (billed by this
    bill), ``posted`` and ``draft`` (billed by the other bills, credit notes
    deducted), ``bills`` (their ids, oldest first) and ``over`` (whether the
    total exceeds what may be billed while this bill bills some of it).
    """
    lines = {}
    for row in rows:
        line = lines.get(row["line"])
        if line is None:
            on_ordered = row["method"] == "purchase"
            line = lines[row["line"]] = {
                "line": row["line"],
                "order": row["order"],
                "product": row["product"],
                "basis": "ordered" if on_ordered else "received",
                "billable": (row["ordered"] if on_ordered else row["received"]) or 0.0,
                "now": 0.0,
                "posted": 0.0,
                "draft": 0.0,
                "bills": [],
            }
        quantity = -row["quantity"] if row["refund"] else row["quantity"]
        if row["move"] == move_id:
            line["now"] += quantity
            continue
        line["posted" if row["posted"] else "draft"] += quantity
        if row["move"] not in line["bills"]:
            line["bills"].append(row["move"])
    result = []
    for line in lines.values():
        for key in ("billable", "now", "posted", "draft"):
            line[key] = round(line[key], digits)
        line["bills"].sort()
        line["before"] = round(line["posted"] + line["draft"], digits)
        line["billed"] = round(line["before"] + line["now"], digits)
        line["over"] = line["now"] > 0 and line["billed"] > line["billable"]
        result.append(line)
    return sorted(result, key=lambda line: line["line"])


def quantity(value):
    """A quantity as people write it: ``10`` rather than ``10.0``."""
    return f"{value:g}"
