/* The registry behind the official channel: exporters approved for
 * commodities and destinations, planting areas, packing houses and
 * producing facilities, each with a code and a status, kept by the
 * registry authority of the side where it is. */
#ifndef BF_MODEL_REGISTRY_H
#define BF_MODEL_REGISTRY_H

#include "model/commodity.h"
#include "model/country.h"
#include "model/error.h"

#include <stdbool.h>
#include <stddef.h>

#define BF_CODE_MAX      40
#define BF_MAX_APPROVALS 32

enum bf_registry_status { BF_REG_ACTIVE, BF_REG_SUSPENDED };

/* The four kinds of registered record. */
enum bf_registry_kind { BF_REG_EXPORTER, BF_REG_PLANTING_AREA, BF_REG_PACKING_HOUSE, BF_REG_FACILITY };
#define BF_REG_KINDS         4
#define BF_FACILITY_PRODUCTS 8
const char *bf_registry_status_name(enum bf_registry_status s);
int bf_registry_status_parse(const char *s, enum bf_registry_status *out);

struct bf_approval {
	char hs_code[BF_HS_MAX + 1];
	char destination[3]; /* ISO 3166-1 alpha-2 */
};

struct bf_exporter {
	char id[BF_CODE_MAX + 1]; /* the issuing side's registration number */
	char name[BF_NAME_MAX];
	char country[3];
	enum bf_registry_status status;
	int n_approvals;
	struct bf_approval approvals[BF_MAX_APPROVALS];
};

/* A registered growing area (PUC); it grows one commodity. */
struct bf_planting_area {
	char code[BF_CODE_MAX + 1];
	char hs_code[BF_HS_MAX + 1];
	char country[3];
	char province[64];
	enum bf_registry_status status;
};

/* A registered packing house (PHC). */
struct bf_packing_house {
	char code[BF_CODE_MAX + 1];
	char name[BF_NAME_MAX];
	char country[3];
	char province[64];
	enum bf_registry_status status;
};

/* A producing plant (a dairy plant, a rice mill, a frozen-food plant)
 * as an importing country registered it: CODE is that country's
 * registration number, REGISTERED_WITH the country, PRODUCTS the HS codes
 * or headings (4 to 10 digits) it may ship there. COUNTRY is where the
 * plant is, whose registry authority keeps the record. */
struct bf_facility {
	char code[BF_CODE_MAX + 1];
	char name[BF_NAME_MAX];
	char country[3];
	char province[64];
	char registered_with[3];
	int n_products;
	char products[BF_FACILITY_PRODUCTS][BF_HS_MAX + 1];
	enum bf_registry_status status;
};

/* True when S is 1..40 of A-Z, a-z, 0-9, '-', '.', '/', not starting with
 * punctuation: the shapes registration codes take on both sides. */
bool bf_registry_code_valid(const char *s);
int bf_exporter_validate(const struct bf_exporter *e, struct bf_error *err);
int bf_planting_area_validate(const struct bf_planting_area *p, struct bf_error *err);
int bf_packing_house_validate(const struct bf_packing_house *p, struct bf_error *err);
int bf_facility_validate(const struct bf_facility *f, struct bf_error *err);
/* True when F is registered for HS_CODE: one of its products is the code
 * or a heading the code starts with. */
bool bf_facility_makes(const struct bf_facility *f, const char *hs_code);
/* "0401 0402" into F's products; BF_EINVAL naming the field "products". */
int bf_facility_products_parse(const char *text, struct bf_facility *f, struct bf_error *err);
/* F's products joined by SEP into OUT. */
void bf_facility_products_format(const struct bf_facility *f, const char *sep, char *out, size_t cap);

/* One registry record of any kind. */
struct bf_registry_record {
	enum bf_registry_kind kind;
	union {
		struct bf_exporter exporter;
		struct bf_planting_area planting_area;
		struct bf_packing_house packing_house;
		struct bf_facility facility;
	} u;
};

/* What tells the three kinds apart, in one table (model/registry.c) that
 * the service, the store, the codec and the API read; offsets are within
 * the kind's own struct, so that they serve a record's union and a list
 * of bare structs alike. */
struct bf_registry_kind_info {
	const char *noun;   /* "planting_area": field names, event kinds, tables */
	const char *words;  /* "planting area": messages */
	const char *plural; /* "planting_areas": list members */
	const char *path;   /* "planting-areas": the API's path segment */
	const char *key;    /* the key field's name: "id" or "code" */
	size_t size;        /* bytes of one record of the kind */
	size_t key_at, country_at, status_at;
	int (*validate)(const void *rec, struct bf_error *err);
};
/* K's row of the table; K must be a kind. */
const struct bf_registry_kind_info *bf_registry_kind_info(enum bf_registry_kind k);
/* "exporter", "planting_area", "packing_house", "facility". */
const char *bf_registry_kind_noun(enum bf_registry_kind k);
/* "exporter", "planting area", "packing house", "facility": the kind in
 * messages. */
const char *bf_registry_kind_words(enum bf_registry_kind k);

/* The key, the issuing country and the status of REC, a record of kind K
 * (the kind's struct, or a bf_registry_record's union). */
const char *bf_registry_key(enum bf_registry_kind k, const void *rec);
const char *bf_registry_country(enum bf_registry_kind k, const void *rec);
enum bf_registry_status bf_registry_status_of(enum bf_registry_kind k, const void *rec);
void bf_registry_status_set(enum bf_registry_kind k, void *rec, enum bf_registry_status st);
/* Checks R by its kind's rules. */
int bf_registry_record_validate(const struct bf_registry_record *r, struct bf_error *err);

#endif
