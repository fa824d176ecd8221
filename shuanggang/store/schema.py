"""The store's schema, as forward migrations.

`MIGRATIONS[i]` takes a database from `PRAGMA user_version` i to i + 1. Never edit a
migration that has shipped: add a new one.
"""

from shuanggang.store.dialect import NEW_IDENTITY

MIGRATIONS: list[str] = [
    # 1: the whole year — divisions, archive index, check-in, branches, services,
    # consultations, letter numbers and the audit trail.
    """
    CREATE TABLE streets (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        code TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE communities (
        id INTEGER PRIMARY KEY,
        street_id INTEGER NOT NULL REFERENCES streets(id),
        short TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        code TEXT NOT NULL DEFAULT ''
    );
    -- every input file accepted, by content hash; the bytes are under archive/
    CREATE TABLE files (
        hash TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        size INTEGER NOT NULL,
        archived_at TEXT NOT NULL
    );
    CREATE TABLE orgs (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        community_id INTEGER NOT NULL REFERENCES communities(id),
        consent INTEGER,                 -- 同意合编: 1 yes, 0 refused, NULL not said
        file_hash TEXT REFERENCES files(hash),
        registered_at TEXT NOT NULL,
        UNIQUE (name, community_id)
    );
    CREATE TABLE members (
        id INTEGER PRIMARY KEY,
        org_id INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
        id_number TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        gender TEXT,
        birth TEXT,
        member_no TEXT,
        ethnicity TEXT,
        political_status TEXT,
        joined TEXT,
        education TEXT,
        home_branch TEXT,
        league_post TEXT,
        phone TEXT,
        residence TEXT,
        occupation TEXT,
        specialty TEXT,
        willingness TEXT,
        interests TEXT,
        availability TEXT,
        slots TEXT NOT NULL DEFAULT '',  -- parsed time slots, comma-separated
        category TEXT NOT NULL DEFAULT '综合服务',
        consent INTEGER,
        remark TEXT,
        source_cell TEXT                 -- where in the file the row came from
    );
    CREATE INDEX members_org ON members(org_id);
    CREATE INDEX members_name ON members(name);
    CREATE TABLE projects (
        id INTEGER PRIMARY KEY,
        community_id INTEGER NOT NULL REFERENCES communities(id),
        project_no TEXT NOT NULL,
        title TEXT NOT NULL,
        category TEXT,
        content TEXT,
        schedule TEXT,
        place TEXT,
        needed INTEGER,
        contact TEXT,
        contact_phone TEXT,
        file_hash TEXT REFERENCES files(hash),
        UNIQUE (community_id, project_no)
    );
    CREATE TABLE claims (
        project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        org_id INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
        claimed_at TEXT NOT NULL,
        PRIMARY KEY (project_id, org_id)
    );
    CREATE TABLE branches (
        id INTEGER PRIMARY KEY,
        community_id INTEGER NOT NULL REFERENCES communities(id),
        name TEXT NOT NULL UNIQUE,
        category TEXT NOT NULL,
        joint INTEGER NOT NULL DEFAULT 0,
        slots TEXT NOT NULL DEFAULT '',
        secretary_id INTEGER REFERENCES members(id) ON DELETE SET NULL,
        flag TEXT                        -- why it breaks a size rule, if it does
    );
    CREATE TABLE branch_members (
        member_id INTEGER PRIMARY KEY REFERENCES members(id) ON DELETE CASCADE,
        branch_id INTEGER NOT NULL REFERENCES branches(id) ON DELETE CASCADE,
        reason TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX branch_members_branch ON branch_members(branch_id);
    CREATE TABLE services (
        id INTEGER PRIMARY KEY,
        file_hash TEXT NOT NULL REFERENCES files(hash),
        source_cell TEXT,
        date TEXT NOT NULL,
        community_id INTEGER REFERENCES communities(id),
        org_id INTEGER REFERENCES orgs(id) ON DELETE SET NULL,
        branch_id INTEGER REFERENCES branches(id) ON DELETE SET NULL,
        project_id INTEGER REFERENCES projects(id) ON DELETE SET NULL,
        member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
        minutes INTEGER NOT NULL CHECK (minutes >= 0),
        beneficiaries INTEGER,
        content TEXT,
        rating REAL
    );
    CREATE INDEX services_member ON services(member_id);
    CREATE INDEX services_file ON services(file_hash);
    CREATE TABLE consultations (
        id INTEGER PRIMARY KEY,
        file_hash TEXT REFERENCES files(hash),
        date TEXT NOT NULL,
        community_id INTEGER NOT NULL REFERENCES communities(id),
        org_id INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
        form TEXT,
        summary TEXT
    );
    -- letter numbers handed out: sequential per issuer and year, stable once given
    CREATE TABLE letters (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('checkin', 'feedback')),
        issuer TEXT NOT NULL,
        year INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        number TEXT NOT NULL,
        org_id INTEGER REFERENCES orgs(id) ON DELETE SET NULL,
        issued_at TEXT NOT NULL,
        UNIQUE (kind, issuer, year, seq),
        UNIQUE (kind, org_id, year)
    );
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        user TEXT NOT NULL,
        command TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '',
        file_hash TEXT
    );
    """,
    # 2: liaison points (团干部基层联系点): the cadres and the places each links
    """
    CREATE TABLE cadres (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        level TEXT NOT NULL CHECK (level IN ('district', 'street')),
        post TEXT NOT NULL DEFAULT '',
        street TEXT NOT NULL DEFAULT '',
        UNIQUE (name, level, street)
    );
    CREATE TABLE liaisons (
        cadre_id INTEGER NOT NULL REFERENCES cadres(id) ON DELETE CASCADE,
        place TEXT NOT NULL,          -- a street name, or a community's short name
        PRIMARY KEY (cadre_id, place)
    );
    """,
]
MIGRATIONS.append(
    # 3: the store refuses values of the wrong shape, so nothing read back can crash on
    # one: dates are YYYY-MM-DD, or YYYY-MM for a month whose day is not known (a member's
    # dates may be a year alone); minutes are integers.
    "\n".join(
        f"""
    CREATE TRIGGER {table}_{column}_{when} BEFORE {when.upper()} ON {table}
    WHEN NEW.{column} IS NOT NULL AND NOT ({check})
    BEGIN SELECT RAISE(ABORT, '{table}.{column} has the wrong shape'); END;"""
        for table, column, check in (
            ("services", "date", "NEW.date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'"),
            ("services", "minutes", "typeof(NEW.minutes) = 'integer'"),
            (
                "consultations",
                "date",
                "NEW.date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'"
                " OR NEW.date GLOB '[12][0-9][0-9][0-9]-[01][0-9]'",
            ),
            (
                "members",
                "birth",
                "NEW.birth GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'"
                " OR NEW.birth GLOB '[12][0-9][0-9][0-9]-[01][0-9]'"
                " OR NEW.birth GLOB '[12][0-9][0-9][0-9]'",
            ),
            (
                "members",
                "joined",
                "NEW.joined GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'"
                " OR NEW.joined GLOB '[12][0-9][0-9][0-9]-[01][0-9]'"
                " OR NEW.joined GLOB '[12][0-9][0-9][0-9]'",
            ),
        )
        for when in ("insert", "update")
    )
)
MIGRATIONS.append(
    # 4: one row per imported log file, so a file's content can be imported once only:
    # two imports of the same file at once cannot both commit (the primary key says no).
    """
    CREATE TABLE log_imports (
        file_hash TEXT PRIMARY KEY REFERENCES files(hash),
        kind TEXT NOT NULL CHECK (kind IN ('services', 'consultations')),
        imported_at TEXT NOT NULL
    );
    INSERT INTO log_imports (file_hash, kind, imported_at)
        SELECT DISTINCT s.file_hash, 'services', f.archived_at
        FROM services s JOIN files f ON f.hash = s.file_hash
        UNION
        SELECT DISTINCT c.file_hash, 'consultations', f.archived_at
        FROM consultations c JOIN files f ON f.hash = c.file_hash
        WHERE c.file_hash IS NOT NULL;
    """
)
MIGRATIONS.append(
    # 5: corrections without starting over — organisations withdrawn, members who left,
    # letter numbers voided or reprinted (never reused), and the trail undo walks back.
    """
    ALTER TABLE orgs ADD COLUMN withdrawn_on TEXT;       -- 撤回 date, NULL while active
    ALTER TABLE orgs ADD COLUMN withdraw_reason TEXT;
    ALTER TABLE members ADD COLUMN left_on TEXT;         -- 离团/调离 date, NULL while 在册
    ALTER TABLE members ADD COLUMN left_reason TEXT;     -- 调离 / 超龄离团 / 其他
    ALTER TABLE letters ADD COLUMN status TEXT NOT NULL DEFAULT 'valid'
        CHECK (status IN ('valid', 'void', 'reprinted'));
    ALTER TABLE letters ADD COLUMN note TEXT;
    ALTER TABLE audit ADD COLUMN undone_by INTEGER REFERENCES audit(id);
    CREATE TABLE undo_log (
        seq INTEGER PRIMARY KEY,
        audit_id INTEGER REFERENCES audit(id),  -- NULL while its change is under way
        statement TEXT NOT NULL                 -- SQL that takes one row change back
    );
    CREATE INDEX undo_log_audit ON undo_log(audit_id);
    """
)
MIGRATIONS.append(
    # 6: a ledger's 认领单位 as written, so the claim is made when that organisation
    # registers in the community (the ledger often comes first).
    """
    ALTER TABLE projects ADD COLUMN claim_text TEXT;
    """
)

