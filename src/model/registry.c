/* Registry records: validation, and the table of their four kinds. */
#include "model/registry.h"

#include <stdio.h>
#include <string.h>

const char *bf_registry_status_name(enum bf_registry_status s)
{
	return s == BF_REG_ACTIVE ? "active" : s == BF_REG_SUSPENDED ? "suspended" : "?";
}

int bf_registry_status_parse(const char *s, enum bf_registry_status *out)
{
	if (s != NULL && strcmp(s, "active") == 0)
		*out = BF_REG_ACTIVE;
	else if (s != NULL && strcmp(s, "suspended") == 0)
		*out = BF_REG_SUSPENDED;
	else
		return BF_EINVAL;
	return BF_OK;
}

static bool alnum(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool bf_registry_code_valid(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > BF_CODE_MAX || !alnum(s[0]))
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!alnum(s[i]) && s[i] != '-' && s[i] != '.' && s[i] != '/')
			return false;
	}
	return true;
}

static int check_code_country(const char *code, const char *country, struct bf_error *err)
{
	if (!bf_registry_code_valid(code))
		return bf_error_set(
		    err, BF_EINVAL, "code",
		    "must be 1 to %d of letters, digits, '-', '.' and '/', starting with a letter or digit",
		    BF_CODE_MAX);
	if (!bf_country_code_valid(country))
		return bf_error_set(err, BF_EINVAL, "country", "must be an ISO 3166-1 alpha-2 code such as VN");
	return BF_OK;
}

int bf_exporter_validate(const struct bf_exporter *e, struct bf_error *err)
{
	int rc = check_code_country(e->id, e->country, err);
	if (rc) {
		if (strcmp(err ? err->field : "", "code") == 0)
			bf_strlcpy(err->field, "id", sizeof(err->field));
		return rc;
	}
	if (e->name[0] == '\0')
		return bf_error_set(err, BF_EINVAL, "name", "must not be empty");
	for (int i = 0; i < e->n_approvals; i++) {
		char field[48];
		if (!bf_commodity_hs_code_valid(e->approvals[i].hs_code)) {
			snprintf(field, sizeof(field), "approvals[%d].hs_code", i);
			return bf_error_set(err, BF_EINVAL, field, "must be 6 to 10 digits");
		}
		if (!bf_country_code_valid(e->approvals[i].destination)) {
			snprintf(field, sizeof(field), "approvals[%d].destination", i);
			return bf_error_set(err, BF_EINVAL, field, "must be an ISO 3166-1 alpha-2 code");
		}
		for (int k = 0; k < i; k++) {
			if (strcmp(e->approvals[k].hs_code, e->approvals[i].hs_code) == 0 &&
			    strcmp(e->approvals[k].destination, e->approvals[i].destination) == 0) {
				snprintf(field, sizeof(field), "approvals[%d]", i);
				return bf_error_set(err, BF_EINVAL, field, "repeats approvals[%d]", k);
			}
		}
	}
	return BF_OK;
}

int bf_planting_area_validate(const struct bf_planting_area *p, struct bf_error *err)
{
	int rc = check_code_country(p->code, p->country, err);
	if (rc)
		return rc;
	if (!bf_commodity_hs_code_valid(p->hs_code))
		return bf_error_set(err, BF_EINVAL, "hs_code", "must be 6 to 10 digits");
	return BF_OK;
}

int bf_packing_house_validate(const struct bf_packing_house *p, struct bf_error *err)
{
	int rc = check_code_country(p->code, p->country, err);
	if (rc)
		return rc;
	if (p->name[0] == '\0')
		return bf_error_set(err, BF_EINVAL, "name", "must not be empty");
	return BF_OK;
}

