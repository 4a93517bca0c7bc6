"""Real ids for the fuzzer, and proof that it got past 404 with them.

Schemathesis makes up ids, so on its own every operation with an id in its path
stops at 404 and what lies behind it is never fuzzed. Before the runs, `seed`
makes real objects through the API (listings to edit and to delete, inquiry
threads, a user to promote) and `write_config` binds each id parameter to a
dictionary of them: most generated requests carry a real id, the rest still a
made-up one, so 404 stays covered too. If-Match headers draw from the versions
a listing or a thread can have; sign-in draws a real address and password.

After each run, `coverage` reads the server's access log (one line per
request, with its route and status) and `check` fails the run when an
operation that the seeded ids make reachable never got past its id (only
400, 401, 403, 404, 415, 422 or 428), or never got a 2xx, for a role allowed
to call it.
"""

import json

# The share of generated requests that use a real id instead of a made-up one.
REAL = 0.8

# Versions a seeded listing or thread may have during a run; If-Match names one.
VERSIONS = [f'"{n}"' for n in range(1, 61)]

# Operations that each role must see succeed at least once, with the seeded ids
# and credentials. Others may rightly never succeed with generated data (a new
# listing needs a dozen valid fields, an upload a real image, a reorder exactly
# the listing's photos); the Rust tests cover those.
MUST_SUCCEED = {
    "anonymous": ["list_puppies", "get_puppy", "list_breeds", "get_organization",
                  "get_photo_variant", "login", "register", "healthz"],
    "adopter": ["get_me", "list_favorites", "add_favorite", "remove_favorite", "create_inquiry",
                "my_inquiries", "my_unread", "get_inquiry", "mark_read", "reply", "get_puppy",
                "list_saved_searches", "register_push_token", "list_push_tokens"],
    "staff": ["organization_inquiries", "get_inquiry", "mark_read", "reply", "set_status",
              "delete_puppy", "get_puppy"],
    "admin": ["list_users", "list_flags", "audit_log", "set_role", "get_inquiry", "outbox_status"],
    "flags": ["update_flag"],
}


NEW_LISTING = {
    "name": "Fuzzy", "breed": "beagle", "sex": "female", "birth_date": "2026-08-01",
    "colour": "tricolour", "good_with": {"kids": True, "dogs": None, "cats": False},
    "vaccinated": True, "description": "Made for the fuzzer.", "adoption_fee_cents": 25000,
}