# 7: undo. Triggers on every data table write to `undo_log` the SQL that takes one row
# change back (the classic SQLite undo technique); `Store.change` gives the rows of its
# transaction the change's audit id. The triggers are generated from the tables' columns
# as they are at version 6, written out below, so this migration's text never changes
# (a later migration that adds a column must replace that table's triggers).
#
# Tables with an INTEGER PRIMARY KEY are addressed by rowid (the same as their id); the
# others by their primary key, and re-inserted with their old rowid.
UNDO_TABLES_AT_6: dict[str, tuple[tuple[str, ...], tuple[str, ...] | None]] = {
    # table: (columns, primary key of a table whose rowid is not its id, else None)
    "streets": (("id", "name", "code"), None),
    "communities": (("id", "street_id", "short", "name", "code"), None),
    "files": (("hash", "name", "kind", "size", "archived_at"), ("hash",)),
    "orgs": (
        (
            "id",
            "name",
            "community_id",
            "consent",
            "file_hash",
            "registered_at",
            "withdrawn_on",
            "withdraw_reason",
        ),
        None,
    ),
    "members": (
        (
            "id",
            "org_id",
            "id_number",
            "name",
            "gender",
            "birth",
            "member_no",
            "ethnicity",
            "political_status",
            "joined",
            "education",
            "home_branch",
            "league_post",
            "phone",
            "residence",
            "occupation",
            "specialty",
            "willingness",
            "interests",
            "availability",
            "slots",
            "category",
            "consent",
            "remark",
            "source_cell",
            "left_on",
            "left_reason",
        ),
        None,
    ),
    "projects": (
        (
            "id",
            "community_id",
            "project_no",
            "title",
            "category",
            "content",
            "schedule",
            "place",
            "needed",
            "contact",
            "contact_phone",
            "file_hash",
            "claim_text",
        ),
        None,
    ),
    "claims": (("project_id", "org_id", "claimed_at"), ("project_id", "org_id")),
    "branches": (
        ("id", "community_id", "name", "category", "joint", "slots", "secretary_id", "flag"),
        None,
    ),
    "branch_members": (("member_id", "branch_id", "reason"), None),
    "services": (
        (
            "id",
            "file_hash",
            "source_cell",
            "date",
            "community_id",
            "org_id",
            "branch_id",
            "project_id",
            "member_id",
            "minutes",
            "beneficiaries",
            "content",
            "rating",
        ),
        None,
    ),
    "consultations": (
        ("id", "file_hash", "date", "community_id", "org_id", "form", "summary"),
        None,
    ),
    "letters": (
        (
            "id",
            "kind",
            "issuer",
            "year",
            "seq",
            "number",
            "org_id",
            "issued_at",
            "status",
            "note",
        ),
        None,
    ),
    "cadres": (("id", "name", "level", "post", "street"), None),
    "liaisons": (("cadre_id", "place"), ("cadre_id", "place")),
    "log_imports": (("file_hash", "kind", "imported_at"), ("file_hash",)),
}


