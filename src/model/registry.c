/* Validation of registry records. */
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

bool bf_country_code_valid(const char *s)
{
	return strlen(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z';
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
		if (!bf_hs_code_valid(e->approvals[i].hs_code)) {
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
	if (!bf_hs_code_valid(p->hs_code))
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

const char *bf_registry_kind_noun(enum bf_registry_kind k)
{
	static const char *const nouns[BF_REG_KINDS] = {"exporter", "planting_area", "packing_house"};
	return (unsigned)k < BF_REG_KINDS ? nouns[k] : "?";
}

const char *bf_registry_kind_words(enum bf_registry_kind k)
{
	static const char *const words[BF_REG_KINDS] = {"exporter", "planting area", "packing house"};
	return (unsigned)k < BF_REG_KINDS ? words[k] : "?";
}