def seed(request, base, password, tokens, organization):
    """Makes the objects the runs' ids point at; returns {dictionary: values}."""
    adopter, staff, admin = tokens["adopter"], tokens["staff"], tokens["admin"]
    _, page = request(base, "GET", "/v1/puppies?limit=40")
    public = [p["id"] for p in page["items"]]
    # Listings of the staff member's organisation: three to edit, and three
    # for each run that deletes (staff, admin), so each finds its own.
    own = [request(base, "POST", "/v1/puppies", NEW_LISTING, token=staff)[1]["id"] for _ in range(9)]
    # The admin run edits a listing of another organisation, which the staff
    # run cannot delete before it.
    other = next(p["organization"]["id"] for p in page["items"] if p["organization"]["id"] != organization)
    admins = [request(base, "POST", "/v1/puppies", dict(NEW_LISTING, organization_id=other), token=admin)[1]["id"]
              for _ in range(3)]
    # Threads an adopter started with that organisation.
    threads = []
    for puppy in own[:3]:
        _, thread = request(base, "POST", f"/v1/puppies/{puppy}/inquiries",
                            {"message": "Is this puppy good with cats?", "contact_preference": "email"},
                            token=adopter)
        threads.append(thread["id"])
    photos = []
    for puppy in public[:5]:
        _, detail = request(base, "GET", f"/v1/puppies/{puppy}")
        photos += [p["id"] for p in detail.get("photos", [])]
    # Demo listings of the organisation with photos, one for each run that
    # deletes photos.
    _, page = request(base, "GET", f"/v1/puppies?organization={organization}&limit=20")
    with_photos = []
    for item in page["items"]:
        _, detail = request(base, "GET", f"/v1/puppies/{item['id']}")
        if len(detail.get("photos", [])) >= 2:
            with_photos.append((detail["id"], [p["id"] for p in detail["photos"]]))
    if len(with_photos) < 3:
        raise SystemExit("fuzz: the demo organisation has fewer than three listings with photos")
    _, breeds = request(base, "GET", "/v1/breeds")
    _, flags = request(base, "GET", "/v1/admin/flags", token=admin)
    request(base, "POST", "/v1/auth/register",
            {"email": "promoted@kennel.test", "password": password, "display_name": "Promoted"})
    _, promoted = request(base, "POST", "/v1/auth/login",
                          {"email": "promoted@kennel.test", "password": password})
    return {
        "puppies": public,
        "own_puppies": own[:3],
        "own_puppies_admin": admins,
        "doomed_puppies": own[3:6],
        "doomed_puppies_admin": own[6:9],
        "photo_puppy": [with_photos[0][0]],
        "photo_puppy_admin": [with_photos[1][0]],
        "own_photos": with_photos[0][1],
        "own_photos_admin": with_photos[1][1],
        # A listing only reordered (never losing a photo), with its photos in
        # reverse: a request naming exactly them succeeds.
        "reorder_puppy": [with_photos[2][0]],
        "reorder_photos": list(reversed(with_photos[2][1])),
        "organizations": [organization],
        "threads": threads,
        "photos": photos,
        "flags": [flag["key"] for flag in flags["items"]],
        "users": [promoted["user"]["id"]],
        "versions": VERSIONS,
        # Known breeds and birth dates in the allowed range: a listing's other
        # fields are within reach of generated data, these are not.
        "breeds": [breed["slug"] for breed in breeds["items"]],
        "birth_dates": ["2026-08-01", "2025-12-24", "2024-03-15"],
        "emails": ["adopter@kennel.test"],
        "passwords": [password],
    }


def for_run(dictionaries, run):
    """The dictionaries one run uses: the admin run deletes listings and photos
    of its own (`*_admin`), since the staff run before it deleted the others."""
    chosen = {name: values for name, values in dictionaries.items() if not name.endswith("_admin")}
    if run.startswith("admin"):
        for name, values in dictionaries.items():
            if name.endswith("_admin"):
                chosen[name.removesuffix("_admin")] = values
    return chosen


# Which dictionary each operation's parameters draw from.
BINDINGS = {
    "get_puppy": {"path.id": "puppies"},
    "add_favorite": {"path.puppy_id": "puppies"},
    "remove_favorite": {"path.puppy_id": "puppies"},
    "create_inquiry": {"path.id": "puppies"},
    "create_puppy": {"body.breed": "breeds", "body.secondary_breed": "breeds", "body.birth_date": "birth_dates",
                     "body.organization_id": "organizations"},
    "update_puppy": {"body.breed": "breeds",
                     "body.secondary_breed": "breeds", "body.birth_date": "birth_dates",
                     "body.organization_id": "organizations"},
    "delete_puppy": {"path.id": "doomed_puppies"},
    "upload_photos": {"path.id": "own_puppies"},
    "reorder_photos": {},
    "delete_photo": {"path.photo_id": "own_photos"},
    "get_organization": {"path.id": "organizations"},
    "organization_inquiries": {"path.id": "organizations"},
    "get_inquiry": {"path.id": "threads"},
    "mark_read": {"path.id": "threads"},
    "reply": {"path.id": "threads"},
    "set_status": {"path.id": "threads", "header.If-Match": "versions"},
    "set_assignee": {"path.id": "threads", "header.If-Match": "versions"},
    "get_photo_variant": {"path.id": "photos"},
    "set_role": {"path.id": "users", "body.organization_id": "organizations"},
    "update_flag": {"path.key": "flags"},
    "login": {"body.email": "emails", "body.password": "passwords"},
}