def undo_triggers(table: str, columns: tuple[str, ...], key: tuple[str, ...] | None) -> str:
    """The three triggers that log how to take back an insert, an update and a delete of
    one row of `table`. An insert logs a short statement without quote(): inserts are most
    of what commands write, so they must stay cheap."""

    def where(row: str) -> str:
        # an SQL expression: ' WHERE ' and the row's key, concatenated
        if key is None:
            return f"' WHERE rowid='||{row}.rowid"
        return "' WHERE " + "||' AND ".join(f"{k}='||quote({row}.{k})" for k in key)

    changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in columns)
    sets = "||".join(
        f"CASE WHEN old.{c} IS NOT new.{c} THEN ',{c}='||quote(old.{c}) ELSE '' END"
        for c in columns
    )
    names = ",".join(columns) if key is None else ",".join(("rowid", *columns))
    values = "||','||".join(
        f"quote(old.{c})" for c in (columns if key is None else ("rowid", *columns))
    )
    return f"""
    CREATE TRIGGER undo_{table}_insert AFTER INSERT ON {table} BEGIN
        INSERT INTO undo_log (statement) VALUES ('DELETE FROM {table}'||{where("new")});
    END;
    CREATE TRIGGER undo_{table}_update AFTER UPDATE ON {table} WHEN {changed} BEGIN
        INSERT INTO undo_log (statement)
        VALUES ('UPDATE {table} SET '||substr({sets}, 2)||{where("new")});
    END;
    CREATE TRIGGER undo_{table}_delete AFTER DELETE ON {table} BEGIN
        INSERT INTO undo_log (statement)
        VALUES ('INSERT INTO {table}({names}) VALUES('||{values}||')');
    END;"""


