/* Countries, as every record names them: ISO 3166-1 alpha-2 codes ("VN",
 * "CN"), upper case (model/country.c). */
#ifndef BF_MODEL_COUNTRY_H
#define BF_MODEL_COUNTRY_H

#include <stdbool.h>

/* Whether S is an ISO 3166-1 alpha-2 code officially assigned ("VN",
 * "CN"), in capitals: "XX" or "vn" is not. */
bool bf_country_code_valid(const char *s);

#endif
