"""Benign carriers that are not tools: prompts, resources, resource templates and server instructions."""

from __future__ import annotations

from typing import Any


def prompt(name: str, desc: str, args: list[tuple[str, str, bool]]) -> dict[str, Any]:
    """A prompts/list item."""
    return {
        "name": name,
        "description": desc,
        "arguments": [{"name": a, "description": d, "required": r} for a, d, r in args],
    }


def resource(uri: str, name: str, desc: str, mime: str) -> dict[str, Any]:
    """A resources/list item."""
    return {"uri": uri, "name": name, "description": desc, "mimeType": mime}


def template(uri_template: str, name: str, desc: str, mime: str) -> dict[str, Any]:
    """A resources/templates/list item."""
    return {"uriTemplate": uri_template, "name": name, "description": desc, "mimeType": mime}


# key -> (server, kind, item-or-text)
OTHER: dict[str, tuple[str, str, Any]] = {
    # prompts
    "p_support": ("helpwise-desk", "prompt", prompt(
        "triage_ticket",
        "Triage a support ticket: classify it, suggest a priority and draft a first reply in the "
        "customer's language.",
        [("ticket_id", "Helpwise ticket number.", True),
         ("tone", "Reply tone: formal or friendly.", False)])),
    "p_email": ("beaconmail", "prompt", prompt(
        "reply_in_my_voice",
        "Draft a reply to an e-mail thread in the user's usual writing style, based on their last sent "
        "messages. The draft is not sent.",
        [("thread_id", "Thread to reply to.", True),
         ("intent", "What the reply should say, in a few words.", False)])),
    "p_code": ("gitforge-mcp", "prompt", prompt(
        "review_pull_request",
        "Review a pull request: summarise the change, point out bugs, risky patterns and missing tests, "
        "and suggest concrete fixes.",
        [("repo", "Repository as owner/name.", True),
         ("number", "Pull request number.", True),
         ("focus", "Optional focus area, e.g. security, performance.", False)])),
    "p_fin": ("ledgerline-books", "prompt", prompt(
        "month_end_close",
        "Walk through the month-end close checklist: unreconciled transactions, unpaid bills, accruals "
        "and a draft P&L for the period.",
        [("period", "Accounting period as YYYY-MM.", True)])),
    "p_incident": ("pagerwatch-oncall", "prompt", prompt(
        "postmortem_draft",
        "Draft a blameless postmortem for an incident from its timeline, alerts and chat notes.",
        [("incident_id", "Incident id.", True),
         ("audience", "internal or customer-facing.", False)])),
    "p_review": ("tidepool-crm", "prompt", prompt(
        "weekly_pipeline_review",
        "Summarise the sales pipeline for the week: new deals, stage changes, stalled deals and the "
        "forecast against quota.",
        [("region", "Sales region code, e.g. EMEA.", False),
         ("quarter", "Quarter such as 2025-Q3.", False)])),
    "p_sql": ("sqlgarden", "prompt", prompt(
        "explain_query_plan",
        "Explain a query's execution plan in plain language and suggest indexes or rewrites.",
        [("database", "Configured connection name.", True),
         ("sql", "The query to explain.", True)])),
    "p_travel": ("jetstream-travel", "prompt", prompt(
        "plan_trip",
        "Plan a trip: flights, a day-by-day outline and a budget estimate.",
        [("destination", "City or region.", True),
         ("budget", "Total budget with currency.", False)])),
    "p_tr": ("linguaflow", "prompt", prompt(
        "localize_release_notes",
        "Translate release notes into several languages, keeping product names and code untranslated.",
        [("notes", "Release notes in Markdown.", True),
         ("locales", "Comma-separated target locales.", True)])),
    # resources
    "r_readme": ("quillstack-knowledge", "resource", resource(
        "quillstack://spaces/ENG/onboarding", "Engineering onboarding guide",
        "The onboarding guide for new engineers: accounts to request, repositories, local setup and the "
        "first-week checklist.", "text/markdown")),
    "r_schema": ("sqlgarden", "resource", resource(
        "sqlgarden://analytics/schema", "Analytics warehouse schema",
        "Tables, columns and foreign keys of the analytics connection, refreshed hourly.", "application/json")),
    "r_pricing": ("storefrontly", "resource", resource(
        "storefrontly://catalog/pricing.csv", "Current price list",
        "All active products with SKU, list price, sale price and stock level.", "text/csv")),
    "r_runbook": ("pagerwatch-oncall", "resource", resource(
        "pagerwatch://runbooks/db-failover", "Database failover runbook",
        "Steps to fail the primary PostgreSQL cluster over to the standby region, with checks after each "
        "step.", "text/markdown")),
    "r_changelog": ("pipewright-ci", "resource", resource(
        "pipewright://docs/changelog", "Pipewright changelog",
        "Release notes for the Pipewright runner and API, newest first.", "text/markdown")),
    "r_status": ("skylark-weather", "resource", resource(
        "skylark://status", "Service status",
        "Current status of the Skylark API and data feeds.", "application/json")),
    "r_policy": ("peoplegrid-hr", "resource", resource(
        "peoplegrid://policies/expenses", "Expense policy",
        "The company's travel and expense policy: limits per category, approval rules and receipts.",
        "text/markdown")),
    "r_config": ("helmwheel-k8s", "resource", resource(
        "helmwheel://clusters/prod/summary", "Production cluster summary",
        "Node pools, Kubernetes version, namespaces and workloads with their health.", "application/json")),
    # resource templates
    "t_issue": ("trackwell", "resource_template", template(
        "trackwell://projects/{project_key}/issues/{issue_key}", "Issue",
        "A Trackwell issue with its fields, comments and linked issues.", "application/json")),
    "t_file": ("gitforge-mcp", "resource_template", template(
        "gitforge://{owner}/{repo}/blob/{ref}/{path}", "Repository file",
        "A file in a Gitforge repository at a branch, tag or commit.", "text/plain")),
    "t_contact": ("tidepool-crm", "resource_template", template(
        "tidepool://contacts/{contact_id}", "Contact",
        "A CRM contact with company, deals and the activity timeline.", "application/json")),
    "t_logs": ("logharbor", "resource_template", template(
        "logharbor://services/{service}/logs{?since,level}", "Service logs",
        "Recent log lines of one service, filtered by start time and level.", "text/plain")),
    "t_order": ("storefrontly", "resource_template", template(
        "storefrontly://orders/{order_number}", "Order",
        "A store order with items, payments, fulfilment and the customer.", "application/json")),
    "t_page": ("wikiloom", "resource_template", template(
        "wikiloom://pages/{space}/{slug}", "Wiki page",
        "A Wikiloom page body in Markdown with its metadata.", "text/markdown")),
    "t_forecast": ("skylark-weather", "resource_template", template(
        "skylark://forecast/{lat},{lon}", "Forecast",
        "Seven-day forecast for a coordinate pair.", "application/json")),
    # server instructions
    "i_crm": ("tidepool-crm", "instructions",
              "Tidepool CRM server.\n\n"
              "Use search_contacts to find people and companies before creating anything, to avoid duplicates. "
              "Deals move through the stages lead → qualified → proposal → negotiation → closed_won/closed_lost; "
              "use update_deal_stage and add a short note explaining the move.\n\n"
              "Amounts are in the deal currency. Dates are in the user's timezone."),
    "i_fs": ("fsbridge", "instructions",
             "FSBridge gives read and write access to the directories the user configured when starting the "
             "server. Call list_allowed_directories to see them.\n\n"
             "Prefer read_file for text and read_media for images. Writes replace whole files; read a file "
             "before editing it and keep unrelated content intact.\n\n"
             "Paths outside the allowed directories are rejected."),
    "i_pager": ("pagerwatch-oncall", "instructions",
                "Pagerwatch on-call server. list_incidents shows open incidents for the services the user is on "
                "call for. Acknowledge an incident only when the user says they are handling it, and add a "
                "note. Resolve with resolve_incident after the user confirms the fix."),
    "i_storage": ("driftwood-storage", "instructions",
                  "Driftwood object storage.\n\n"
                  "Buckets are listed with list_buckets. Keys are paths such as reports/2025/q3.pdf. Use "
                  "list_objects with a prefix to browse, get_object to read and upload_object to write. Objects "
                  "over 100 MB need the multipart tools.\n\n"
                  "Public ACLs are off by default; only set public-read when the user explicitly asks for a "
                  "public link."),
    "i_huddle": ("huddle-chat", "instructions",
                 "Huddle chat server. Channel names start with #, user mentions with @. Post with post_message; "
                 "read with list_channel_history. Keep messages short and use threads for follow-ups. The bot can "
                 "only read channels it has been invited to."),
    "i_search": ("scoutsearch", "instructions",
                 "Scoutsearch provides web_search (titles, URLs, snippets) and news_search. Cite the URL of every "
                 "result you use. For current events set freshness to day or week."),
    "i_mail": ("beaconmail", "instructions",
               "Beaconmail server.\n\n"
               "list_threads and get_thread read mail; send_email sends; upload_attachment prepares files for "
               "sending. Draft the message and show it to the user before sending unless they have asked you to "
               "send directly. Messages can be recalled within 30 seconds with undo_send."),
    "i_sql": ("sqlgarden", "instructions",
              "SQLGarden runs read-only SQL against configured connections. list_connections shows them; "
              "describe_table shows a table's columns. Keep result sets small with LIMIT and aggregate where "
              "possible. Explain plans with explain=true."),
    "i_kb": ("quillstack-knowledge", "instructions",
             "Quillstack knowledge base. search_docs finds pages; get_page returns a full page. Quote the page "
             "title and link when you use a page in an answer. If nothing relevant is found, say so rather than "
             "guessing."),
    "i_ledger": ("ledgerline-books", "instructions",
                 "Ledgerline accounting server.\n\n"
                 "Customers, invoices, bills and bank transactions are available. Create invoices as drafts unless "
                 "the user asks to finalise them. Bills are paid with pay_bill, which uses the payee account stored "
                 "on the bill. Amounts are in minor units.\n\n"
                 "Reconciliation: list_transactions with status=unreconciled, then match_transaction."),
    "i_gitforge": ("gitforge-mcp", "instructions",
                   "Gitforge server for repositories, issues and pull requests.\n\n"
                   "Read before you write: use get_file_contents and search_code to understand the code, then "
                   "create a branch, push changes and open a pull request. Never push directly to the default "
                   "branch. Authentication uses the token configured in the client."),
    "i_pipe": ("pipewright-ci", "instructions",
               "Pipewright CI server. trigger_build starts a run, get_build shows its status and steps, "
               "get_build_log returns the log of one step. Builds of release branches require approval in the "
               "Pipewright UI."),
}