static bool digits(const char *s, size_t lo, size_t hi)
{
	size_t n = strlen(s);
	if (n < lo || n > hi)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

int bf_facility_validate(const struct bf_facility *f, struct bf_error *err)
{
	int rc = check_code_country(f->code, f->country, err);
	if (rc)
		return rc;
	if (f->name[0] == '\0')
		return bf_error_set(err, BF_EINVAL, "name", "must not be empty");
	if (!bf_country_code_valid(f->registered_with))
		return bf_error_set(
		    err, BF_EINVAL, "registered_with",
		    "must be the ISO 3166-1 alpha-2 code of the country that registered it, such as CN");
	if (strcmp(f->registered_with, f->country) == 0)
		return bf_error_set(err, BF_EINVAL, "registered_with",
		                    "must be the importing country, not the plant's own (%s)", f->country);
	if (f->n_products < 1 || f->n_products > BF_FACILITY_PRODUCTS)
		return bf_error_set(err, BF_EINVAL, "products", "must name 1 to %d HS codes or headings",
		                    BF_FACILITY_PRODUCTS);
	for (int i = 0; i < f->n_products; i++) {
		char field[32];
		snprintf(field, sizeof(field), "products[%d]", i);
		if (!digits(f->products[i], 4, BF_HS_MAX))
			return bf_error_set(err, BF_EINVAL, field, "must be an HS heading or code of 4 to 10 digits");
		for (int k = 0; k < i; k++)
			if (strcmp(f->products[k], f->products[i]) == 0)
				return bf_error_set(err, BF_EINVAL, field, "repeats products[%d]", k);
	}
	return BF_OK;
}

bool bf_facility_makes(const struct bf_facility *f, const char *hs_code)
{
	for (int i = 0; i < f->n_products; i++)
		if (strncmp(hs_code, f->products[i], strlen(f->products[i])) == 0)
			return true;
	return false;
}

int bf_facility_products_parse(const char *text, struct bf_facility *f, struct bf_error *err)
{
	f->n_products = 0;
	while (*text) {
		size_t n = strcspn(text, " ,;");
		if (n > 0) {
			if (f->n_products == BF_FACILITY_PRODUCTS)
				return bf_error_set(err, BF_EINVAL, "products", "at most %d HS codes or headings",
				                    BF_FACILITY_PRODUCTS);
			if (n > BF_HS_MAX)
				return bf_error_set(err, BF_EINVAL, "products", "\"%.*s\" is longer than %d digits",
				                    (int)(n > 40 ? 40 : n), text, BF_HS_MAX);
			snprintf(f->products[f->n_products++], BF_HS_MAX + 1, "%.*s", (int)n, text);
		}
		text += n;
		if (*text)
			text++;
	}
	return BF_OK;
}

void bf_facility_products_format(const struct bf_facility *f, const char *sep, char *out, size_t cap)
{
	size_t len = 0;
	if (cap)
		out[0] = '\0';
	for (int i = 0; i < f->n_products && len < cap; i++) {
		int w = snprintf(out + len, cap - len, "%s%s", i ? sep : "", f->products[i]);
		if (w < 0)
			break;
		len += (size_t)w;
	}
}

static int validate_exporter(const void *rec, struct bf_error *err)
{
	return bf_exporter_validate(rec, err);
}

static int validate_planting_area(const void *rec, struct bf_error *err)
{
	return bf_planting_area_validate(rec, err);
}

static int validate_packing_house(const void *rec, struct bf_error *err)
{
	return bf_packing_house_validate(rec, err);
}

static int validate_facility(const void *rec, struct bf_error *err)
{
	return bf_facility_validate(rec, err);
}

#define KIND(type, noun_, words_, plural_, path_, key_)                                                                \
	{                                                                                                              \
		.noun = #noun_, .words = words_, .plural = plural_, .path = path_, .key = #key_,                       \
		.size = sizeof(struct type), .key_at = offsetof(struct type, key_),                                    \
		.country_at = offsetof(struct type, country), .status_at = offsetof(struct type, status),              \
		.validate = validate_##noun_                                                                           \
	}

static const struct bf_registry_kind_info kinds[BF_REG_KINDS] = {
    [BF_REG_EXPORTER] = KIND(bf_exporter, exporter, "exporter", "exporters", "exporters", id),
    [BF_REG_PLANTING_AREA] =
        KIND(bf_planting_area, planting_area, "planting area", "planting_areas", "planting-areas", code),
    [BF_REG_PACKING_HOUSE] =
        KIND(bf_packing_house, packing_house, "packing house", "packing_houses", "packing-houses", code),
    [BF_REG_FACILITY] = KIND(bf_facility, facility, "facility", "facilities", "facilities", code),
};

const struct bf_registry_kind_info *bf_registry_kind_info(enum bf_registry_kind k)
{
	return &kinds[(unsigned)k < BF_REG_KINDS ? k : 0];
}

const char *bf_registry_kind_noun(enum bf_registry_kind k)
{
	return bf_registry_kind_info(k)->noun;
}

const char *bf_registry_kind_words(enum bf_registry_kind k)
{
	return bf_registry_kind_info(k)->words;
}

const char *bf_registry_key(enum bf_registry_kind k, const void *rec)
{
	return (const char *)rec + bf_registry_kind_info(k)->key_at;
}

const char *bf_registry_country(enum bf_registry_kind k, const void *rec)
{
	return (const char *)rec + bf_registry_kind_info(k)->country_at;
}

enum bf_registry_status bf_registry_status_of(enum bf_registry_kind k, const void *rec)
{
	enum bf_registry_status st;
	memcpy(&st, (const char *)rec + bf_registry_kind_info(k)->status_at, sizeof(st));
	return st;
}

void bf_registry_status_set(enum bf_registry_kind k, void *rec, enum bf_registry_status st)
{
	memcpy((char *)rec + bf_registry_kind_info(k)->status_at, &st, sizeof(st));
}

int bf_registry_record_validate(const struct bf_registry_record *r, struct bf_error *err)
{
	return bf_registry_kind_info(r->kind)->validate(&r->u, err);
}