# Parameters fixed to the first value of a dictionary in every request, in
# every phase: dictionaries are drawn from only while fuzzing, and these
# operations need two real values together (a listing and its version, a
# listing and one of its photos), which the other phases would seldom pair.
# The first edit succeeds and the rest are 412, both past the id. Unknown ids
# for these operations are still sent by the anonymous run.
FIXED = {
    "update_puppy": {"path.id": "own_puppies", "header.If-Match": "versions"},
    "delete_photo": {"path.id": "photo_puppy"},
    "reorder_photos": {"path.id": "reorder_puppy"},
}

# Parameters fixed to a whole dictionary, as one list: a reorder must name
# exactly the listing's photos, which drawing ids one by one seldom does (a
# 400 after the listing was found looks like a 400 before it to `check`).
FIXED_LISTS = {
    "reorder_photos": {"body.photo_ids": "reorder_photos"},
}


def toml_string(value):
    return json.dumps(value)


def write_config(base_config, path, dictionaries):
    """The base settings plus the dictionaries and each operation's bindings."""
    with open(base_config) as f:
        text = f.read()
    lines = [text.rstrip(), "", "# Written by scripts/fuzz/real_ids.py for this run: real ids."]
    for name, values in dictionaries.items():
        lines.append(f"[dictionaries.{name}]")
        lines.append("values = [" + ", ".join(toml_string(v) for v in values) + "]")
    for operation, bindings in BINDINGS.items():
        lines.append("[[operations]]")
        lines.append(f"include-operation-id = {toml_string(operation)}")
        for parameter, dictionary in bindings.items():
            lines.append(f"parameters.{toml_string(parameter)} = "
                         f"{{ dictionary = {toml_string(dictionary)}, probability = {REAL} }}")
        for parameter, dictionary in FIXED.get(operation, {}).items():
            lines.append(f"parameters.{toml_string(parameter)} = {toml_string(dictionaries[dictionary][0])}")
        for parameter, dictionary in FIXED_LISTS.get(operation, {}).items():
            lines.append(f"parameters.{toml_string(parameter)} = {toml_string(dictionaries[dictionary])}")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def operations(document):
    """{(method, path template): operation id} of the API document."""
    found = {}
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            if isinstance(operation, dict) and "operationId" in operation:
                found[(method.upper(), path)] = operation["operationId"]
    return found


def coverage(log_lines, by_route):
    """{operation id: {status: count}} from the access log lines of one run."""
    seen = {}
    for line in log_lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        http = entry.get("httpRequest") or {}
        method, status, route = http.get("requestMethod"), http.get("status"), entry.get("route")
        operation = by_route.get((method, route))
        if operation is None or status is None:
            continue
        statuses = seen.setdefault(operation, {})
        statuses[int(status)] = statuses.get(int(status), 0) + 1
    return seen


# Operations with an id that each role must get past at least once: an answer
# that only a found object gives (2xx, or 409/412 for a conflict with it).
# Uploads are not listed: a made-up image is refused whether or not the
# listing exists.
PAST_ID = {
    role: ["update_puppy", "delete_puppy", "reorder_photos", "delete_photo", "set_status", "set_assignee"]
    for role in ("staff", "admin")
}

# Answers that do not show the id was found: malformed, unknown, refused
# before looking (no token, wrong role, wrong content type), or a required
# header missing.
STOPPED_BEFORE = {400, 401, 403, 404, 415, 422, 428}


def check(run, included, seen):
    """Problems of one run: an operation with an id that never got past it, or
    one that never succeeded where it must."""
    problems = []
    role = run.split("-")[0]
    for operation in PAST_ID.get(role, []):
        if operation not in included:
            continue
        statuses = seen.get(operation, {})
        if not set(statuses) - STOPPED_BEFORE:
            problems.append(f"{operation}: never past the id as {role} ({summary(statuses) or 'no requests'})")
    for operation in MUST_SUCCEED.get(role, []):
        if operation not in included:
            continue
        statuses = seen.get(operation, {})
        if not any(200 <= s < 300 for s in statuses):
            problems.append(f"{operation}: no 2xx as {role} ({summary(statuses) or 'no requests'})")
    return problems


def summary(statuses):
    return ", ".join(f"{status}×{count}" for status, count in sorted(statuses.items()))
