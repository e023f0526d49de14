/* Notices on the shared history: what one side tells the other about a
 * non-compliance found at inspection, a gate disruption or a change of
 * rules, and each side's acknowledgement of it. Plain records; the
 * service (service/notice.h) posts, lists and acts on them. */
#ifndef BF_MODEL_NOTICE_H
#define BF_MODEL_NOTICE_H

#include "model/consignment.h"
#include "model/event.h"
#include "model/gate.h"
#include "model/party.h"
#include "model/registry.h"
#include "model/time.h"

#include <stdbool.h>
#include <stdint.h>

/* "N-" NODE "-" six or more digits: "N-vn-000001". Each node numbers the
 * notices posted on it, so that ids never clash between the two nodes. */
#define BF_NOTICE_ID_MAX   40
#define BF_NOTICE_TEXT_MAX 1000 /* bytes of UTF-8 */
#define BF_NOTICE_NOTE_MAX 400
/* One acknowledgement a country: room for every country of a border. */
#define BF_NOTICE_MAX_ACKS 8

enum bf_notice_kind { BF_NOTICE_NON_COMPLIANCE, BF_NOTICE_GATE_DISRUPTION, BF_NOTICE_RULE_CHANGE, BF_NOTICE_KINDS };

struct bf_notice_ack {
	char by[BF_PARTY_ID_MAX + 1];
	enum bf_role role;
	char country[3];
	bf_time at;
	char note[BF_NOTICE_NOTE_MAX + 1];
};

struct bf_notice {
	char id[BF_NOTICE_ID_MAX + 1];
	enum bf_notice_kind kind;
	char text[BF_NOTICE_TEXT_MAX + 1];
	/* A non-compliance names at least one of these; "" for none. */
	char exporter[BF_CODE_MAX + 1];
	char planting_area[BF_CODE_MAX + 1];
	char packing_house[BF_CODE_MAX + 1];
	char gate[BF_GATE_ID_MAX + 1];               /* a gate disruption's; "" otherwise */
	char consignment[BF_CONSIGNMENT_ID_MAX + 1]; /* the inspection it came from; "" for none */
	char posted_by[BF_PARTY_ID_MAX + 1];
	enum bf_role role;
	char country[3]; /* the poster's */
	bf_time posted_at;
	int n_acks; /* in the order they were made */
	struct bf_notice_ack acks[BF_NOTICE_MAX_ACKS];
};

const char *bf_notice_kind_name(enum bf_notice_kind k);
int bf_notice_kind_parse(const char *s, enum bf_notice_kind *out);

/* Writes the id of notice NUMBER of NODE into OUT. */
void bf_notice_id_format(const char *node, int64_t number, char out[BF_NOTICE_ID_MAX + 1]);
/* Reads an id back into its node (BF_NODE_ID_MAX + 1 bytes) and number;
 * BF_EINVAL naming "id" when it is not one. */
int bf_notice_id_parse(const char *id, char *node, int64_t *number, struct bf_error *err);

/* Checks a notice's fields each against its kind: text 1 to
 * BF_NOTICE_TEXT_MAX bytes, a non-compliance names at least one code and
 * no gate, a gate disruption names its gate and no codes, a rule change
 * neither. BF_EINVAL naming the field ("names", "gate", "text"). */
int bf_notice_validate(const struct bf_notice *n, struct bf_error *err);

/* True when a party of COUNTRY acknowledged N. */
bool bf_notice_acked_by(const struct bf_notice *n, const char *country);

/* The registry kinds a non-compliance names, the first of enum
 * bf_registry_kind: exporters, planting areas, packing houses. */
#define BF_NOTICE_KINDS 3

/* The code N names for registry kind K ("" for none); _dst: where a
 * reader writes it (BF_CODE_MAX + 1 bytes). K is below BF_NOTICE_KINDS. */
const char *bf_notice_code(const struct bf_notice *n, enum bf_registry_kind k);
char *bf_notice_code_dst(struct bf_notice *n, enum bf_registry_kind k);
/* Whether role R posts and acknowledges notices: an export or import
 * authority, a gate operator or a registry authority. */
bool bf_notice_role_posts(enum bf_role r);

/* Which notices a page holds. */
struct bf_notice_filter {
	int kind;         /* -1: any, else an enum bf_notice_kind */
	int acknowledged; /* -1: any, 0: only those no one acknowledged, 1: only acknowledged ones */
	int64_t after;    /* paging cursor: 0 from the newest */
	int limit;        /* 1..500 */
};

#endif
