/* Validation of commodity records, and what each importing country asks
 * a consignment of them to carry. */
#include "model/commodity.h"
#include "model/country.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

bool bf_commodity_hs_code_valid(const char *s)
{
	size_t n = strlen(s);
	if (n < 6 || n > BF_HS_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
	}
	return true;
}

static const struct {
	const char *name, *words;
} documents[BF_DOCUMENTS] = {
    {"planting_areas", "registered planting areas"},    {"packing_house", "registered packing house"},
    {"phyto_certificate", "phytosanitary certificate"}, {"health_certificate", "health certificate"},
    {"facility", "registered facility number"},
};

static int doc_index(enum bf_document doc)
{
	for (int i = 0; i < BF_DOCUMENTS; i++)
		if ((unsigned)doc == 1u << i)
			return i;
	return 0;
}

const char *bf_document_name(enum bf_document doc)
{
	return documents[doc_index(doc)].name;
}

const char *bf_document_words(enum bf_document doc)
{
	return documents[doc_index(doc)].words;
}

int bf_document_parse(const char *name, enum bf_document *out)
{
	for (int i = 0; name && i < BF_DOCUMENTS; i++) {
		if (strcmp(name, documents[i].name) == 0) {
			*out = (enum bf_document)(1u << i);
			return BF_OK;
		}
	}
	return BF_EINVAL;
}

void bf_documents_format(unsigned docs, const char *sep, char *out, size_t cap)
{
	size_t len = 0;
	if (cap)
		out[0] = '\0';
	for (int i = 0; i < BF_DOCUMENTS && len < cap; i++) {
		if (!(docs & 1u << i))
			continue;
		int w = snprintf(out + len, cap - len, "%s%s", len ? sep : "", documents[i].name);
		if (w < 0)
			break;
		len += (size_t)w;
	}
}

int bf_documents_parse(const char *text, unsigned *out, char *bad, size_t bad_cap)
{
	*out = 0;
	while (*text) {
		size_t n = strcspn(text, " ,;");
		char name[32];
		enum bf_document d;
		if (n > 0) {
			snprintf(name, sizeof(name), "%.*s", (int)(n < sizeof(name) - 1 ? n : sizeof(name) - 1), text);
			if (n >= sizeof(name) || bf_document_parse(name, &d) != BF_OK) {
				if (bad)
					snprintf(bad, bad_cap, "%.*s", (int)n, text);
				return BF_EINVAL;
			}
			*out |= (unsigned)d;
		}
		text += n;
		if (*text)
			text++;
	}
	return BF_OK;
}

const struct bf_requirement *bf_commodity_requirement(const struct bf_commodity *c, const char *destination)
{
	const struct bf_requirement *any = NULL;
	for (int i = 0; i < c->n_requirements; i++) {
		if (strcmp(c->requirements[i].importer, destination) == 0)
			return &c->requirements[i];
		if (strcmp(c->requirements[i].importer, "*") == 0)
			any = &c->requirements[i];
	}
	return any;
}

bool bf_commodity_needs_phyto(const struct bf_commodity *c)
{
	for (int i = 0; i < c->n_requirements; i++)
		if (c->requirements[i].documents & BF_DOC_PHYTO_CERTIFICATE)
			return true;
	return false;
}

int bf_commodity_validate(const struct bf_commodity *c, struct bf_error *err)
{
	if (!bf_commodity_hs_code_valid(c->hs_code))
		return bf_error_set(err, BF_EINVAL, "hs_code", "must be 6 to 10 digits with no dots");
	if (!c->name_vi[0] || !c->name_zh[0] || !c->name_en[0])
		return bf_error_set(err, BF_EINVAL,
		                    !c->name_vi[0]   ? "names.vi"
		                    : !c->name_zh[0] ? "names.zh"
		                                     : "names.en",
		                    "every commodity needs a name in vi, zh and en");
	if ((int)c->klass < 0 || c->klass >= BF_CC_COUNT)
		return bf_error_set(err, BF_EINVAL, "class", "unknown commodity class");
	if (c->shelf_life_hours < 1 || c->shelf_life_hours > 24 * 365 * 5)
		return bf_error_set(err, BF_EINVAL, "shelf_life_hours", "must be from 1 hour to 5 years");
	if (!isfinite(c->value_usd_per_tonne) || c->value_usd_per_tonne <= 0 || c->value_usd_per_tonne > 1e7)
		return bf_error_set(err, BF_EINVAL, "value_usd_per_tonne",
		                    "must be more than 0 and at most 10,000,000");
	if (c->n_requirements < 0 || c->n_requirements > BF_REQUIREMENTS)
		return bf_error_set(err, BF_EINVAL, "requires", "at most %d importing countries", BF_REQUIREMENTS);
	for (int i = 0; i < c->n_requirements; i++) {
		const struct bf_requirement *r = &c->requirements[i];
		char field[32];
		snprintf(field, sizeof(field), "requires.%s", r->importer);
		if (strcmp(r->importer, "*") != 0 && !bf_country_code_valid(r->importer))
			return bf_error_set(err, BF_EINVAL, "requires",
			                    "\"%s\" is neither an ISO 3166-1 alpha-2 code nor \"*\"", r->importer);
		if (r->documents & ~BF_DOC_ALL)
			return bf_error_set(err, BF_EINVAL, field, "names a document borderflow does not know");
		for (int k = 0; k < i; k++)
			if (strcmp(c->requirements[k].importer, r->importer) == 0)
				return bf_error_set(err, BF_EINVAL, field, "is named twice");
	}
	return BF_OK;
}
