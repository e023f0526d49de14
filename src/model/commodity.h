/* Commodities as the registry and the planner see them: an HS code, a
 * class that gates are designated for, how long a load keeps, its value,
 * and what each importing country asks a consignment of it to carry. */
#ifndef BF_MODEL_COMMODITY_H
#define BF_MODEL_COMMODITY_H

#include "model/error.h"
#include "model/gate.h"

#include <stdbool.h>

#define BF_HS_MAX 10

/* What a declaration may have to carry: bits of a requirement. */
enum bf_document {
	BF_DOC_PLANTING_AREAS = 1u << 0,     /* registered planting areas (PUC) */
	BF_DOC_PACKING_HOUSE = 1u << 1,      /* a registered packing house (PHC) */
	BF_DOC_PHYTO_CERTIFICATE = 1u << 2,  /* a phytosanitary certificate's number */
	BF_DOC_HEALTH_CERTIFICATE = 1u << 3, /* a health (veterinary, sanitary) certificate's number */
	BF_DOC_FACILITY = 1u << 4,           /* the producing plant's registration with the importing country */
};
#define BF_DOCUMENTS    5
#define BF_DOC_ALL      ((1u << BF_DOCUMENTS) - 1)
#define BF_REQUIREMENTS 8

/* What IMPORTER asks of a consignment of the commodity; "*" for every
 * importing country that has no requirement of its own. */
struct bf_requirement {
	char importer[3];
	unsigned documents; /* bits of enum bf_document */
};

struct bf_commodity {
	char hs_code[BF_HS_MAX + 1]; /* 6 to 10 digits, no dots */
	char name_vi[BF_NAME_MAX], name_zh[BF_NAME_MAX], name_en[BF_NAME_MAX];
	enum bf_commodity_class klass;
	int shelf_life_hours;
	double value_usd_per_tonne;
	int n_requirements;
	struct bf_requirement requirements[BF_REQUIREMENTS];
	char source[512]; /* where the figures come from, for people */
};

/* True when S is 6 to 10 decimal digits. */
bool bf_commodity_hs_code_valid(const char *s);
int bf_commodity_validate(const struct bf_commodity *c, struct bf_error *err);

/* The requirement C's loads bound for DESTINATION meet: the country's
 * own, else the one for "*", else NULL (nothing is asked). */
const struct bf_requirement *bf_commodity_requirement(const struct bf_commodity *c, const char *destination);
/* True when some importing country asks a phytosanitary certificate. */
bool bf_commodity_needs_phyto(const struct bf_commodity *c);

/* DOC's name as the declaration's field has it ("planting_areas",
 * "phyto_certificate", "facility"...), and in messages ("planting areas",
 * "phytosanitary certificate", "registered facility number"). DOC is one
 * bit. */
const char *bf_document_name(enum bf_document doc);
const char *bf_document_words(enum bf_document doc);
/* The bit named NAME; BF_EINVAL when none is. */
int bf_document_parse(const char *name, enum bf_document *out);
/* DOCUMENTS as names joined by SEP into OUT (of CAP bytes). */
void bf_documents_format(unsigned documents, const char *sep, char *out, size_t cap);
/* Names separated by spaces, commas or semicolons back into bits; the
 * unknown name in *BAD (if not NULL) and BF_EINVAL on one. */
int bf_documents_parse(const char *text, unsigned *out, char *bad, size_t bad_cap);

#endif
