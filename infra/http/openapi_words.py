"""What each operation of the API is called and does, in plain words, for the OpenAPI
document: one table, so the words read as one voice. The application refuses to start if
an operation has no words here (`describe_operations`)."""

from __future__ import annotations

from litestar.openapi.spec import OpenAPI, Operation

WORDS: dict[str, tuple[str, str]] = {  # operation id: (summary, description)
    "login": ("Log in",
        ("Opens a session: organization code, login and password, and the two-step code once "
        "two-step login is on. Answers the CSRF token to send as X-CSRF-Token on every "
        "change.")),
    "logout": ("Log out", "Ends this session and clears its cookies."),
    "whoAmI": ("Who am I", "The logged-in user: id, organization, role, name and language."),
    "revokeAllMySessions": ("End all my sessions",
        ("Ends every session of the caller, this one included (a lost phone, a shared "
        "computer).")),
    "changePassword": ("Change my password",
        ("Needs the current password (wrong ones count as failed logins); ends the other "
        "sessions.")),
    "startTotpEnrolment": ("Start two-step login",
        ("Staff only: a new secret for an authenticator app, pending until confirmed with a "
        "code from it.")),
    "confirmTotp": ("Confirm two-step login",
        "Turns two-step login on with a current code from the authenticator app."),
    "disableTotp": ("Turn two-step login off", "Needs a current code from the authenticator app."),
    "listApiTokens": ("List my API tokens",
        "The caller's personal API tokens, without their secrets."),
    "issueApiToken": ("Create an API token",
        ("A personal token to send as 'Authorization: Bearer …'; its secret is shown only in "
        "this answer.")),
    "revokeApiToken": ("Revoke an API token", "The token stops working at once."),
    "listAccounts": ("List the organization's accounts",
        "Administrators: every account of the organization, with its role."),
    "openAccount": ("Open an account",
        "Administrators open any account; a person may invite a close person."),
    "getCatalog": ("The theme catalog",
        ("The organization's 55 themes in 5 spheres, with labels and help texts in the "
        "requested language.")),
    "getOrganization": ("My organization",
        "Name, region, default language and catalog version of the caller's organization."),
    "listPersons": ("Persons I may reach",
        "The persons of the organization the caller may open a record for."),
    "revokeAccountSessions": ("End a user's sessions",
        "Administrators: ends every session of an account of the organization."),
    "listTeams": ("List the teams", "The organization's teams and their members."),
    "createTeam": ("Create a team", "Administrators: a new team of practitioners."),
    "addTeamMember": ("Add a practitioner to a team",
        "Administrators: the practitioner sees what persons share with the team."),
    "removeTeamMember": ("Remove a practitioner from a team",
        "Administrators: takes effect on the practitioner's next request."),
    "assignTeamManager": ("Name a team's manager",
        "Administrators: the manager sees the team's de-identified statistics."),
    "teamStatistics": ("Team statistics",
        "De-identified figures of a team's caseload; groups under 5 persons are hidden."),
    "listAssessments": ("List the assessments",
        "Every quality-of-life assessment of the person, newest first."),
    "openAssessment": ("Start an assessment", "A new quality-of-life assessment of the 55 themes."),
    "getAssessment": ("One assessment", "Its ratings, perceptions, comments and stars."),
    "rateThemes": ("Rate themes", "The person's ratings, 0 to 100, of one or more themes."),
    "recordPerceptions": ("Record my perception",
        "The practitioner's own view of themes, kept beside the person's, never over it."),
    "commentTheme": ("Comment on a theme", "A comment in the person's words on one theme."),
    "starTheme": ("Star a theme",
        "Marks one of the person's three priorities; a fourth star is refused."),
    "unstarTheme": ("Remove a star", "The theme is no longer a priority."),
    "completeAssessment": ("Complete the assessment",
        "No more changes after this; a new reading starts a new assessment."),
    "currentRatings": ("Current ratings",
        "The latest rating of each theme, by the person and by practitioners."),
    "currentPriorities": ("Current stars",
        "The themes the person starred in the latest assessment."),
    "themeHistory": ("A theme's history", "Every rating of one theme over time."),
    "networkMap": ("The social network",
        "The person's relationships as they stand, or as they stood on a date (as_of)."),
    "networkChanges": ("What changed in the network",
        "Relationships added, ended, better or worse between two dates."),
    "addRelationship": ("Add a relationship",
        "A person of the network: name, type, quality, closeness and kinds of support."),
    "getRelationship": ("One relationship", "As it stands now."),
    "reviseRelationship": ("Change a relationship",
        "Only the fields sent change; each change is kept in its history."),
    "endRelationship": ("End a relationship", "It leaves the map; its history stays."),
    "relationshipHistory": ("A relationship's history",
        "Every change of one relationship, oldest first."),
    "listStrengths": ("List the strengths",
        "The person's strengths and those of their environment, in their own words."),
    "noteStrength": ("Add a strength",
        ("A strength in the person's own words, optionally linked to a sphere, a theme or a "
        "person of the network.")),
    "getStrength": ("One strength", "Its words, links and earlier wordings."),
    "rewordStrength": ("Reword a strength", "The earlier wording stays in its history."),
    "linkStrength": ("Link a strength", "To a sphere, a theme or a person of the network."),
    "retireStrength": ("Retire a strength", "It leaves the list; its history stays."),
    "strengthHistory": ("A strength's history", "Every wording and link, oldest first."),
    "listGoals": ("List the goals",
        "The accomplishment plan's goals with their actions and progress."),
    "setGoal": ("Add a goal",
        "A goal in the person's own words, optionally linked to starred themes and strengths."),
    "getGoal": ("One goal", "Its words, dates, links, actions and progress."),
    "rewordGoal": ("Reword a goal", "The earlier wording stays in its history."),
    "setGoalTargetDate": ("Set a goal's target date",
        "When the person hopes to reach it (or none)."),
    "changeGoalStatus": ("Change a goal's status", "Active, achieved, paused or dropped."),
    "rateGoalProgress": ("Rate a goal's progress", "How far along the goal is, 0 to 100."),
    "linkGoalToTheme": ("Link a goal to a theme", "Usually one of the person's starred themes."),
    "unlinkGoalFromTheme": ("Unlink a goal from a theme",
        "The theme stays rated; only the link goes."),
    "linkGoalToStrength": ("Link a goal to a strength",
        "A strength the person counts on for this goal."),
    "unlinkGoalFromStrength": ("Unlink a goal from a strength",
        "The strength stays; only the link goes."),
    "goalHistory": ("A goal's history",
        "Every change of one goal and its actions, with who made it."),
    "listActions": ("List the actions",
        "Every action of every goal: who does what, by when, and its status."),
    "addAction": ("Add an action",
        "Who does what, by when, for a goal; answers the new action's id."),
    "rewordAction": ("Reword an action", "The earlier wording stays in the goal's history."),
    "assignAction": ("Say who does an action",
        "The person, a practitioner, a close person or someone else by name."),
    "setActionDueDate": ("Set an action's due date", "By when it should be done (or none)."),
    "markActionDone": ("Mark an action done", "Counts towards the goal's progress."),
    "reopenAction": ("Reopen an action", "It is to do again."),
    "recordSummary": ("The record at a glance",
        "What the caller may see of the four tabs, in one answer."),
    "recordTimeline": ("The record's timeline",
        "Every change of the record, newest first, a page at a time."),
    "getConsent": ("Who may see what", "The person's grants and access requests."),
    "grantAccess": ("Give access",
        ("The person gives a practitioner, a team or a close person access to tabs, to read or "
        "co-edit, until a date if given.")),
    "recordConsentGivenInPerson": ("Record consent given in person",
        ("A practitioner records, at intake, consent the person gave in person, with its legal "
        "basis; the person can revoke it.")),
    "revokeAccess": ("Revoke access", "Takes effect on the grantee's very next request."),
    "requestAccess": ("Ask for access",
        "A practitioner asks the person for access to tabs, with a reason."),
    "acceptAccessRequest": ("Accept an access request",
        "Gives what was asked to who asked it; answers the new grant's id."),
    "declineAccessRequest": ("Decline an access request",
        "Nothing is given; the practitioner sees the answer."),
    "personAccessLog": ("Who saw the record",
        "Every access to the person's record, allowed or refused, newest first."),
    "organizationAccessLog": ("The organization's access log",
        "Administrators: every access to every record of the organization, newest first."),
}


class OperationWithoutWords(RuntimeError):
    """A route's operation has no summary and description in WORDS."""


def describe_operations(document: OpenAPI) -> None:
    """Gives every operation of the document its summary and description from WORDS."""
    for item in (document.paths or {}).values():
        for method in ("get", "head", "post", "put", "patch", "delete"):
            op: Operation | None = getattr(item, method, None)
            if op is None:
                continue
            if op.operation_id not in WORDS:
                raise OperationWithoutWords(f"no words for {op.operation_id} in openapi_words.py")
            op.summary, op.description = WORDS[str(op.operation_id)]
