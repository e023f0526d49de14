/* The schema, as an append-only list of migrations. Never edit a migration
 * that has shipped: add the next one. */
#include "store/migrations.h"

/* The tables that hold a gate pair (migration 10). */
#define GATE_TABLES(each)                                                                                              \
	each("gate_pair") each("gate_side") each("gate_hours") each("gate_exception") each("gate_designation")         \
	    each("gate_train") each("gate_lane_change")
#define PG_REVISED(t)                                                                                                  \
	"CREATE TRIGGER " t "_revised AFTER INSERT OR UPDATE OR DELETE ON " t                                          \
	" FOR EACH STATEMENT EXECUTE FUNCTION gates_revised();\n"
#define SQLITE_REVISED_ON(t, what)                                                                                     \
	"CREATE TRIGGER " t "_" what " AFTER " what " ON " t " BEGIN UPDATE revision SET gates = random(); END;\n"
#define SQLITE_REVISED(t) SQLITE_REVISED_ON(t, "INSERT") SQLITE_REVISED_ON(t, "UPDATE") SQLITE_REVISED_ON(t, "DELETE")

const struct bf_migration bf_migrations[] = {
    {1, "gate pairs and commodities",
     "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);\n"
     "CREATE TABLE gate_pair (\n"
     "  id TEXT PRIMARY KEY,\n"
     "  name_vi TEXT NOT NULL, name_zh TEXT NOT NULL, name_en TEXT NOT NULL,\n"
     "  mode TEXT NOT NULL CHECK (mode IN ('road', 'rail')),\n"
     "  class TEXT NOT NULL CHECK (class IN ('international', 'main', 'secondary')),\n"
     "  lat REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),\n"
     "  lon REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),\n"
     "  lanes_a_to_b INTEGER NOT NULL CHECK (lanes_a_to_b BETWEEN 1 AND 64),\n"
     "  rate_a_to_b REAL NOT NULL CHECK (rate_a_to_b > 0),\n"
     "  lanes_b_to_a INTEGER NOT NULL CHECK (lanes_b_to_a BETWEEN 1 AND 64),\n"
     "  rate_b_to_a REAL NOT NULL CHECK (rate_b_to_a > 0)\n"
     ");\n"
     "CREATE TABLE gate_designation (\n"
     "  gate_id TEXT NOT NULL REFERENCES gate_pair (id) ON DELETE CASCADE,\n"
     "  class TEXT NOT NULL,\n"
     "  PRIMARY KEY (gate_id, class)\n"
     ");\n"
     "CREATE TABLE gate_side (\n"
     "  gate_id TEXT NOT NULL REFERENCES gate_pair (id) ON DELETE CASCADE,\n"
     "  side TEXT NOT NULL CHECK (side IN ('a', 'b')),\n"
     "  country TEXT NOT NULL, subdivision TEXT NOT NULL, province TEXT NOT NULL,\n"
     "  gate TEXT NOT NULL, tz TEXT NOT NULL,\n"
     "  utc_offset_min INTEGER NOT NULL CHECK (utc_offset_min BETWEEN -840 AND 840),\n"
     "  PRIMARY KEY (gate_id, side)\n"
     ");\n"
     "CREATE TABLE gate_hours (\n"
     "  gate_id TEXT NOT NULL, side TEXT NOT NULL,\n"
     "  weekday INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),\n"
     "  open_min INTEGER NOT NULL, close_min INTEGER NOT NULL,\n"
     "  CHECK (0 <= open_min AND open_min < close_min AND close_min <= 1440),\n"
     "  FOREIGN KEY (gate_id, side) REFERENCES gate_side (gate_id, side) ON DELETE CASCADE\n"
     ");\n"
     "CREATE INDEX gate_hours_by_gate ON gate_hours (gate_id, side, weekday);\n"
     "CREATE TABLE gate_exception (\n"
     "  id INTEGER PRIMARY KEY,\n"
     "  gate_id TEXT NOT NULL, side TEXT NOT NULL,\n"
     "  kind TEXT NOT NULL CHECK (kind IN ('closed', 'open')),\n"
     "  start_utc INTEGER NOT NULL, end_utc INTEGER NOT NULL,\n"
     "  note TEXT NOT NULL DEFAULT '',\n"
     "  CHECK (start_utc < end_utc),\n"
     "  FOREIGN KEY (gate_id, side) REFERENCES gate_side (gate_id, side) ON DELETE CASCADE\n"
     ");\n"
     "CREATE INDEX gate_exception_by_gate ON gate_exception (gate_id, side, start_utc);\n"
     "CREATE TABLE commodity (\n"
     "  hs_code TEXT PRIMARY KEY CHECK (length(hs_code) BETWEEN 6 AND 10),\n"
     "  class TEXT NOT NULL,\n"
     "  name_vi TEXT NOT NULL, name_zh TEXT NOT NULL, name_en TEXT NOT NULL,\n"
     "  shelf_life_hours INTEGER NOT NULL CHECK (shelf_life_hours > 0),\n"
     "  value_usd_per_tonne REAL NOT NULL CHECK (value_usd_per_tonne > 0),\n"
     "  needs_phyto_certificate INTEGER NOT NULL CHECK (needs_phyto_certificate IN (0, 1)),\n"
     "  source TEXT NOT NULL DEFAULT ''\n"
     ");\n",
     NULL, NULL},
    {2, "the registry: exporters, planting areas, packing houses",
     "CREATE TABLE exporter (\n"
     "  id TEXT PRIMARY KEY, name TEXT NOT NULL, country TEXT NOT NULL,\n"
     "  status TEXT NOT NULL CHECK (status IN ('active', 'suspended'))\n"
     ");\n"
     "CREATE TABLE exporter_approval (\n"
     "  exporter_id TEXT NOT NULL REFERENCES exporter (id) ON DELETE CASCADE,\n"
     "  hs_code TEXT NOT NULL REFERENCES commodity (hs_code),\n"
     "  destination TEXT NOT NULL,\n"
     "  PRIMARY KEY (exporter_id, hs_code, destination)\n"
     ");\n"
     "CREATE TABLE planting_area (\n"
     "  code TEXT PRIMARY KEY,\n"
     "  hs_code TEXT NOT NULL REFERENCES commodity (hs_code),\n"
     "  country TEXT NOT NULL, province TEXT NOT NULL,\n"
     "  status TEXT NOT NULL CHECK (status IN ('active', 'suspended'))\n"
     ");\n"
     "CREATE TABLE packing_house (\n"
     "  code TEXT PRIMARY KEY, name TEXT NOT NULL,\n"
     "  country TEXT NOT NULL, province TEXT NOT NULL,\n"
     "  status TEXT NOT NULL CHECK (status IN ('active', 'suspended'))\n"
     ");\n",
     NULL, NULL},
    {3, "parties, tokens, consignments, idempotency keys and the event record",
     "CREATE TABLE party (\n"
     "  id TEXT PRIMARY KEY, name TEXT NOT NULL,\n"
     "  role TEXT NOT NULL, country TEXT NOT NULL,\n"
     "  created_at INTEGER NOT NULL\n"
     ");\n"
     "CREATE TABLE token (\n"
     "  id TEXT PRIMARY KEY,\n"
     "  hash BLOB NOT NULL UNIQUE,\n"
     "  party_id TEXT NOT NULL REFERENCES party (id),\n"
     "  created_at INTEGER NOT NULL,\n"
     "  revoked_at INTEGER\n"
     ");\n"
     "CREATE TABLE consignment (\n"
     "  seq INTEGER PRIMARY KEY AUTOINCREMENT,\n"
     "  id TEXT NOT NULL UNIQUE,\n"
     "  declared_by TEXT NOT NULL REFERENCES party (id),\n"
     "  exporter_id TEXT NOT NULL REFERENCES exporter (id),\n"
     "  hs_code TEXT NOT NULL REFERENCES commodity (hs_code),\n"
     "  net_weight_kg REAL NOT NULL CHECK (net_weight_kg > 0),\n"
     "  packages INTEGER NOT NULL CHECK (packages > 0),\n"
     "  packing_house TEXT NOT NULL DEFAULT '',\n"
     "  phyto_certificate TEXT NOT NULL DEFAULT '',\n"
     "  conveyance TEXT NOT NULL CHECK (conveyance IN ('truck', 'wagon')),\n"
     "  vehicle TEXT NOT NULL, vehicle_country TEXT NOT NULL,\n"
     "  destination TEXT NOT NULL,\n"
     "  preferred_gate TEXT NOT NULL DEFAULT '',\n"
     "  state TEXT NOT NULL,\n"
     "  declared_at INTEGER NOT NULL, updated_at INTEGER NOT NULL\n"
     ");\n"
     "CREATE INDEX consignment_by_party ON consignment (declared_by, seq);\n"
     "CREATE INDEX consignment_by_state ON consignment (state, seq);\n"
     "CREATE TABLE consignment_planting_area (\n"
     "  consignment_id TEXT NOT NULL REFERENCES consignment (id) ON DELETE CASCADE,\n"
     "  position INTEGER NOT NULL,\n"
     "  code TEXT NOT NULL,\n"
     "  PRIMARY KEY (consignment_id, position)\n"
     ");\n"
     "CREATE INDEX consignment_planting_area_by_code ON consignment_planting_area (code);\n"
     "CREATE TABLE idempotency (\n"
     "  party_id TEXT NOT NULL, key TEXT NOT NULL,\n"
     "  request_hash BLOB NOT NULL,\n"
     "  status INTEGER NOT NULL, body TEXT NOT NULL,\n"
     "  created_at INTEGER NOT NULL,\n"
     "  PRIMARY KEY (party_id, key)\n"
     ");\n"
     /* The event record. seq never repeats (AUTOINCREMENT), payload is
      * canonical JSON (sorted keys, no spaces) so that its bytes can be
      * hashed; prev_hash, hash and signature are the ledger's. */
     "CREATE TABLE event (\n"
     "  seq INTEGER PRIMARY KEY AUTOINCREMENT,\n"
     "  at INTEGER NOT NULL,\n"
     "  party_id TEXT NOT NULL, role TEXT NOT NULL,\n"
     "  kind TEXT NOT NULL, subject TEXT NOT NULL,\n"
     "  payload TEXT NOT NULL,\n"
     "  prev_hash BLOB, hash BLOB, signature BLOB\n"
     ");\n"
     "CREATE INDEX event_by_subject ON event (subject, seq);\n",
     NULL, NULL},
    {4, "rail timetables, dated lane changes and bookings",
     "CREATE TABLE gate_train (\n"
     "  gate_id TEXT NOT NULL REFERENCES gate_pair (id) ON DELETE CASCADE,\n"
     "  number TEXT NOT NULL, days INTEGER NOT NULL CHECK (days BETWEEN 1 AND 127),\n"
     "  departs_min INTEGER NOT NULL CHECK (departs_min BETWEEN 0 AND 1439),\n"
     "  wagons INTEGER NOT NULL CHECK (wagons > 0),\n"
     "  farm_wagons INTEGER NOT NULL CHECK (farm_wagons BETWEEN 0 AND wagons),\n"
     "  direction TEXT NOT NULL CHECK (direction IN ('a_to_b', 'b_to_a')),\n"
     "  PRIMARY KEY (gate_id, number)\n"
     ");\n"
     "CREATE TABLE gate_lane_change (\n"
     "  id INTEGER PRIMARY KEY,\n"
     "  gate_id TEXT NOT NULL REFERENCES gate_pair (id) ON DELETE CASCADE,\n"
     "  direction TEXT NOT NULL CHECK (direction IN ('a_to_b', 'b_to_a')),\n"
     "  lanes INTEGER NOT NULL CHECK (lanes BETWEEN 0 AND 64),\n"
     "  start_utc INTEGER NOT NULL, end_utc INTEGER NOT NULL, CHECK (start_utc < end_utc)\n"
     ");\n"
     /* One row per consignment that holds a slot. The slot is the gate,
      * direction and start; a place is taken only inside a write
      * transaction that counted the slot's rows first. */
     "CREATE TABLE booking (\n"
     "  consignment_id TEXT PRIMARY KEY REFERENCES consignment (id),\n"
     "  gate_id TEXT NOT NULL REFERENCES gate_pair (id),\n"
     "  direction TEXT NOT NULL,\n"
     "  slot_start INTEGER NOT NULL,\n"
     "  earliest INTEGER NOT NULL,\n"
     "  deadline INTEGER NOT NULL,\n"
     "  value REAL NOT NULL,\n"
     "  booked_at INTEGER NOT NULL,\n"
     "  checked_in_at INTEGER,\n"
     "  misses INTEGER NOT NULL DEFAULT 0\n"
     ");\n"
     "CREATE INDEX booking_by_slot ON booking (gate_id, direction, slot_start);\n",
     /* PostgreSQL has no rowid; the queue's order ends on it. */
     "ALTER TABLE booking ADD COLUMN rowid BIGINT GENERATED ALWAYS AS IDENTITY;\n", NULL},
    {5, "simulations asked of the server",
     /* A request is kept from the moment it is acknowledged, so that a
      * restart runs it again (runs are deterministic from the request). */
     "CREATE TABLE simulation (\n"
     "  id TEXT PRIMARY KEY,\n"
     "  party_id TEXT NOT NULL,\n"
     "  created_at INTEGER NOT NULL,\n"
     "  finished_at INTEGER,\n"
     "  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),\n"
     "  total INTEGER NOT NULL CHECK (total > 0),\n"
     "  request TEXT NOT NULL,\n"
     "  result TEXT,\n"
     "  error TEXT\n"
     ");\n"
     "CREATE INDEX simulation_by_status ON simulation (status, created_at);\n",
     NULL, NULL},
    {6, "control lanes, risk profiles and refusals",
     "CREATE TABLE risk_profile (\n"
     "  country TEXT PRIMARY KEY,\n"
     "  body TEXT NOT NULL,\n"
     "  updated_at INTEGER NOT NULL,\n"
     "  updated_by TEXT NOT NULL\n"
     ");\n"
     /* Each side's lane for a consignment, set when it checks in. */
     "CREATE TABLE control (\n"
     "  consignment_id TEXT NOT NULL REFERENCES consignment (id),\n"
     "  side TEXT NOT NULL CHECK (side IN ('export', 'import')),\n"
     "  country TEXT NOT NULL,\n"
     "  lane TEXT NOT NULL CHECK (lane IN ('green', 'yellow', 'red')),\n"
     "  minutes REAL NOT NULL CHECK (minutes > 0),\n"
     "  reason TEXT NOT NULL,\n"
     "  at INTEGER NOT NULL,\n"
     "  PRIMARY KEY (consignment_id, side)\n"
     ");\n"
     /* Refusals by the importing side, for the rules on an exporter's
      * history. */
     "CREATE TABLE refusal (\n"
     "  consignment_id TEXT PRIMARY KEY REFERENCES consignment (id),\n"
     "  exporter_id TEXT NOT NULL,\n"
     "  at INTEGER NOT NULL\n"
     ");\n"
     "CREATE INDEX refusal_by_exporter ON refusal (exporter_id, at);\n",
     NULL, NULL},
    /* The ledger (src/ledger/ledger.h). Each event names the node whose
     * chain it belongs to and its place there; rows written before this
     * migration keep NULL and fail `verify` as unchained. A signing key is
     * bound to one party, acting in one role, on one node; a peer's
     * imported keys have no secret. A party's keys on a node are numbered
     * from 1; key N signs the events of that node's chain numbered above
     * its from_seq, up to key N+1's from_seq. */
    {7, "the ledger: each event's origin and place in its chain, and signing keys",
     "ALTER TABLE event ADD COLUMN origin TEXT;\n"
     "ALTER TABLE event ADD COLUMN origin_seq INTEGER;\n"
     "ALTER TABLE event ADD COLUMN key_id TEXT;\n"
     "CREATE UNIQUE INDEX event_by_origin ON event (origin, origin_seq);\n"
     "CREATE TABLE signing_key (\n"
     "  id TEXT PRIMARY KEY,\n"
     "  party_id TEXT NOT NULL,\n"
     "  role TEXT NOT NULL,\n"
     "  node TEXT NOT NULL,\n"
     "  number INTEGER NOT NULL CHECK (number >= 1),\n"
     "  from_seq INTEGER NOT NULL CHECK (from_seq >= 0),\n"
     "  public_key BLOB NOT NULL UNIQUE CHECK (length(public_key) = 32),\n"
     "  secret_key BLOB CHECK (secret_key IS NULL OR length(secret_key) = 64),\n"
     "  created_at INTEGER NOT NULL,\n"
     "  UNIQUE (party_id, node, number)\n"
     ");\n",
     NULL, NULL},
    /* Notices on the shared history (model/notice.h). A notice keeps the
     * node that numbered it and its number there, so that each node
     * numbers its own; empty text stands for a field not given. One
     * acknowledgement a country. notice_suspension links a registry code
     * suspended in one step to the notice that asked for it, until the
     * code is reinstated. */
    {8, "notices, their acknowledgements and the suspensions they led to",
     "CREATE TABLE notice (\n"
     "  id TEXT PRIMARY KEY,\n"
     "  origin TEXT NOT NULL,\n"
     "  number INTEGER NOT NULL CHECK (number >= 1),\n"
     "  kind TEXT NOT NULL CHECK (kind IN ('non_compliance', 'gate_disruption', 'rule_change')),\n"
     "  text TEXT NOT NULL,\n"
     "  exporter TEXT NOT NULL DEFAULT '',\n"
     "  planting_area TEXT NOT NULL DEFAULT '',\n"
     "  packing_house TEXT NOT NULL DEFAULT '',\n"
     "  gate TEXT NOT NULL DEFAULT '',\n"
     "  consignment TEXT NOT NULL DEFAULT '',\n"
     "  posted_by TEXT NOT NULL,\n"
     "  role TEXT NOT NULL,\n"
     "  country TEXT NOT NULL,\n"
     "  posted_at INTEGER NOT NULL,\n"
     "  UNIQUE (origin, number)\n"
     ");\n"
     "CREATE INDEX notice_by_time ON notice (posted_at);\n"
     "CREATE TABLE notice_ack (\n"
     "  notice_id TEXT NOT NULL REFERENCES notice (id),\n"
     "  country TEXT NOT NULL,\n"
     "  by_party TEXT NOT NULL,\n"
     "  role TEXT NOT NULL,\n"
     "  at INTEGER NOT NULL,\n"
     "  note TEXT NOT NULL DEFAULT '',\n"
     "  PRIMARY KEY (notice_id, country)\n"
     ");\n"
     "CREATE TABLE notice_suspension (\n"
     "  kind TEXT NOT NULL CHECK (kind IN ('exporter', 'planting_area', 'packing_house')),\n"
     "  code TEXT NOT NULL,\n"
     "  notice_id TEXT NOT NULL REFERENCES notice (id),\n"
     "  at INTEGER NOT NULL,\n"
     "  PRIMARY KEY (kind, code)\n"
     ");\n",
     /* PostgreSQL has no rowid; notices are paged by it and
      * acknowledgements listed in its order. */
     "ALTER TABLE notice ADD COLUMN rowid BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE;\n"
     "ALTER TABLE notice_ack ADD COLUMN rowid BIGINT GENERATED ALWAYS AS IDENTITY;\n",
     NULL},
    /* The store's revision: one more with every write transaction
     * committed, by any process (bf_store_commit). A process that keeps
     * answers in memory reads it, one row, to know that they still hold. */
    {9, "the store's revision",
     "CREATE TABLE revision (n INTEGER NOT NULL CHECK (n >= 0));\n"
     "INSERT INTO revision (n) VALUES (0);\n",
     NULL, NULL},
    /* The gate pairs' revision: a new value whenever a row of a gate pair
     * is written, by any process (triggers), and never a value it had
     * before, so that a rolled-back write's value cannot come back: a
     * random 64-bit number on SQLite, a sequence's next on PostgreSQL. A
     * connection keeps the pairs it read while it holds
     * (bf_store_gate_get). */
    {10, "the gate pairs' revision", "ALTER TABLE revision ADD COLUMN gates INTEGER NOT NULL DEFAULT 0;\n",
     "CREATE SEQUENCE gates_revision;\n"
     "CREATE FUNCTION gates_revised() RETURNS trigger LANGUAGE plpgsql AS $$\n"
     "BEGIN UPDATE revision SET gates = nextval('gates_revision'); RETURN NULL; END $$;\n" GATE_TABLES(PG_REVISED),
     GATE_TABLES(SQLITE_REVISED)},
    /* What a consignment must carry, per commodity and importing country,
     * replaces the one flag for fresh plant products: a database that had
     * the flag keeps its rule for every destination ("*"). Facilities: the
     * producing plants an importing country registered. A declaration
     * names a health certificate and a facility beside the phytosanitary
     * certificate. */
    {11, "requirements per commodity and importing country, facilities",
     "CREATE TABLE commodity_requirement (\n"
     "  hs_code TEXT NOT NULL REFERENCES commodity (hs_code),\n"
     "  importer TEXT NOT NULL CHECK (importer = '*' OR length(importer) = 2),\n"
     "  documents TEXT NOT NULL,\n"
     "  PRIMARY KEY (hs_code, importer)\n"
     ");\n"
     "INSERT INTO commodity_requirement (hs_code, importer, documents)\n"
     "  SELECT hs_code, '*', 'planting_areas packing_house phyto_certificate' FROM commodity\n"
     "  WHERE needs_phyto_certificate = 1;\n"
     "CREATE TABLE facility (\n"
     "  code TEXT PRIMARY KEY, name TEXT NOT NULL,\n"
     "  country TEXT NOT NULL, province TEXT NOT NULL,\n"
     "  registered_with TEXT NOT NULL,\n"
     "  products TEXT NOT NULL,\n"
     "  status TEXT NOT NULL CHECK (status IN ('active', 'suspended'))\n"
     ");\n"
     "ALTER TABLE consignment ADD COLUMN health_certificate TEXT NOT NULL DEFAULT '';\n"
     "ALTER TABLE consignment ADD COLUMN facility TEXT NOT NULL DEFAULT '';\n",
     NULL, NULL},
    /* An Idempotency-Key guards every write, not only declarations: a key
     * names the request it was first used on (method and path; the rows
     * before were all declarations) beside its body's hash, and keeps the
     * first answer's Location. */
    {12, "idempotency keys on every write",
     "ALTER TABLE idempotency ADD COLUMN request TEXT NOT NULL DEFAULT 'POST /v1/consignments';\n"
     "ALTER TABLE idempotency ADD COLUMN location TEXT NOT NULL DEFAULT '';\n",
     NULL, NULL},
    /* The gate pairs a gate operator is assigned to, in the order given;
     * none: every pair of its country. Not a reference to gate_pair: the
     * bundled pairs are loaded again as data changes. */
    {13, "the gates each gate operator acts at",
     "CREATE TABLE party_gate (\n"
     "  party_id TEXT NOT NULL REFERENCES party (id),\n"
     "  position INTEGER NOT NULL,\n"
     "  gate_id TEXT NOT NULL,\n"
     "  PRIMARY KEY (party_id, position),\n"
     "  UNIQUE (party_id, gate_id)\n"
     ");\n",
     NULL, NULL},
    /* What a node acts for, beside its id (model/authority.h): a
     * database that already holds another node's events is one side of a
     * pair, any other that has an id holds the whole border. */
    {14, "a node's scope",
     "INSERT INTO meta (key, value)\n"
     "  SELECT 'scope', CASE WHEN EXISTS (SELECT 1 FROM event WHERE origin <> m.value)\n"
     "                       THEN 'country' ELSE 'border' END\n"
     "  FROM meta m WHERE m.key = 'node';\n",
     NULL, NULL},
    /* Disputes (model/dispute.h): events of a peer's chain held as they
     * are, with no effect on the node that disputes them. */
    {15, "disputes",
     "CREATE TABLE dispute (\n"
     "  origin TEXT NOT NULL, origin_seq BIGINT NOT NULL,\n"
     "  kind TEXT NOT NULL, subject TEXT NOT NULL, hash TEXT NOT NULL,\n"
     "  raised_by TEXT NOT NULL, reason TEXT NOT NULL, raised_at BIGINT NOT NULL,\n"
     "  PRIMARY KEY (origin, origin_seq)\n"
     ");\n"
     "CREATE INDEX dispute_by ON dispute (raised_by, subject);\n",
     NULL, NULL},
    /* Forks (model/dispute.h): two validly signed events under one number
     * of one chain, both kept as evidence, the one held here and the one
     * offered; the chain takes nothing more until an operator resolves it. */
    {16, "fork evidence",
     "CREATE TABLE fork (\n"
     "  origin TEXT NOT NULL, origin_seq BIGINT NOT NULL,\n"
     "  held TEXT NOT NULL, offered TEXT NOT NULL,\n"
     "  detected_at BIGINT NOT NULL, resolved_at BIGINT,\n"
     "  PRIMARY KEY (origin, origin_seq)\n"
     ");\n",
     NULL, NULL},
    /* The latest signed head each peer's chain came with (ledger/head.c),
     * as it was signed, and when it arrived. */
    {17, "the peer's signed head",
     "CREATE TABLE peer_head (\n"
     "  origin TEXT PRIMARY KEY, origin_seq BIGINT NOT NULL,\n"
     "  head TEXT NOT NULL, received_at BIGINT NOT NULL\n"
     ");\n",
     NULL, NULL},
    /* The keys made before every key was an event of its chain (ledger.h,
     * keys on the chain): verify cannot find the events that made them,
     * and says how many it took as the file holds them. */
    {18, "keys made before keys were on the chain",
     "CREATE TABLE key_legacy (id TEXT PRIMARY KEY);\n"
     "INSERT INTO key_legacy (id) SELECT id FROM signing_key;\n",
     NULL, NULL},
};

const size_t bf_migrations_len = sizeof(bf_migrations) / sizeof(bf_migrations[0]);
