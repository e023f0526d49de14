/* Vehicles as a declaration names them: a truck by its plate in the
 * format of the country that issued it, or a rail wagon by its number,
 * and the most a load on each may weigh. */
#ifndef BF_MODEL_VEHICLE_H
#define BF_MODEL_VEHICLE_H

#include <stdbool.h>

enum bf_conveyance { BF_CONVEY_TRUCK, BF_CONVEY_WAGON };

const char *bf_conveyance_name(enum bf_conveyance c);
int bf_conveyance_parse(const char *s, enum bf_conveyance *out);

/* Net weight a load on one conveyance may have, in kg. Trucks: the
 * heaviest articulated trucks allowed on Vietnamese and Chinese roads
 * weigh 40 to 49 t all up, of which about 32 t is load. Wagons: a
 * standard-gauge covered wagon takes about 60 t (metre-gauge ones less).
 * These are caps for catching typing errors, not axle-load rules. */
double bf_conveyance_max_net_kg(enum bf_conveyance c);

/* True when PLATE is written the way COUNTRY issues truck plates:
 * VN "29C-123.45" (two-digit province code, a series of one letter and an
 * optional letter or digit, then 4 or 5 digits, the dash and dot optional);
 * CN "桂A12345" (a province character, a letter, 5 or 6 letters or digits,
 * at most two of them letters). Other countries: 2 to 12 letters, digits,
 * spaces or dashes. Letters are upper case. */
bool bf_vehicle_plate_valid(const char *country, const char *plate);
/* True when NUMBER is a wagon number: 5 to 12 digits, optionally grouped
 * by spaces or dashes. */
bool bf_vehicle_wagon_number_valid(const char *number);

#endif
