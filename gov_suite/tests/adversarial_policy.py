# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What each method callable over RPC on the suite's models is, and who may
call it: the table the adversarial suite (``test_adversarial.py``) is
generated from.

Every pair (model, method) that Odoo lets a client call on a ``gov.*``
model, a governed document or one of its lines must be classified here.
Odoo's own methods are classified by name (:data:`ORM_READ`,
:data:`ORM_WRITE`, :data:`CHATTER`, and the rules of :func:`classify` for
the business methods of governed documents); the suite's own methods
(defined in a ``gov_*`` module) one by one in :data:`SUITE_METHODS`. A
method nobody classified fails ``test_every_public_method_is_classified``.

Kinds:

``READ``
    reads and changes nothing; called by every role over one route.
``WRITE``
    creates, writes or deletes records; refused on engine-owned records to
    everyone, allowed on configuration to :data:`WRITERS` only.
``CHATTER``
    posts, follows or schedules on the record's chatter.
``ACTION``
    returns an action (a window, a wizard, a notification) and changes
    nothing; ``allowed`` says who may open it (:data:`READERS`: whoever may
    read the record it is called on).
``BUTTON``
    a suite method that changes data; ``allowed`` lists the roles it lets
    through (the method checks it inside when its model's access rights
    alone do not), everyone else must be refused and change nothing.
``STATE``
    a business method of a governed document that may move it between
    states: whoever calls it, the document must not reach its governed
    state without an approval that legitimate approvers made.
