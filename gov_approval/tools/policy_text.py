# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""An approval policy said as sentences: "From 5,000 up to 50,000: Controller
(a member of Accounting Managers), then Finance Director (Ann Smith)."

Plain functions over plain values, so that the matrix form, the policy
designer (before any matrix exists) and the simulator say a policy the same
way. Nothing here reads the database.
"""

from markupsafe import Markup


def amount_range(env, fmt, low, high):
    """A band's amounts in words; ``high`` of zero means no upper bound."""
    if high and low:
        return env._("From %(low)s up to %(high)s", low=fmt(low), high=fmt(high))
    if high:
        return env._("Below %(high)s", high=fmt(high))
    if low:
        return env._("%(low)s and above", low=fmt(low))
    return env._("Any amount")


def who(env, approver_type, names, min_approvals):
    """Who approves a step: "Ann Smith", "2 of Ann, Bob, Carl", "a member of
    Finance", "the requester's manager"."""
    listed = ", ".join(names)
    if approver_type == "manager":
        return env._("the requester's manager")
    if approver_type == "field":
        return env._("the %(field)s on the document", field=listed)
    if approver_type == "group":
        if min_approvals == 1:
            return env._("a member of %(group)s", group=listed)
        if not min_approvals:
            return env._("every member of %(group)s", group=listed)
        return env._("%(n)s members of %(group)s", n=min_approvals, group=listed)
    if len(names) == 1:
        return listed
    if not min_approvals or min_approvals >= len(names):
        return env._("all of %(users)s", users=listed)
    if min_approvals == 1:
        return env._("one of %(users)s", users=listed)
    return env._("%(n)s of %(users)s", n=min_approvals, users=listed)


def route(env, stages):
    """Stages (lists of ``(step name, who)`` running together) in words."""
    if not stages:
        return env._("no approval needed")
    said = []
    for stage in stages:
        steps = [
            env._("%(step)s (%(who)s)", step=name, who=whom)
            if whom and whom != name
            else name or whom
            for name, whom in stage
        ]
        said.append(
            steps[0]
            if len(steps) == 1
            else env._("%(steps)s at the same time", steps=", ".join(steps))
        )
    return env._(", then ").join(said)


def band_sentence(env, fmt, low, high, conditions, stages):
    """One band as a sentence (conditions already in words, or empty)."""
    amounts = amount_range(env, fmt, low, high)
    if conditions:
        amounts = env._(
            "%(amounts)s, when %(conditions)s", amounts=amounts, conditions=conditions
        )
    return Markup("<strong>%s</strong>: %s.") % (amounts, route(env, stages))


def policy_html(env, heading, sentences, footer=None):
    """The whole policy: a heading, one line per band, an optional note."""
    if not sentences:
        body = Markup("<p class='text-muted mb-0'>%s</p>") % env._(
            "No band yet: add one, or start from a template."
        )
    else:
        body = Markup("<ul class='mb-0'>%s</ul>") % Markup("").join(
            Markup("<li>%s</li>") % sentence for sentence in sentences
        )
    parts = [Markup("<p class='mb-1'>%s</p>") % heading, body]
    if footer:
        parts.append(Markup("<p class='text-muted mt-1 mb-0'>%s</p>") % footer)
    return Markup("<div class='o_gov_approval_policy'>%s</div>") % Markup("").join(
        parts
    )