MIGRATIONS.append(
    # 7: the undo triggers, and where undo starts: changes up to the audit id kept in
    # undo_start were made before, have no undo_log rows, and cannot be undone.
    """
    CREATE TABLE undo_start (audit_id INTEGER NOT NULL);
    INSERT INTO undo_start (audit_id) SELECT coalesce(max(id), 0) FROM audit;
    """
    + "".join(undo_triggers(t, cols, key) for t, (cols, key) in UNDO_TABLES_AT_6.items())
)

# 8: merging street workspaces into a district's. Each workspace knows who it is (an
# identity made once, kept by copies and backups), the district knows what each source
# brought (`sources`), and every row a merge brings carries its source (NULL: the
# workspace's own). The tables that gained a column get their undo triggers anew.
OWNED_BY_SOURCE = (
    "orgs",
    "members",
    "projects",
    "claims",
    "branches",
    "branch_members",
    "services",
    "consultations",
    "letters",
    "liaisons",
)
UNDO_TABLES_AT_8: dict[str, tuple[tuple[str, ...], tuple[str, ...] | None]] = {
    **{
        table: ((*columns, "source_id"), key)
        for table, (columns, key) in UNDO_TABLES_AT_6.items()
        if table in OWNED_BY_SOURCE
    },
    "workspace": (("identity", "created_at"), None),
    "sources": (
        (
            "id",
            "identity",
            "label",
            "kind",
            "path",
            "district",
            "changed_at",
            "merged_at",
            "counts",
            "held",
        ),
        None,
    ),
}
MIGRATIONS.append(
    """
    CREATE TABLE workspace (
        identity TEXT NOT NULL,     -- made once; copies and backups of the workspace keep it
        created_at TEXT NOT NULL
    );
    INSERT INTO workspace (identity, created_at)
        SELECT """
    + NEW_IDENTITY
    + """, coalesce((SELECT min(at) FROM audit), '');
    CREATE TABLE sources (
        id INTEGER PRIMARY KEY,
        identity TEXT NOT NULL UNIQUE,  -- the merged workspace's identity
        label TEXT NOT NULL,            -- the streets it brought
        kind TEXT NOT NULL CHECK (kind IN ('workspace', 'backup')),
        path TEXT NOT NULL,             -- the folder or backup file last merged
        district TEXT NOT NULL,
        changed_at TEXT NOT NULL,       -- the source's newest change when it was merged
        merged_at TEXT NOT NULL,
        counts TEXT NOT NULL DEFAULT '{}',  -- JSON: rows brought, per table
        held INTEGER NOT NULL DEFAULT 0     -- records held out for conflicts
    );
    """
    + "".join(
        f"ALTER TABLE {table} ADD COLUMN source_id INTEGER REFERENCES sources(id);\n"
        f"    CREATE INDEX {table}_source ON {table}(source_id);\n"
        for table in OWNED_BY_SOURCE
    )
    + "".join(
        f"DROP TRIGGER undo_{table}_{when};\n"
        for table in OWNED_BY_SOURCE
        for when in ("insert", "update", "delete")
    )
    + "".join(undo_triggers(t, cols, key) for t, (cols, key) in UNDO_TABLES_AT_8.items())
)

# 9: volunteer service certificates (志愿服务记录证明) and their register: numbered per
# year, never reused; a certificate whose data changed is voided, not edited.
CERTIFICATE_COLUMNS = (
    "id",
    "year",
    "seq",
    "number",
    "member_id",
    "id_number",
    "name",
    "org",
    "community",
    "period_from",
    "period_to",
    "minutes",
    "services",
    "digest",
    "issued_on",
    "status",
    "voided_on",
)
MIGRATIONS.append(
    """
    CREATE TABLE certificates (
        id INTEGER PRIMARY KEY,
        year INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        number TEXT NOT NULL,
        member_id INTEGER REFERENCES members(id) ON DELETE SET NULL,
        id_number TEXT NOT NULL,
        name TEXT NOT NULL,
        org TEXT NOT NULL,
        community TEXT NOT NULL,
        period_from TEXT NOT NULL,
        period_to TEXT NOT NULL,
        minutes INTEGER NOT NULL CHECK (minutes > 0),
        services INTEGER NOT NULL CHECK (services > 0),
        digest TEXT NOT NULL,               -- what it prints, but its number and date
        issued_on TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'void')),
        voided_on TEXT,
        UNIQUE (year, seq)
    );
    CREATE INDEX certificates_holder ON certificates(id_number, period_from, period_to);
    """
    + undo_triggers("certificates", CERTIFICATE_COLUMNS, None)
)