"""

import fnmatch
from collections import namedtuple

READ = "read"
WRITE = "write"
CHATTER = "chatter"
ACTION = "action"
BUTTON = "button"
STATE = "state"

# roles of the suite (users built by the test case, passwords = logins)
ROLES = (
    "plain",
    "requester",
    "approver",
    "delegate",
    "auditor",
    "integration_manager",
    "matrix_manager",
    "admin",
    "portal",
    "outsider",
)
ALL = frozenset(ROLES)
INTERNAL = ALL - {"portal"}
NOBODY = frozenset()
# computed per record: the roles whose access rights and record rules let
# them read the record the method is called on
READERS = "readers"
# who decides: the approver of the open step and the approver's delegate
DECIDERS = frozenset({"approver", "delegate"})
INTEGRATION = frozenset({"integration_manager", "admin"})
MATRIX = frozenset({"matrix_manager", "admin"})

Rule = namedtuple("Rule", "kind allowed note kwargs", defaults=(ALL, "", None))

# ---------------------------------------------------------------------------
# Odoo's own methods, classified by name whatever the model
# ---------------------------------------------------------------------------
ORM_READ = frozenset(
    {
        "check_access_rights",
        "check_access_rule",
        "check_field_access_rights",
        "copy_data",
        "default_get",
        "export_data",
        "fields_get",
        "formatted_read_group",
        "formatted_read_grouping_sets",
        "get_base_url",
        "get_empty_list_help",
        "get_external_id",
        "get_field_translations",
        "get_formview_action",
        "get_formview_id",
        "get_import_templates",
        "get_metadata",
        "get_property_definition",
        "get_view",
        "get_views",
        "has_access",
        "hierarchy_read",
        "is_transient",
        "mail_allowed_qweb_expressions",
        "mail_get_partner_fields",
        "name_search",
        "onchange",
        "read",
        "read_group",
        "read_progress_bar",
        "search",
        "search_count",
        "search_panel_select_multi_range",
        "search_panel_select_range",
        "search_read",
        "view_header_get",
        "web_name_search",
        "web_read",
        "web_read_group",
        "web_search_read",
    }
)
# the writes every route offers; the first four are tried on every route
CORE_WRITE = ("create", "write", "unlink", "copy")
ORM_WRITE = frozenset(
    {
        *CORE_WRITE,
        "action_archive",
        "action_unarchive",
        "copy_translations",
        "load",
        "name_create",
        "toggle_active",
        "update_field_translations",
        "web_override_translations",
        "web_resequence",
        "web_save",
        "web_save_multi",
    }
)
CHATTER_METHODS = frozenset(
    {
        "action_reschedule_my_next_nextweek",
        "action_reschedule_my_next_today",
        "action_reschedule_my_next_tomorrow",
        "activity_feedback",
        "activity_reschedule",
        "activity_schedule",
        "activity_search",
        "activity_send_mail",
        "activity_unlink",
        "message_change_thread",
        "message_get_followers",
        "message_mail_with_source",
        "message_new",
        "message_notify",
        "message_parse",
        "message_post",
        "message_post_with_source",
        "message_process",
        "message_route",
        "message_subscribe",
        "message_unsubscribe",
        "message_update",
        "notify_cancel_by_type",
    }
)
# chatter calls that only read; every other one may write
CHATTER_READERS = frozenset(
    {"activity_search", "message_get_followers", "message_parse"}
)

# Odoo's own business methods of governed documents and their lines that
# open a view, a wizard or a report and change nothing; any other
# ``button_*``/``action_*`` or unnamed business method is a STATE candidate
DOCUMENT_OPENERS = frozenset(
    {
        "action_add_from_catalog",
        "action_bill_matching",
        "action_invoice_download_pdf",
        "action_invoice_download_ubl",
        "action_invoice_sent",
        "action_move_download_all",
        "action_open_business_doc",
        "action_open_order",
        "action_payment_items_register_payment",
        "action_print_pdf",
        "action_purchase_comparison",
        "action_purchase_matching",
        "action_register_payment",
        "action_reverse",
        "action_rfq_send",
        "action_send_and_print",
        "action_share",
        "action_view_invoice",
        "action_view_payment_transactions",
        "action_view_source_purchase_orders",
        "retrieve_dashboard",
    }
)
# Odoo's getters of governed documents that write the portal access token
DOCUMENT_TOKEN_GETTERS = frozenset(
    {"get_acknowledge_url", "get_confirm_url", "get_portal_url", "get_update_url"}
)
DOCUMENT_READ_PREFIXES = (
    "get_",
    "is_",
    "check_",
    "compute_",
    "open_",
)

# ---------------------------------------------------------------------------
# The suite's own methods, one by one. Keys: (model, method); the model is a
# model name, a glob, or DOCUMENTS / LINES (every governed document model,
# every line model of one).
# ---------------------------------------------------------------------------
DOCUMENTS = "<governed documents>"
LINES = "<lines of governed documents>"

SUITE_METHODS = {
    # governed documents (gov.approval.mixin and its bridges)
    (DOCUMENTS, "button_confirm"): Rule(STATE, note="gated: asks for approval"),
    (DOCUMENTS, "action_post"): Rule(STATE, note="gated: asks for approval"),
    # the approval engine's tester document (gov_approval_test)
    ("gov.approval.tester", "action_confirm"): Rule(
        STATE, note="gated: asks for approval"
    ),
    ("gov.approval.tester", "action_cancel"): Rule(STATE, note="cancels"),
    ("gov.approval.tester", "action_draft"): Rule(STATE, note="resets to draft"),
    # sales orders (gov_approval_sale)
    ("sale.order", "action_confirm"): Rule(STATE, note="gated: asks for approval"),
    # inventory adjustments under approval (gov_approval_stock)
    ("gov.stock.adjustment", "action_apply"): Rule(
        STATE, note="gated: asks for approval, then applies the counts"
    ),
    ("gov.stock.adjustment", "action_cancel"): Rule(
        STATE, note="withdraws the adjustment; checked inside: inventory users"
    ),
    ("gov.stock.adjustment", "action_open_quants"): Rule(
        ACTION, READERS, "reads the adjustment's quants"
    ),
    (DOCUMENTS, "action_gov_approval_approve"): Rule(
        ACTION, READERS, "opens the decision wizard of the pending request"
    ),
    (DOCUMENTS, "action_gov_approval_reject"): Rule(
        ACTION, READERS, "opens the decision wizard of the pending request"
    ),
    (DOCUMENTS, "action_gov_approval_delegate"): Rule(
        ACTION, READERS, "opens a delegation form for the pending request"
    ),
    (DOCUMENTS, "action_gov_approval_requests"): Rule(
        ACTION, ALL, "a list of requests filtered on the id given"
    ),
    (DOCUMENTS, "action_gov_ai_recommendations"): Rule(
        ACTION, READERS, "checks read access, then a filtered list"
    ),
    # approval engine
    ("gov.approval.request", "action_cancel"): Rule(
        BUTTON,
        frozenset({"requester", "matrix_manager", "admin"}),
        "checked inside: the requester withdraws, a Matrix Manager may too",
    ),
    ("gov.approval.request", "action_reroute"): Rule(
        BUTTON, MATRIX, "checked inside: Matrix Managers re-route (audited)"
    ),
    ("gov.approval.request", "action_approve"): Rule(
        ACTION,
        ALL,
        "opens the decision wizard (list, kanban, form) for whoever may decide"
        " now, a UserError for the others; the decision is checked again in"
        " action_confirm (segregation of duties, rights)",
    ),
    ("gov.approval.request", "action_reject"): Rule(
        ACTION,
        ALL,
        "opens the decision wizard (list, kanban, form) for whoever may decide"
        " now, a UserError for the others; the decision is checked again in"
        " action_confirm (segregation of duties, rights)",
    ),
    ("gov.approval.request", "action_delegate"): Rule(
        ACTION, ALL, "opens a delegation form on the id given"
    ),
    ("gov.approval.request", "action_reassign"): Rule(
        ACTION, ALL, "opens the reassignment dialog on the id given"
    ),
    ("gov.approval.request", "action_open_document"): Rule(
        ACTION, READERS, "reads the document reference"
    ),
    ("gov.approval.decision.wizard", "action_confirm"): Rule(
        BUTTON, DECIDERS, "checked inside: decides as the user who signed in"
    ),
    ("gov.approval.reassign.wizard", "action_confirm"): Rule(
        BUTTON,
        frozenset({"approver", "matrix_manager", "admin"}),
        "checked inside: the approver hands their own place over, a Matrix"
        " Manager anyone's (audited); the new approver passes the approvers'"
        " rules",
    ),
    ("gov.approval.matrix", "action_open_simulator"): Rule(
        ACTION, READERS, "reads the matrix name"
    ),
    ("gov.approval.matrix", "action_view_requests"): Rule(
        ACTION, ALL, "a list of requests filtered on the id given"
    ),
    ("gov.approval.matrix", "action_open_replay"): Rule(
        ACTION, READERS, "reads the matrix name; the replay runs from its form"
    ),
    ("gov.approval.matrix", "action_open_versions"): Rule(
        ACTION, ALL, "a list of versions filtered on the id given"
    ),
    ("gov.approval.matrix.version", "action_approve"): Rule(
        BUTTON,
        MATRIX,
        "checked inside: a Matrix Manager of the company other than the"
        " author applies a pending change (audited)",
    ),
    ("gov.approval.matrix.version", "action_reject"): Rule(
        BUTTON, MATRIX, "checked inside: Matrix Managers (audited)"
    ),
    ("gov.approval.matrix.version", "action_rollback"): Rule(
        BUTTON,
        MATRIX,
        "checked inside: Matrix Managers restore an earlier version (a new"
        " version, pending with four eyes; audited)",
    ),
    ("gov.approval.matrix.version", "action_open_replay"): Rule(
        ACTION, READERS, "reads the matrix name"
    ),
    ("gov.approval.matrix.version", "action_view_requests"): Rule(
        ACTION, ALL, "a list of requests filtered on the id given"
    ),
    ("gov.approval.replay", "action_replay"): Rule(
        BUTTON,
        MATRIX,
        "checked inside: Matrix Managers, on their own replay (a rule keeps"
        " others'); writes only the replay's figures",
    ),
    ("gov.approval.replay", "action_open_graph"): Rule(
        ACTION, READERS, "a graph of the figures of the id given"
    ),
    ("gov.approval.matrix", "action_activate"): Rule(
        BUTTON,
        MATRIX,
        "a write of ``active`` on the matrix (Matrix Managers' write right),"
        " versioned and, with four eyes, held for a second Matrix Manager",
    ),
    ("gov.approval.matrix.designer", "action_create"): Rule(
        BUTTON,
        MATRIX | {"outsider"},
        "the designer is the Matrix Managers' only, each on their own designer"
        " in their companies (rules); creates a draft matrix through their"
        " create right, in the designer's company (company B for the"
        " outsider, who administers it)",
    ),
    # audit log
    ("gov.audit.event", "action_open_record"): Rule(
        ACTION, READERS, "reads the record reference"
    ),
    ("gov.audit.verification", "action_verify"): Rule(
        BUTTON,
        frozenset({"auditor", "admin", "outsider"}),
        "checked inside: Auditors and Governance Administrators verify (the"
        " other company's administrator too: there is one chain)",
    ),
    ("gov.sod.rule", "action_view_violations"): Rule(
        ACTION, ALL, "a list of violations filtered on the id given"
    ),
    # exception queue: Integration Managers work every item, others only the
    # items they or their team own (the fixture item has no owner)
    ("gov.exception.item", "action_assign_to_me"): Rule(
        BUTTON, INTEGRATION, "checked inside (_work_as)"
    ),
    ("gov.exception.item", "action_start"): Rule(
        BUTTON, INTEGRATION, "checked inside (_work_as)"
    ),
    ("gov.exception.item", "action_retry_now"): Rule(
        BUTTON, INTEGRATION, "checked inside (_work_as)"
    ),
    ("gov.exception.item", "action_replay"): Rule(
        BUTTON, INTEGRATION, "checked inside (_work_as)"
    ),
    ("gov.exception.item", "replay_with_payload"): Rule(
        BUTTON,
        INTEGRATION,
        "checked inside (_work_as)",
        {"payload_text": '{"name": "Replayed by a role"}'},
    ),
    ("gov.exception.item", "close_items"): Rule(
        BUTTON,
        INTEGRATION,
        "checked inside (_work_as)",
        {"resolution": "resolved", "note": "closed by a role"},
    ),
    ("gov.exception.item", "action_open_replay_wizard"): Rule(
        ACTION, INTEGRATION, "checked inside (_work_as)"
    ),
    ("gov.exception.item", "action_open_close_wizard"): Rule(
        ACTION, INTEGRATION, "checked inside (_work_as)"
    ),
    ("gov.exception.item", "action_open_record"): Rule(
        ACTION, READERS, "reads the record reference"
    ),
    ("gov.exception.policy", "action_open_items"): Rule(
        ACTION, ALL, "a list of items filtered on the id given"
    ),
    ("gov.exception.close.wizard", "action_close"): Rule(
        BUTTON, INTEGRATION, "checked inside (_work_as)"
    ),
    ("gov.exception.replay.wizard", "action_replay"): Rule(
        BUTTON, INTEGRATION, "checked inside (_work_as)"
    ),
    # webhooks
    ("gov.webhook.delivery", "action_resend"): Rule(
        BUTTON, INTEGRATION, "checked inside: Integration Managers resend"
    ),
    ("gov.webhook.endpoint", "action_generate_secret"): Rule(
        BUTTON, INTEGRATION, "sets a new secret (audited)"
    ),
    ("gov.webhook.endpoint", "action_send_test"): Rule(
        BUTTON, INTEGRATION, "checked inside: write access to the endpoint"
    ),
    ("gov.webhook.endpoint", "action_enter_provider_secret"): Rule(
        ACTION, INTEGRATION, "checked inside: write access to the endpoint"
    ),
    ("gov.webhook.subscription", "action_enter_receiver_secret"): Rule(
        ACTION, INTEGRATION, "checked inside: write access to the subscription"
    ),
    ("gov.webhook.secret.entry.wizard", "action_confirm"): Rule(
        BUTTON,
        INTEGRATION,
        "sets the secret typed in one's own dialog (a rule keeps others'),"
        " checked inside: write access to the endpoint (audited)",
    ),
    ("gov.webhook.public.url.wizard", "action_apply"): Rule(
        BUTTON,
        INTEGRATION | {"outsider"},
        "checked inside: Integration Managers; the public URL is one for the"
        " database, like allowed hosts (audited)",
    ),
    ("gov.webhook.endpoint", "action_open_inbox"): Rule(
        ACTION, ALL, "a list of inbox rows filtered on the id given"
    ),
    ("gov.webhook.subscription", "action_allow_approval_tokens"): Rule(
        BUTTON,
        frozenset({"admin"}),
        "checked inside: Governance Administrators only",
    ),
    ("gov.webhook.subscription", "action_show_secret_once"): Rule(
        BUTTON, INTEGRATION, "checked inside: write access to the subscription"
    ),
    ("gov.webhook.subscription", "action_open_deliveries"): Rule(
        ACTION, ALL, "a list of deliveries filtered on the id given"
    ),
    ("gov.webhook.secret.wizard", "action_done"): Rule(
        BUTTON,
        INTEGRATION | {"outsider"},
        "forgets the secret shown on one's own wizard (a rule keeps others')",
    ),
    # AI recommendations: approvers decide, in their own name
    ("gov.ai.recommendation", "action_accept"): Rule(
        BUTTON, frozenset({"approver"}), "checked inside (_check_reviewer)"
    ),
    ("gov.ai.recommendation", "action_open_reject"): Rule(
        ACTION, frozenset({"approver"}), "checked inside (_check_reviewer)"
    ),
    ("gov.ai.recommendation", "action_open_override"): Rule(
        ACTION, frozenset({"approver"}), "checked inside (_check_reviewer)"
    ),
    ("gov.ai.recommendation", "action_open_record"): Rule(
        ACTION, READERS, "reads the record reference"
    ),
    ("gov.ai.recommendation", "action_open_similar"): Rule(
        ACTION, READERS, "opens the most similar record, if the caller may read it"
    ),
    ("gov.ai.decision.wizard", "action_confirm"): Rule(
        BUTTON, frozenset({"approver"}), "checked inside (_check_reviewer)"
    ),
    ("gov.ai.provider", "action_open_key_wizard"): Rule(
        ACTION, ALL, "opens the key wizard on the id given"
    ),
    ("gov.ai.provider.key.wizard", "action_confirm"): Rule(
        BUTTON, INTEGRATION, "checked inside: write access to the provider"
    ),
}

# ---------------------------------------------------------------------------
# Configuration: who may create, write and delete it (engine-owned models
# and the audit log are written by nobody; transient wizards by their owner)
# ---------------------------------------------------------------------------
WRITERS = {
    "gov.approval.matrix": MATRIX,
    "gov.approval.matrix.line": MATRIX,
    "gov.approval.step": MATRIX,
    # the approver gives and ends their own delegations
    "gov.approval.delegation": MATRIX | {"approver"},
    "gov.exception.policy": INTEGRATION,
    "gov.webhook.endpoint": INTEGRATION,
    "gov.webhook.subscription": INTEGRATION,
    # shared by every company: managed by the managers of any company
    "gov.webhook.allowed.host": INTEGRATION | {"outsider"},
    "gov.webhook.field.map": INTEGRATION,
    "gov.ai.provider": INTEGRATION,
    "gov.ai.use.case": INTEGRATION,
    "gov.sod.rule": frozenset({"admin", "outsider"}),
    "gov.sod.violation": NOBODY,
    "gov.webhook.rejection": NOBODY,
}
# written only through their engine (besides the models inheriting
# gov.engine.mixin, found in the registry)
ENGINE_WRITTEN = ("gov.audit.event", "gov.audit.verification")

# where the company of a record is, for models without a company_id
COMPANY_PATHS = {
    "gov.approval.step": "line_id.company_id",
    "gov.approval.delegation": "user_id.company_id",
}
# records shown only to those who may read the record they are about
# (``res_model``/``res_id``), Auditors included
TARGET_BOUND = frozenset({"gov.ai.recommendation"})
# models Auditors are not meant to read: the approval engine's tester
# document (gov_approval_test, never installed in production)
NOT_AUDITED = frozenset({"gov.approval.tester", "gov.approval.tester.line"})
# shared by every company
GLOBAL_MODELS = frozenset(
    {
        "gov.sod.rule",
        "gov.sod.violation",
        "gov.webhook.allowed.host",
        # the actions of a model a matrix may govern (written by the engine)
        "gov.approval.button",
    }
)

# Cases the suite found broken: each is expected to fail until the engine
# is fixed, then the suite asks to remove it. A case matches on its check,
# model, method (None: any) and role, over every route.
Defect = namedtuple("Defect", "check model methods roles note")
INTERNAL_ROLES = tuple(role for role in ROLES if role != "portal")
GOVERNANCE_ROLES = tuple(role for role in INTERNAL_ROLES if role != "plain")
KNOWN_DEFECTS = ()


def classify(model_name, method_name, function, *, document=False, line=False):
    """The :class:`Rule` of ``model_name.method_name`` or ``None``."""
    origin = getattr(function, "__module__", "") or ""
    for (pattern, name), rule in SUITE_METHODS.items():
        if name != method_name:
            continue
        if (
            (pattern == DOCUMENTS and document)
            or (pattern == LINES and line)
            or fnmatch.fnmatchcase(model_name, pattern)
        ):
            return rule
    if method_name in ORM_READ:
        return Rule(READ)
    if method_name in ORM_WRITE:
        return Rule(WRITE)
    if method_name in CHATTER_METHODS:
        return Rule(CHATTER)
    if origin.startswith("odoo.addons.gov_"):
        return None  # the suite's own methods are classified one by one
    if document or line:
        return _document_rule(method_name)
    return None


def _document_rule(method_name):
    """Odoo's own business methods of governed documents and their lines."""
    if method_name in DOCUMENT_OPENERS:
        return Rule(ACTION, ALL, "Odoo: opens a view, a wizard or a report")
    if method_name.startswith(("button_", "action_")):
        return Rule(STATE, note="Odoo: may change the document's state")
    if method_name in DOCUMENT_TOKEN_GETTERS:
        return Rule(STATE, note="Odoo: writes the portal access token")
    if method_name.startswith(DOCUMENT_READ_PREFIXES):
        return Rule(READ, note="Odoo: computes or reads")
    return Rule(STATE, note="Odoo: business method, may change the document")


def known_defect(check, model, method, role, route):
    """The note of a known defect matching this case, or ``None``."""
    for defect in KNOWN_DEFECTS:
        if (
            defect.check == check
            and defect.model == model
            and (defect.methods is None or method in defect.methods)
            and role in defect.roles
        ):
            return defect.note
    return None
