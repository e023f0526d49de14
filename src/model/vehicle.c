/* Plate and wagon-number formats, and weight caps. */
#include "model/vehicle.h"

#include "model/error.h"

#include <string.h>

const char *bf_conveyance_name(enum bf_conveyance c)
{
	return c == BF_CONVEY_TRUCK ? "truck" : c == BF_CONVEY_WAGON ? "wagon" : "?";
}

int bf_conveyance_parse(const char *s, enum bf_conveyance *out)
{
	if (s && strcmp(s, "truck") == 0)
		*out = BF_CONVEY_TRUCK;
	else if (s && strcmp(s, "wagon") == 0)
		*out = BF_CONVEY_WAGON;
	else
		return BF_EINVAL;
	return BF_OK;
}

double bf_conveyance_max_net_kg(enum bf_conveyance c)
{
	return c == BF_CONVEY_WAGON ? 60000.0 : 32000.0;
}

static bool digit(char c)
{
	return c >= '0' && c <= '9';
}
static bool upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static bool vn_plate(const char *p)
{
	int n = 0;
	if (!digit(p[0]) || !digit(p[1]))
		return false;
	p += 2;
	if (!upper(*p++))
		return false;
	if (upper(*p) || digit(*p)) {
		/* A second series character, but only when digits still follow
		 * it in full: "29C1-234.56" vs "29C-12345". */
		const char *q = p + 1;
		int after = 0;
		if (*q == '-')
			q++;
		for (; *q; q++) {
			if (digit(*q))
				after++;
			else if (*q != '.')
				return false;
		}
		if (after >= 4)
			p++;
	}
	if (*p == '-')
		p++;
	for (; *p; p++) {
		if (digit(*p))
			n++;
		else if (*p != '.')
			return false;
	}
	return n == 4 || n == 5;
}

/* The one-character abbreviations of China's provincial divisions, as
 * they stand first on a plate. */
static const char *const cn_provinces[] = {"京", "津", "沪", "渝", "冀", "豫", "云", "辽", "黑", "湘", "皖",
                                           "鲁", "新", "苏", "浙", "赣", "鄂", "桂", "甘", "晋", "蒙", "陕",
                                           "吉", "闽", "贵", "粤", "青", "藏", "川", "宁", "琼"};

static bool cn_plate(const char *p)
{
	size_t i, n, letters = 0;
	bool known = false;
	for (i = 0; i < sizeof(cn_provinces) / sizeof(cn_provinces[0]) && !known; i++) {
		size_t len = strlen(cn_provinces[i]);
		if (strncmp(p, cn_provinces[i], len) == 0) {
			known = true;
			p += len;
		}
	}
	if (!known || !upper(*p++))
		return false;
	if (*p == '-' || *p == ' ' || *p == '.')
		p++;
	n = strlen(p);
	if (n != 5 && n != 6)
		return false;
	for (i = 0; i < n; i++) {
		if (upper(p[i]))
			letters++;
		else if (!digit(p[i]))
			return false;
	}
	return letters <= 2;
}

bool bf_vehicle_plate_valid(const char *country, const char *plate)
{
	size_t n = strlen(plate);
	if (n == 0 || n > 16)
		return false;
	if (strcmp(country, "VN") == 0)
		return vn_plate(plate);
	if (strcmp(country, "CN") == 0)
		return cn_plate(plate);
	if (n < 2 || n > 12)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!upper(plate[i]) && !digit(plate[i]) && plate[i] != ' ' && plate[i] != '-')
			return false;
	}
	return true;
}

bool bf_vehicle_wagon_number_valid(const char *number)
{
	int digits = 0;
	if (!digit(number[0]))
		return false;
	for (const char *p = number; *p; p++) {
		if (digit(*p))
			digits++;
		else if ((*p != ' ' && *p != '-') || !digit(p[1]))
			return false;
	}
	return digits >= 5 && digits <= 12;
}
