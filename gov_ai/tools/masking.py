# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Personal data masking for providers outside the database.

Values are replaced by keyed pseudonyms (``EMAIL-3f9a0c1d2e``): the same
value gives the same pseudonym within one database, so a provider can still
tell that two records share an address, but cannot read it, and another
database cannot link the pseudonyms.
"""

import hashlib
import hmac
import re

# Field names that hold personal data whatever the model.
PERSONAL_FIELD = re.compile(
    r"(^|_)(e?mail|phone|mobile|fax|vat|iban|acc_number|bank_account|street2?"
    r"|zip|birthday|birthdate|ssnid|sinid|passport_id|identification_id"
    r"|private_\w+)(_|$)"
)
# Models whose name is a person's or a company's name.
NAMED_MODELS = {"res.partner", "res.users", "hr.employee"}
NAME_FIELDS = {"name", "display_name", "complete_name", "commercial_company_name"}

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# International numbers only (a leading +): invoice references and dates
# made of digits and dashes are left alone.
PHONE = re.compile(r"\+\d[\d ()./-]{6,}\d")
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b")
PATTERNS = (("EMAIL", EMAIL), ("IBAN", IBAN), ("PHONE", PHONE))


def is_personal_field(model, name):
    """Whether the field ``name`` of ``model`` holds personal data."""
    if PERSONAL_FIELD.search(name):
        return True
    return model in NAMED_MODELS and name in NAME_FIELDS


def pseudonym(secret, kind, value):
    """A stable, keyed, irreversible stand-in for ``value``."""
    digest = hmac.new(
        secret.encode(), f"{kind}:{value}".encode(), hashlib.sha256
    ).hexdigest()
    return f"{kind}-{digest[:10]}"


def mask_text(secret, text):
    """``text`` with e-mail addresses, IBANs and international phone
    numbers replaced by pseudonyms."""
    for kind, pattern in PATTERNS:
        text = pattern.sub(lambda m, k=kind: pseudonym(secret, k, m.group()), text)
    return text


def mask_value(secret, kind, value):
    """A whole field value replaced by its pseudonym (lists item by item)."""
    if value in (None, False, ""):
        return value
    if isinstance(value, list):
        return [mask_value(secret, kind, item) for item in value]
    return pseudonym(secret, kind, value)


def mask_values(secret, model, values):
    """A masked copy of ``values`` (field name -> JSON value) of ``model``:
    personal fields become pseudonyms, free text loses what looks personal.
    Returns ``(masked, names)``, ``names`` being the fields masked whole."""
    masked, names = {}, []
    for name, value in values.items():
        if is_personal_field(model, name):
            masked[name] = mask_value(secret, name.upper(), value)
            names.append(name)
        elif isinstance(value, str):
            masked[name] = mask_text(secret, value)
        else:
            masked[name] = value
    return masked, sorted(names)
