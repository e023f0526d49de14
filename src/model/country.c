/* The form of a country code (model/country.h). */
#include "model/country.h"

#include <string.h>

bool bf_country_code_valid(const char *s)
{
	return strlen(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z';
}
